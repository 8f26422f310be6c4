/**
 * Join: a symmetric hash join. Each side's rows are kept in buckets by their equi-key (one bucket
 * for all rows when there are no equi-keys: a nested-loop join); a row arriving on one side probes
 * the other side's bucket, and the full ON condition is evaluated over the candidate pairs a block at
 * a time with the compiled expression. Retractions remove a row and retract its joined rows.
 * Outer joins count matches per stored row. A batch run pads the rows that never matched with NULLs
 * at end of input. In a continuous query the first barrier emits those padded rows and from then on
 * padding follows the match count as it changes: a preserved row's padded row goes out while it has
 * no match, is retracted when its first match appears, and comes back when its last match goes.
 * Buckets are keyed by row-key.ts's hash keys (a number for an integer key, no string built); a
 * retraction finds its stored row by comparing row hashes along a small bucket, or through a row
 * index once a bucket holds more than SCAN_MAX rows. A watermark on an equi-key column of both
 * inputs (a window join on window_start) moves to the output's key columns, and at the barrier the
 * state of keys below it goes.
 * Checkpoints: one entry per join key per side (its rows in bucket order, their match counts on a
 * preserved side, and the order of its row index when it has one), and META (whether the first
 * barrier passed, the key watermarks).
 */
import { ChangelogChunk, ChunkBuilder } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import type { JoinNode } from '../../plan/logical/join.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { hashKeyOfValue, keyOf, mixHash, rowHash, sameKeyDatum } from '../row-key.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { sameDatum } from './same-row.js';
import { BinaryOperator, CombinedWatermark, type Downstream } from './operator.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import {
  decodeStateValue,
  DirtyKeys,
  encodeCaptured,
  encodeStateValue,
  type CapturedState,
  META_KEY,
  type StateDelta,
  type StateEntry,
  type StatefulOperator,
  type StateKey,
} from './operator-state.js';

interface StoredRow {
  readonly row: Row;
  matches: number;
  /** Position in its bucket's array (rows are swap-removed). */
  pos: number;
  /** rowHash(row), computed on the first removal that looks at it (append-only inputs never pay). */
  hash: number | undefined;
}

type Side = 'left' | 'right';

/** A row that arrived (inserted or removed) on the side being processed. */
interface Arrival {
  readonly stored: StoredRow;
  readonly insert: boolean;
  readonly matchesBefore: number;
}

const BLOCK = 1024;
/** Buckets up to this size find a removed row by scanning; larger ones build a row index. */
const SCAN_MAX = 32;

/** A bucket key: a number or string from row-key.ts (equal exactly when the SQL keys are equal). */
type BucketKey = number | string;

class JoinSide {
  readonly buckets = new Map<BucketKey, StoredRow[]>();
  /** Rows with a NULL key: they can never match but outer joins still emit them. */
  readonly unmatchable: StoredRow[] = [];
  /** Buckets changed since the last snapshot (undefined: the NULL-key list). */
  readonly dirty = new DirtyKeys<BucketKey | undefined>();
  private readonly singleKey: number;

  constructor(readonly keyColumns: readonly number[]) {
    this.singleKey = keyColumns.length === 1 ? keyColumns[0]! : -1;
  }

  /** Row i's key, or undefined when a key column is NULL. */
  keyAt(columns: readonly (readonly Datum[])[], i: number): BucketKey | undefined {
    if (this.singleKey >= 0) {
      const v = columns[this.singleKey]![i]!;
      return v === null ? undefined : hashKeyOfValue(v);
    }
    if (this.keyColumns.length === 0) return '';
    const vals: Datum[] = [];
    for (const c of this.keyColumns) {
      const v = columns[c]![i]!;
      if (v === null) return undefined;
      vals.push(v);
    }
    return keyOf(vals);
  }

