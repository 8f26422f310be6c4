/**
 * IntervalJoin: an inner symmetric hash join of two append-only inputs whose condition bounds
 * `right.t - left.t` to a constant range (exec/interval-join-bounds.ts). Each side keeps its rows per
 * equi-key, sorted by time, so an arriving row probes only the other side's rows inside its range; a
 * watermark on one side's time column evicts the other side's rows that no future row can reach (and
 * such rows arriving later are never stored), and the output time columns get watermarks derived from
 * both sides. Without watermarks (a batch run) nothing is evicted and the result is the full join.
 * It never emits a retraction, so it holds nothing of what it emitted. Checkpoints: one entry per
 * equi-key per side (its rows and their times, in order), and META (each side's watermark and
 * eviction threshold, the output watermarks sent, the key watermarks).
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { JoinNode } from '../../plan/logical/join.js';
import type { Datum, Row } from '../../types/datum.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import type { IntervalJoinBounds } from '../interval-join-bounds.js';
import { keyOf } from '../row-key.js';
import { BinaryOperator, CombinedWatermark, type Downstream } from './operator.js';
import {
  snapshotUnits,
  decodeStateValue,
  DirtyKeys,
  encodeStateValue,
  META_KEY,
  type StateDelta,
  type StateEntry,
  type StatefulOperator,
} from './operator-state.js';

type Side = 'left' | 'right';

/** Candidate pairs evaluated (and emitted) together. */
const BLOCK = 1024;

/** The rows of one side with one equi-key, ascending by time (ties in arrival order). */
class TimeBucket {
  readonly times: number[] = [];
  readonly rows: Row[] = [];
  /** Position in the side's eviction heap. */
  heapAt = -1;
  constructor(readonly key: string) {}

