/**
 * Join: a symmetric hash join. Each side's rows are kept in buckets by their equi-key (one bucket
 * for all rows when there are no equi-keys: a nested-loop join); a row arriving on one side probes
 * the other side's bucket, and the full ON condition is evaluated over the candidate pairs a block at
 * a time with the compiled expression. Retractions remove a row and retract its joined rows.
 * Outer joins count matches per stored row. A batch run pads the rows that never matched with NULLs
 * at end of input. In a continuous query the first barrier emits those padded rows and from then on
 * padding follows the match count as it changes: a preserved row's padded row goes out while it has
 * no match, is retracted when its first match appears, and comes back when its last match goes.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import type { JoinNode } from '../../plan/logical/join.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import { BinaryOperator, CombinedWatermark, type Downstream } from './operator.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';

interface StoredRow {
  readonly row: Row;
  matches: number;
  /** Position in its bucket's array (rows are swap-removed). */
  pos: number;
}

type Side = 'left' | 'right';

interface Pair {
  /** The arriving row. */
  readonly a: StoredRow;
  /** The stored row of the other side it may join. */
  readonly b: StoredRow;
  readonly op: Op;
}

/** A row that arrived (inserted or removed) on the side being processed. */
interface Arrival {
  readonly stored: StoredRow;
  readonly insert: boolean;
  readonly matchesBefore: number;
}

const BLOCK = 1024;

class JoinSide {
  readonly buckets = new Map<string, StoredRow[]>();
  /** Rows with a NULL key: they can never match but outer joins still emit them. */
  readonly unmatchable: StoredRow[] = [];

  constructor(readonly keyColumns: readonly number[]) {}

  /** The row's key, or undefined when a key column is NULL. */
  keyOf(row: Row): string | undefined {
    if (this.keyColumns.length === 0) return '';
    const vals: Datum[] = [];
    for (const c of this.keyColumns) {
      const v = row[c]!;
      if (v === null) return undefined;
      vals.push(v);
    }
    return keyOf(vals);
  }

  /**
   * Per bucket (the NULL-key list under ''), its rows by full-row key: built on the first removal
   * from the bucket, so append-only inputs never pay for it, and kept up to date after.
   */
  private readonly rowIndexes = new Map<string | undefined, Map<string, StoredRow[]>>();

  add(key: string | undefined, stored: StoredRow): void {
    let list: StoredRow[];
    if (key === undefined) list = this.unmatchable;
    else {
      const b = this.buckets.get(key);
      if (b) list = b;
      else this.buckets.set(key, (list = []));
    }
    stored.pos = list.length;
    list.push(stored);
    const index = this.rowIndexes.get(key);
    if (index) {
      const k = keyOf(stored.row);
      const same = index.get(k);
      if (same) same.push(stored);
      else index.set(k, [stored]);
    }
  }

  /** Removes one stored row equal to `row` (SQL equality of every column); O(1) once the bucket is indexed. */
  remove(key: string | undefined, row: Row): StoredRow | undefined {
    const list = key === undefined ? this.unmatchable : this.buckets.get(key);
    if (!list) return undefined;
    let index = this.rowIndexes.get(key);
    if (!index) {
      index = new Map();
      for (const stored of list) {
        const k = keyOf(stored.row);
        const same = index.get(k);
        if (same) same.push(stored);
        else index.set(k, [stored]);
      }
      this.rowIndexes.set(key, index);
    }
    const k = keyOf(row);
    const same = index.get(k);
    if (!same) return undefined;
    const removed = same.pop()!;
    if (same.length === 0) index.delete(k);
    // Swap-remove: the last row takes the removed one's place.
    const last = list.pop()!;
    if (last !== removed) {
      list[removed.pos] = last;
      last.pos = removed.pos;
    }
    if (list.length === 0 && key !== undefined) {
      this.buckets.delete(key);
      this.rowIndexes.delete(key);
    }
    return removed;
  }

  *all(): Iterable<StoredRow> {
    for (const b of this.buckets.values()) yield* b;
    yield* this.unmatchable;
  }
}

export class JoinOperator extends BinaryOperator {
  private readonly sides: Record<Side, JoinSide>;
  private readonly condition: ColumnEvaluator | undefined;
  private readonly leftWidth: number;
  private readonly rightWidth: number;
  /** Set at the first barrier: padded rows then follow match counts as they change. */
  private eagerPadding = false;
  /**
   * Per equi-key pair, the watermark both key columns get in the output: a new output row pairs a
   * new row of one side with rows of the other that have the same key, so the smaller promise holds.
   */
  private readonly keyWatermarks: CombinedWatermark[];

  constructor(out: Downstream, private readonly plan: JoinNode, private readonly env: ExprEnv) {
    super(`Join ${plan.joinType}`, out);
    this.sides = {
      left: new JoinSide(plan.equiKeys.map(([l]) => l)),
      right: new JoinSide(plan.equiKeys.map(([, r]) => r)),
    };
    this.condition = plan.condition ? compileExpr(plan.condition) : undefined;
    this.leftWidth = plan.left.schema.length;
    this.rightWidth = plan.right.schema.length;
    this.keyWatermarks = plan.equiKeys.map(() => new CombinedWatermark());
  }