  /** A stored row's bucket key (as keyAt gives it for the row's chunk). */
  keyOfRow(row: Row): BucketKey | undefined {
    if (this.singleKey >= 0) {
      const v = row[this.singleKey]!;
      return v === null ? undefined : hashKeyOfValue(v);
    }
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
   * Per large bucket (the NULL-key list under undefined), its rows by full-row key: built on the
   * first removal from a bucket bigger than SCAN_MAX, so append-only inputs never pay for it, and
   * kept up to date after. Smaller buckets are scanned.
   */
  private readonly rowIndexes = new Map<BucketKey | undefined, Map<string, StoredRow[]>>();

  add(key: BucketKey | undefined, stored: StoredRow): void {
    let list: StoredRow[];
    if (key === undefined) list = this.unmatchable;
    else {
      const b = this.buckets.get(key);
      if (b) list = b;
      else this.buckets.set(key, (list = []));
    }
    stored.pos = list.length;
    list.push(stored);
    if (this.rowIndexes.size === 0) return;
    const index = this.rowIndexes.get(key);
    if (index) {
      const k = keyOf(stored.row);
      const same = index.get(k);
      if (same) same.push(stored);
      else index.set(k, [stored]);
    }
  }

  /**
   * Removes one stored row equal to row i of `columns` (SQL equality of every column), preferring
   * one identical to it; O(1) once a large bucket is indexed.
   */
  remove(key: BucketKey | undefined, columns: readonly (readonly Datum[])[], i: number): StoredRow | undefined {
    const list = key === undefined ? this.unmatchable : this.buckets.get(key);
    if (!list) return undefined;
    let index = this.rowIndexes.get(key);
    let removed: StoredRow | undefined;
    if (!index && list.length <= SCAN_MAX) {
      removed = scanFor(list, columns, i);
      if (!removed) return undefined;
    } else {
      if (!index) {
        index = new Map();
        for (const stored of list) {
          const k = keyOf(stored.row);
          const same = index.get(k);
          if (same) same.push(stored);
          else index.set(k, [stored]);
        }
        this.rowIndexes.set(key, index);
        this.dirty.mark(key); // the index's order is saved with the bucket
      }
      const row = new Array<Datum>(columns.length);
      for (let c = 0; c < columns.length; c++) row[c] = columns[c]![i]!;
      const k = keyOf(row);
      const same = index.get(k);
      if (!same) return undefined;
      removed = same.pop()!;
      if (same.length === 0) index.delete(k);
    }
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

  /**
   * Drops the buckets whose key column `column` is below `time` (a watermark on a key both inputs
   * share: no row of either side can arrive for them any more). Returns how many rows went.
   */
  evictBelow(column: number, time: number): number {
    let n = 0;
    for (const [key, rows] of this.buckets) {
      const v = rows[0]?.row[column];
      if (typeof v !== 'number' || v >= time) continue;
      n += rows.length;
      this.buckets.delete(key);
      this.rowIndexes.delete(key);
      this.dirty.mark(key);
    }
    return n;
  }

  /** Whether a bucket (undefined: the NULL-key list) has state to save: rows, or a row index. */
  has(key: BucketKey | undefined): boolean {
    return key === undefined ? this.unmatchable.length > 0 || this.rowIndexes.has(undefined) : this.buckets.has(key);
  }

  /** Every bucket with state to save (see `has`). */
  *keys(): Iterable<BucketKey | undefined> {
    yield* this.buckets.keys();
    if (this.has(undefined)) yield undefined;
  }

  /**
   * A bucket's rows in order, each row's match count (when `withMatches`), and, when the bucket has
   * a row index, each row's place in its index list: which of several equal rows a retraction takes
   * depends on that order, and it cannot be rebuilt from the rows alone.
   */
  saveBucket(key: BucketKey | undefined, withMatches: boolean): Datum[] {
    const list = key === undefined ? this.unmatchable : this.buckets.get(key)!;
    const rows: Datum[] = new Array<Datum>(list.length);
    for (let p = 0; p < list.length; p++) rows[p] = list[p]!.row;
    let matches: Datum[] | null = null;
    if (withMatches) {
      matches = new Array<Datum>(list.length);
      for (let p = 0; p < list.length; p++) matches[p] = list[p]!.matches;
    }
    let ranks: Datum[] | null = null;
    const index = this.rowIndexes.get(key);
    if (index) {
      ranks = new Array<Datum>(list.length);
      for (const same of index.values()) for (let r = 0; r < same.length; r++) ranks[same[r]!.pos] = r;
    }
    return [key === undefined, rows, matches, ranks];
  }

  /** Loads a bucket saveBucket gave into this side, which has no such bucket yet. */
  restoreBucket(values: readonly Datum[]): void {
    const unmatchable = values[0] as boolean;
    const rows = values[1] as Row[];
    const matches = values[2] as number[] | null;
    const ranks = values[3] as number[] | null;
    const key = unmatchable ? undefined : this.keyOfRow(rows[0]!);
    const list: StoredRow[] = unmatchable ? this.unmatchable : [];
    for (let p = 0; p < rows.length; p++) {
      list.push({ row: rows[p]!, matches: matches ? matches[p]! : 0, pos: p, hash: undefined });
    }
    if (!unmatchable) this.buckets.set(key!, list);
    if (!ranks) return;
    const index = new Map<string, StoredRow[]>();
    for (const stored of list) {
      const k = keyOf(stored.row);
      const same = index.get(k);
      if (same) same.push(stored);
      else index.set(k, [stored]);
    }
    for (const same of index.values()) if (same.length > 1) same.sort((a, b) => ranks[a.pos]! - ranks[b.pos]!);
    this.rowIndexes.set(key, index);
  }
}

/** The last stored row identical to row i, else the last one equal to it under SQL equality. */
function scanFor(list: readonly StoredRow[], columns: readonly (readonly Datum[])[], i: number): StoredRow | undefined {
  const width = columns.length;
  let h = 0;
  for (let c = 0; c < width; c++) h = mixHash(h, columns[c]![i]!);
  let equal: StoredRow | undefined;
  for (let s = list.length - 1; s >= 0; s--) {
    const candidate = list[s]!;
    if ((candidate.hash ??= rowHash(candidate.row)) !== h) continue;
    const row = list[s]!.row;
    let identical = true;
    let c = 0;
    for (; c < width; c++) {
      const a = row[c]!;
      const b = columns[c]![i]!;
      if (a === b) continue;
      if (!sameKeyDatum(a, b)) break;
      if (identical && !sameDatum(a, b)) identical = false;
    }
    if (c < width) continue;
    if (identical) return list[s]!;
    equal ??= list[s]!;
  }
  return equal;
}

/** The candidate pairs of a block, as parallel arrays (no object per pair). */
class PairBlock {
  /** The arriving row. */
  readonly a: StoredRow[] = [];
  /** The stored row of the other side it may join. */
  readonly b: StoredRow[] = [];
  readonly op: Op[] = [];
  length = 0;

  add(a: StoredRow, b: StoredRow, op: Op): void {
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.op[this.length] = op;
    this.length++;
  }

  clear(): void {
    this.a.length = 0;
    this.b.length = 0;
    this.op.length = 0;
    this.length = 0;
  }
}

/** A bucket's state key: side, then the key's type ('n' number, 's' string, 'u' the NULL-key list), then the key. */
function bucketStateKey(side: Side, key: BucketKey | undefined): string {
  const s = side === 'left' ? 'L' : 'R';
  if (key === undefined) return s + 'u';
  return typeof key === 'number' ? s + 'n' + String(key) : s + 's' + key;
}

export class JoinOperator extends BinaryOperator implements StatefulOperator {
  private readonly pairs = new PairBlock();
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
  /**
   * Whether changed buckets are marked for incremental snapshots: from the first snapshot (which is
   * full) or a restore on, so a batch run pays nothing.
   */
  private tracksChanges = false;
  /** Key watermarks to evict state below at the next barrier (after the epoch's changes). */
  private evictions: { pair: number; time: number }[] = [];

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
      this.evictions.push({ pair: i, time: next });
    });
  }

  protected onChunk(input: ChangelogChunk, side: Side): void {
    const chunk = input.compact();
    const cols = chunk.columns;
    const own = this.sides[side];
    const other = this.sides[side === 'left' ? 'right' : 'left'];
    // Candidate pairs gathered per block (cut between input rows), then the condition runs over the
    // whole block at once; padding of the arriving rows is settled once their pairs are counted.
    const pairs = this.pairs;
    let arrivals: Arrival[] = [];
    const tracksArrivals = this.eagerPadding && this.preserves(side);
    // A pair changes the match counts of the other side's rows, which only a preserved side keeps.
    const marksOwn = this.tracksChanges;
    const marksOther = marksOwn && this.preserves(side === 'left' ? 'right' : 'left');
    for (let i = 0; i < chunk.length; i++) {
      const op = chunk.ops[i] as Op;
      const key = own.keyAt(cols, i);
      const insert = op === Op.Insert || op === Op.UpdateAfter;
      let stored: StoredRow | undefined;
      if (insert) {
        const row = chunk.row(i);
        stored = { row, matches: 0, pos: 0, hash: undefined };
        own.add(key, stored);
      } else {
        stored = own.remove(key, cols, i);
        if (!stored) continue;
      }
      if (marksOwn) own.dirty.mark(key);
      if (tracksArrivals) arrivals.push({ stored, insert, matchesBefore: stored.matches });
      if (key !== undefined) {
        const bucket = other.buckets.get(key);
        if (bucket) {
          if (marksOther) other.dirty.mark(key);
          const pairOp = insert ? Op.Insert : Op.Delete;
          for (let j = 0; j < bucket.length; j++) pairs.add(stored, bucket[j]!, pairOp);
        }
      }
      if (pairs.length >= BLOCK) {
        this.emitPairs(arrivals, side);
        arrivals = [];
      }
    }
    this.emitPairs(arrivals, side);
  }

  private padded(side: Side, row: Row): Row {
    const nulls = new Array<Datum>(side === 'left' ? this.rightWidth : this.leftWidth).fill(null);
    return side === 'left' ? [...row, ...nulls] : [...nulls, ...row];
  }

  /** Emits the block's joined rows (and padding changes) and empties the block. */
  private emitPairs(arrivals: readonly Arrival[], side: Side): void {
    const pairs = this.pairs;
    const n = pairs.length;
    if (n === 0 && (!this.eagerPadding || arrivals.length === 0)) return;
    const width = this.leftWidth + this.rightWidth;
    const leftWidth = this.leftWidth;
    const columns: Datum[][] = new Array<Datum[]>(width);
    for (let c = 0; c < width; c++) columns[c] = new Array<Datum>(n);
    const arrivingLeft = side === 'left';
    for (let p = 0; p < n; p++) {
      const l = arrivingLeft ? pairs.a[p]!.row : pairs.b[p]!.row;
      const r = arrivingLeft ? pairs.b[p]!.row : pairs.a[p]!.row;
      for (let c = 0; c < leftWidth; c++) columns[c]![p] = l[c]!;
      for (let c = leftWidth; c < width; c++) columns[c]![p] = r[c - leftWidth]!;
    }
    const pass = n > 0 && this.condition ? this.condition(columns, n, this.env) : undefined;
    const otherSide: Side = arrivingLeft ? 'right' : 'left';
    const padOther = this.eagerPadding && this.preserves(otherSide);
    const padOwn = this.eagerPadding && this.preserves(side);
    if (!padOther && !padOwn) {
      // No padding to interleave: the gathered columns are the output (compacted past the condition).
      const chunk = this.passingPairs(columns, n, pass);
      pairs.clear(); // before emitting: a feedback edge may bring rows back into this join
      this.emit(chunk);
      return;
    }
    const out = new ChunkBuilder(width, n);
    for (let p = 0; p < n; p++) {
      if (pass && pass[p] !== true) continue;
      const a = pairs.a[p]!;
      const b = pairs.b[p]!;
      const op = pairs.op[p]! as Op;
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
    if (padOwn) {
      for (const { stored, insert, matchesBefore } of arrivals) {
        if (insert && stored.matches === 0) out.append(Op.Insert, this.padded(side, stored.row));
        else if (!insert && matchesBefore === 0) out.append(Op.Delete, this.padded(side, stored.row));
      }
    }
    pairs.clear();
    this.emit(out.build());
  }

  /** The block's pairs that pass the condition as a chunk, their match counts updated. */
  private passingPairs(columns: Datum[][], n: number, pass: readonly (Datum | undefined)[] | undefined): ChangelogChunk {
    const pairs = this.pairs;
    const ops = new Uint8Array(n);
    let kept = 0;
    for (let p = 0; p < n; p++) {
      if (pass && pass[p] !== true) continue;
      const op = pairs.op[p]!;
      const delta = op === Op.Insert ? 1 : -1;
      pairs.a[p]!.matches += delta;
      pairs.b[p]!.matches += delta;
      if (kept !== p) for (let c = 0; c < columns.length; c++) columns[c]![kept] = columns[c]![p]!;
      ops[kept++] = op;
    }
    if (kept !== n) for (let c = 0; c < columns.length; c++) columns[c]!.length = kept;
    return new ChangelogChunk(kept === n ? ops : ops.subarray(0, kept), columns, kept);
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
    if (!this.eagerPadding) {
      this.eagerPadding = true;
      this.emitUnmatched();
    }
    // A window join: rows of windows both inputs' watermarks have passed can match nothing new, and
    // their padded rows (outer joins) are final, so their state goes.
    for (const { pair, time } of this.evictions) {
      const [l, r] = this.plan.equiKeys[pair]!;
      this.sides.left.evictBelow(l, time);
      this.sides.right.evictBelow(r, time);
    }
    this.evictions = [];
  }

  protected override onEnd(): void {
    if (!this.eagerPadding) this.emitUnmatched();
  }

  snapshotState(full: boolean): StateDelta {
    return encodeCaptured(this.captureState(full));
  }

  /** The snapshot with every bucket's datums copied, their encoding left pending. */
  captureState(full: boolean): CapturedState {
    this.assertBetweenEpochs();
    if (this.evictions.length > 0) throw new SqlError(SQLSTATE.internalError, `${this.name}: evictions pending between epochs`);
    // Before the first snapshot nothing was marked: write everything.
    if (!this.tracksChanges) full = true;
    this.tracksChanges = true;
    const meta: Datum[] = [this.eagerPadding];
    for (const w of this.keyWatermarks) meta.push(w.save());
    const ready: StateEntry[] = [{ key: META_KEY, value: encodeStateValue(meta) }];
    const pending: { key: StateKey; values: Datum[] }[] = [];
    const deletes: StateKey[] = [];
    for (const sideName of ['left', 'right'] as const) {
      const side = this.sides[sideName];
      const withMatches = this.preserves(sideName);
      const changed = side.dirty.take();
      const entry = (key: BucketKey | undefined): { key: StateKey; values: Datum[] } => {
        const values = side.saveBucket(key, withMatches);
        values.unshift(sideName);
        return { key: bucketStateKey(sideName, key), values };
      };
      if (full) {
        for (const key of side.keys()) pending.push(entry(key));
      } else {
        for (const key of changed) {
          if (side.has(key)) pending.push(entry(key));
          else deletes.push(bucketStateKey(sideName, key));
        }
      }
    }
    return { ready, pending, deletes };
  }

  restoreState(entries: Iterable<StateEntry>): void {
    this.tracksChanges = true;
    for (const entry of entries) {
      const values = decodeStateValue(entry.value);
      if (entry.key === META_KEY) {
        this.eagerPadding = values[0] as boolean;
        this.keyWatermarks.forEach((w, i) => w.load(values[i + 1] as Datum[]));
      } else {
        this.sides[values[0] as Side].restoreBucket(values.slice(1));
      }
    }
  }
}