  /** The first position whose time is above `t` (at or above it when `orEqual`). */
  firstAfter(t: number, orEqual: boolean): number {
    const times = this.times;
    let lo = 0, hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (orEqual ? times[mid]! < t : times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(time: number, row: Row): number {
    const times = this.times;
    // Rows mostly arrive in time order: append unless the last row is later.
    const at = times.length === 0 || times[times.length - 1]! <= time ? times.length : this.firstAfter(time, false);
    if (at === times.length) {
      times.push(time);
      this.rows.push(row);
    } else {
      times.splice(at, 0, time);
      this.rows.splice(at, 0, row);
    }
    return at;
  }
}

/**
 * One input's stored rows: buckets by equi-key, and a min-heap of the buckets by their earliest
 * time, so eviction visits only buckets that hold a row to evict.
 */
class IntervalJoinSide {
  readonly buckets = new Map<string, TimeBucket>();
  private readonly heap: TimeBucket[] = [];
  /** Buckets changed (rows added or evicted) since the last snapshot. */
  readonly dirty = new DirtyKeys<string>();
  /** Whether added rows mark their bucket: from the first snapshot (full) or a restore on; a batch run pays nothing. */
  tracksChanges = false;
  stored = 0;
  /** The input's watermark on its time column (microseconds), and whether the input is idle. */
  watermark = -Infinity;
  idle = false;
  /**
   * Rows at or below this time (below only, when `reachAtThreshold`) can meet no future row of the
   * other side: set from the other side's watermark; such rows are evicted, or never stored.
   */
  threshold = -Infinity;
  reachAtThreshold = true;

  constructor(
    readonly keyColumns: readonly number[],
    readonly timeColumn: number,
  ) {}

  /** The key of row `i` of a chunk, or undefined when a key column is NULL (it can never match). */
  keyAt(columns: readonly Datum[][], i: number, vals: Datum[]): string | undefined {
    if (this.keyColumns.length === 0) return '';
    for (let k = 0; k < this.keyColumns.length; k++) {
      const v = columns[this.keyColumns[k]!]![i]!;
      if (v === null) return undefined;
      vals[k] = v;
    }
    return keyOf(vals);
  }

  add(key: string, time: number, row: Row): void {
    if (this.tracksChanges) this.dirty.mark(key);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TimeBucket(key);
      this.buckets.set(key, bucket);
      bucket.heapAt = this.heap.length;
      this.heap.push(bucket);
      bucket.insert(time, row);
      this.siftUp(bucket.heapAt);
    } else if (bucket.insert(time, row) === 0) {
      this.siftUp(bucket.heapAt);
    }
    this.stored++;
  }

  /** Whether a row at `time` can still meet a future row of the other side. */
  reachable(time: number): boolean {
    return time > this.threshold || (time === this.threshold && this.reachAtThreshold);
  }

  /** Raises the threshold (rows at or below it are out of reach) and drops the rows it passed. */
  evictTo(threshold: number, reachAtThreshold: boolean): void {
    if (threshold < this.threshold) return;
    this.threshold = threshold;
    this.reachAtThreshold = reachAtThreshold;
    const orEqual = !reachAtThreshold;
    const heap = this.heap;
    while (heap.length > 0) {
      const bucket = heap[0]!;
      const first = bucket.times[0]!;
      if (first > threshold || (first === threshold && !orEqual)) return;
      const n = bucket.firstAfter(threshold, !orEqual);
      this.dirty.mark(bucket.key);
      bucket.times.splice(0, n);
      bucket.rows.splice(0, n);
      this.stored -= n;
      if (bucket.times.length === 0) {
        this.buckets.delete(bucket.key);
        const last = heap.pop()!;
        if (last !== bucket) {
          heap[0] = last;
          last.heapAt = 0;
          this.siftDown(0);
        }
      } else {
        this.siftDown(0);
      }
    }
  }

  /** Loads a bucket's rows (ascending by time) into this side, which has no such bucket yet. */
  restoreBucket(key: string, times: readonly number[], rows: readonly Row[]): void {
    const bucket = new TimeBucket(key);
    for (let i = 0; i < times.length; i++) {
      bucket.times.push(times[i]!);
      bucket.rows.push(rows[i]!);
    }
    this.buckets.set(key, bucket);
    bucket.heapAt = this.heap.length;
    this.heap.push(bucket);
    this.siftUp(bucket.heapAt);
    this.stored += rows.length;
  }

  /** The side's watermark and eviction progress, for META; `loadProgress` takes them back. */
  saveProgress(): Datum[] {
    return [this.watermark, this.idle, this.threshold, this.reachAtThreshold];
  }

  loadProgress(values: readonly Datum[]): void {
    this.watermark = values[0] as number;
    this.idle = values[1] as boolean;
    this.threshold = values[2] as number;
    this.reachAtThreshold = values[3] as boolean;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const b = heap[i]!;
    const t = b.times[0]!;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (heap[parent]!.times[0]! <= t) break;
      heap[i] = heap[parent]!;
      heap[i]!.heapAt = i;
      i = parent;
    }
    heap[i] = b;
    b.heapAt = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const b = heap[i]!;
    const t = b.times[0]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && heap[r]!.times[0]! < heap[l]!.times[0]! ? r : l;
      if (heap[c]!.times[0]! >= t) break;
      heap[i] = heap[c]!;
      heap[i]!.heapAt = i;
      i = c;
    }
    heap[i] = b;
    b.heapAt = i;
  }
}

export class IntervalJoinOperator extends BinaryOperator implements StatefulOperator {
  private readonly sides: Record<Side, IntervalJoinSide>;
  private readonly residual: ColumnEvaluator | undefined;
  private readonly leftWidth: number;
  private readonly rightWidth: number;
  /** The last watermark sent per output column (-Infinity: none); they never go down. */
  private readonly sent: Float64Array;
  /** Whether the output time columns were last reported idle. */
  private outIdle = false;
  /** Per equi-key, the watermark its two columns share in the output. */
  private readonly keyWatermarks: CombinedWatermark[];

  // Candidate pairs of the block being gathered: the arriving row's index and the stored row.
  private pairArriving: number[] = [];
  private pairStored: Row[] = [];

  constructor(
    out: Downstream,
    plan: JoinNode,
    private readonly bounds: IntervalJoinBounds,
    private readonly env: ExprEnv,
  ) {
    super('IntervalJoin', out);
    if (plan.joinType !== 'inner') throw new SqlError(SQLSTATE.internalError, `IntervalJoin supports inner joins only, not ${plan.joinType}`);
    this.sides = {
      left: new IntervalJoinSide(plan.equiKeys.map(([l]) => l), bounds.leftTime),
      right: new IntervalJoinSide(plan.equiKeys.map(([, r]) => r), bounds.rightTime),
    };
    this.residual = bounds.residual ? compileExpr(bounds.residual) : undefined;
    this.leftWidth = plan.left.schema.length;
    this.rightWidth = plan.right.schema.length;
    this.sent = new Float64Array(this.leftWidth + this.rightWidth).fill(-Infinity);
    this.keyWatermarks = plan.equiKeys.map(() => new CombinedWatermark());
  }