  /** Rows held on both sides (freshet_watermarks.state_rows). */
  stateRows(): number {
    let n = 0;
    for (const side of [this.sides.left, this.sides.right]) {
      for (const bucket of side.buckets.values()) n += bucket.length;
      n += side.unmatchable.length;
    }
    return n;
  }

  protected override onWatermark(msg: WatermarkMessage, side: Side): void {
    this.plan.equiKeys.forEach(([l, r], i) => {
      if ((side === 'left' ? l : r) !== msg.column) return;
      const next = this.keyWatermarks[i]!.update(side, msg.time, msg.idle);
      if (next === undefined) return;
      this.watermarkAtBarrier(Messages.watermark(l, next));
      this.watermarkAtBarrier(Messages.watermark(this.leftWidth + r, next));
    });
  }

  protected onChunk(input: ChangelogChunk, side: Side): void {
    const chunk = input.compact();
    const own = this.sides[side];
    const other = this.sides[side === 'left' ? 'right' : 'left'];
    // Candidate pairs gathered per block (cut between input rows), then the condition runs over the
    // whole block at once; padding of the arriving rows is settled once their pairs are counted.
    let pairs: Pair[] = [];
    let arrivals: Arrival[] = [];
    const flush = () => {
      this.emitPairs(pairs, arrivals, side);
      pairs = [];
      arrivals = [];
    };
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      const op = chunk.ops[i] as Op;
      const key = own.keyOf(row);
      const insert = op === Op.Insert || op === Op.UpdateAfter;
      let stored: StoredRow | undefined;
      if (insert) {
        stored = { row, matches: 0, pos: 0 };
        own.add(key, stored);
      } else {
        stored = own.remove(key, row);
        if (!stored) continue;
      }
      arrivals.push({ stored, insert, matchesBefore: stored.matches });
      if (key !== undefined) {
        const bucket = other.buckets.get(key);
        if (bucket) for (const b of bucket) pairs.push({ a: stored, b, op: insert ? Op.Insert : Op.Delete });
      }
      if (pairs.length >= BLOCK) flush();
    }
    flush();
  }

  private padded(side: Side, row: Row): Row {
    const nulls = new Array<Datum>(side === 'left' ? this.rightWidth : this.leftWidth).fill(null);
    return side === 'left' ? [...row, ...nulls] : [...nulls, ...row];
  }

  private emitPairs(pairs: readonly Pair[], arrivals: readonly Arrival[], side: Side): void {
    if (pairs.length === 0 && (!this.eagerPadding || arrivals.length === 0)) return;
    const width = this.leftWidth + this.rightWidth;
    const n = pairs.length;
    const columns: Datum[][] = Array.from({ length: width }, () => new Array<Datum>(n));
    for (let p = 0; p < n; p++) {
      const { a, b } = pairs[p]!;
      const l = side === 'left' ? a.row : b.row;
      const r = side === 'left' ? b.row : a.row;
      for (let c = 0; c < this.leftWidth; c++) columns[c]![p] = l[c]!;
      for (let c = 0; c < this.rightWidth; c++) columns[this.leftWidth + c]![p] = r[c]!;
    }
    const pass = n > 0 && this.condition ? this.condition(columns, n, this.env) : undefined;
    const otherSide: Side = side === 'left' ? 'right' : 'left';
    const padOther = this.eagerPadding && this.preserves(otherSide);
    const out = new ChunkBuilder(width, n);
    for (let p = 0; p < n; p++) {
      if (pass && pass[p] !== true) continue;
      const { a, b, op } = pairs[p]!;
      const delta = op === Op.Insert ? 1 : -1;
      a.matches += delta;
      b.matches += delta;
      const row: Datum[] = new Array<Datum>(width);
      for (let c = 0; c < width; c++) row[c] = columns[c]![p]!;
      // The stored row's padded row leaves before its first match and returns after its last.
      if (padOther && delta > 0 && b.matches === 1) out.append(Op.Delete, this.padded(otherSide, b.row));
      out.append(op, row);
      if (padOther && delta < 0 && b.matches === 0) out.append(Op.Insert, this.padded(otherSide, b.row));
    }
    if (this.eagerPadding && this.preserves(side)) {
      for (const { stored, insert, matchesBefore } of arrivals) {
        if (insert && stored.matches === 0) out.append(Op.Insert, this.padded(side, stored.row));
        else if (!insert && matchesBefore === 0) out.append(Op.Delete, this.padded(side, stored.row));
      }
    }
    this.emit(out.build());
  }

  private preserves(side: Side): boolean {
    const t = this.plan.joinType;
    return t === 'full' || t === side;
  }

  /** The padded rows of every preserved row without a match (all at once: end, or first barrier). */
  private emitUnmatched(): void {
    const width = this.leftWidth + this.rightWidth;
    const out = new ChunkBuilder(width);
    for (const side of ['left', 'right'] as const) {
      if (!this.preserves(side)) continue;
      for (const s of this.sides[side].all()) if (s.matches === 0) out.append(Op.Insert, this.padded(side, s.row));
    }
    this.emit(out.build());
  }

  protected override onBarrier(): void {
    if (this.eagerPadding) return;
    this.eagerPadding = true;
    this.emitUnmatched();
  }

  protected override onEnd(): void {
    if (!this.eagerPadding) this.emitUnmatched();
  }
}