  /** Rows held in state on both sides (for tests and memory accounting). */
  /** Rows held (freshet_watermarks.state_rows). */
  stateRows(): number {
    return this.storedRows;
  }

  get storedRows(): number {
    return this.sides.left.stored + this.sides.right.stored;
  }

  protected onChunk(input: ChangelogChunk, side: Side): void {
    const chunk = input.compact();
    if (!chunk.isInsertOnly()) {
      throw new SqlError(SQLSTATE.internalError, 'IntervalJoin received a retraction: its inputs must be append-only');
    }
    const own = this.sides[side];
    if (own.idle) {
      // The input speaks again: it counts in the output watermarks from now on.
      own.idle = false;
      this.forwardTimeWatermarks();
    }
    const other = this.sides[side === 'left' ? 'right' : 'left'];
    const b = this.bounds;
    // The other side's times that a row at time t pairs with: [t + from, t + to].
    const from = side === 'left' ? b.lowerMicros : -b.upperMicros;
    const fromInclusive = side === 'left' ? b.lowerInclusive : b.upperInclusive;
    const to = side === 'left' ? b.upperMicros : -b.lowerMicros;
    const toInclusive = side === 'left' ? b.upperInclusive : b.lowerInclusive;
    const timeCol = chunk.columns[own.timeColumn]!;
    const keyVals = new Array<Datum>(own.keyColumns.length);
    for (let i = 0; i < chunk.length; i++) {
      const time = timeCol[i]!;
      if (time === null) continue; // a NULL time satisfies no bound
      const key = own.keyAt(chunk.columns, i, keyVals);
      if (key === undefined) continue;
      const t = time as number;
      const bucket = other.buckets.get(key);
      if (bucket) {
        const hi = t + to;
        const times = bucket.times;
        for (let j = bucket.firstAfter(t + from, fromInclusive); j < times.length; j++) {
          const u = times[j]!;
          if (u > hi || (u === hi && !toInclusive)) break;
          this.pairArriving.push(i);
          this.pairStored.push(bucket.rows[j]!);
        }
        if (this.pairArriving.length >= BLOCK) this.emitPairs(chunk, side);
      }
      if (own.reachable(t)) own.add(key, t, chunk.row(i));
    }
    this.emitPairs(chunk, side);
  }

  /** Builds the joined rows of the gathered pairs, applies the residual condition, emits Inserts. */
  private emitPairs(chunk: ChangelogChunk, side: Side): void {
    const n = this.pairArriving.length;
    if (n === 0) return;
    const arriving = this.pairArriving;
    const stored = this.pairStored;
    this.pairArriving = [];
    this.pairStored = [];
    const lw = this.leftWidth;
    const width = lw + this.rightWidth;
    const columns: Datum[][] = new Array<Datum[]>(width);
    const [arrivingAt, storedAt, arrivingWidth] = side === 'left' ? [0, lw, lw] : [lw, 0, this.rightWidth];
    for (let c = 0; c < arrivingWidth; c++) {
      const src = chunk.columns[c]!;
      const col = new Array<Datum>(n);
      for (let p = 0; p < n; p++) col[p] = src[arriving[p]!]!;
      columns[arrivingAt + c] = col;
    }
    for (let c = 0; c < width - arrivingWidth; c++) {
      const col = new Array<Datum>(n);
      for (let p = 0; p < n; p++) col[p] = stored[p]![c]!;
      columns[storedAt + c] = col;
    }
    let visibility: Uint8Array | null = null;
    if (this.residual) {
      const pass = this.residual(columns, n, this.env);
      visibility = new Uint8Array(n);
      let kept = 0;
      for (let p = 0; p < n; p++) if (pass[p] === true) {
        visibility[p] = 1;
        kept++;
      }
      if (kept === 0) return;
      if (kept === n) visibility = null;
    }
    this.emit(new ChangelogChunk(new Uint8Array(n).fill(Op.Insert), columns, n, visibility));
  }

  /**
   * A watermark on one input. On its time column it evicts the other side's rows that no future row
   * of this side can reach, and moves the output time columns' watermarks. On an equi-key column
   * watermarked on both sides the output key columns get the smaller (CombinedWatermark). Other
   * columns promise nothing about the output: a new output row may pair a new row with an old one.
   */
  protected override onWatermark(msg: WatermarkMessage, side: Side): void {
    const own = this.sides[side];
    const keys = own.keyColumns;
    for (let k = 0; k < keys.length; k++) {
      if (keys[k] !== msg.column) continue;
      const time = this.keyWatermarks[k]!.update(side, msg.time, msg.idle);
      if (time === undefined) continue;
      this.emitWatermark(this.sides.left.keyColumns[k]!, time, false);
      this.emitWatermark(this.leftWidth + this.sides.right.keyColumns[k]!, time, false);
    }
    if (msg.column !== own.timeColumn) return;
    own.watermark = Math.max(own.watermark, msg.time);
    own.idle = msg.idle;
    const b = this.bounds;
    if (side === 'right') {
      // A left row at tl pairs with tr <= tl + upper (< when exclusive); every future tr >= WR.
      this.sides.left.evictTo(own.watermark - b.upperMicros, b.upperInclusive);
    } else {
      // A right row at tr pairs with tl <= tr - lower (< when exclusive); every future tl >= WL.
      this.sides.right.evictTo(own.watermark + b.lowerMicros, b.lowerInclusive);
    }
    this.forwardTimeWatermarks();
  }

  /**
   * A future output row pairs a future left row (tl >= WL, so tr >= WL + lower) with any right row,
   * or a future right row (tr >= WR, so tl >= WR - upper) with a stored left row. An idle side is
   * left out; when both are idle the output time columns are idle too.
   */
  private forwardTimeWatermarks(): void {
    const { left, right } = this.sides;
    const b = this.bounds;
    const leftColumn = b.leftTime;
    const rightColumn = this.leftWidth + b.rightTime;
    if (left.idle && right.idle) {
      if (!this.outIdle) {
        this.outIdle = true;
        this.out.push(Messages.watermark(leftColumn, this.sent[leftColumn]!, true));
        this.out.push(Messages.watermark(rightColumn, this.sent[rightColumn]!, true));
      }
      return;
    }
    let leftTime = Infinity;
    let rightTime = Infinity;
    if (!left.idle) {
      leftTime = left.watermark;
      rightTime = left.watermark + b.lowerMicros;
    }
    if (!right.idle) {
      leftTime = Math.min(leftTime, right.watermark - b.upperMicros);
      rightTime = Math.min(rightTime, right.watermark);
    }
    // Back from idle: say so even when the time did not move.
    const wake = this.outIdle;
    this.outIdle = false;
    this.emitWatermark(leftColumn, leftTime, wake);
    this.emitWatermark(rightColumn, rightTime, wake);
  }

  /** Sends a watermark on an output column when it advances (or, with `resend`, its current one). */
  private emitWatermark(column: number, time: number, resend: boolean): void {
    const last = this.sent[column]!;
    if (time > last) {
      this.sent[column] = time;
      this.out.push(Messages.watermark(column, time));
    } else if (resend && last > -Infinity) {
      this.out.push(Messages.watermark(column, last));
    }
  }

  snapshotState(full: boolean): StateDelta {
    this.assertBetweenEpochs();
    // Before the first snapshot added rows were not marked: write everything.
    if (!this.sides.left.tracksChanges) full = true;
    this.sides.left.tracksChanges = this.sides.right.tracksChanges = true;
    const meta: Datum[] = [this.sides.left.saveProgress(), this.sides.right.saveProgress(), Array.from(this.sent), this.outIdle];
    for (const w of this.keyWatermarks) meta.push(w.save());
    const delta: StateDelta = { upserts: [{ key: META_KEY, value: encodeStateValue(meta) }], deletes: [] };
    for (const sideName of ['left', 'right'] as const) {
      const side = this.sides[sideName];
      const prefix = sideName === 'left' ? 'L' : 'R';
      snapshotUnits(side.buckets, side.dirty, full, (key) => prefix + key, (b) => encodeStateValue([sideName, b.key, b.times, b.rows]), delta);
    }
    return delta;
  }

  restoreState(entries: Iterable<StateEntry>): void {
    this.sides.left.tracksChanges = this.sides.right.tracksChanges = true;
    for (const entry of entries) {
      const values = decodeStateValue(entry.value);
      if (entry.key === META_KEY) {
        this.sides.left.loadProgress(values[0] as Datum[]);
        this.sides.right.loadProgress(values[1] as Datum[]);
        this.sent.set(values[2] as number[]);
        this.outIdle = values[3] as boolean;
        this.keyWatermarks.forEach((w, i) => w.load(values[i + 4] as Datum[]));
      } else {
        this.sides[values[0] as Side].restoreBucket(values[1] as string, values[2] as number[], values[3] as Row[]);
      }
    }
  }
}
