/**
 * SessionWindow: the SESSION table function as a stateful operator (plan: logical/session-window.ts).
 * Per partition it holds the input rows of its sessions by time, and the sessions as last emitted.
 * Changes of an epoch are gathered and applied at the barrier (or at end of a batch run): rows whose
 * session changed (created, extended, merged, split) are retracted with their old window_start /
 * window_end and re-emitted with the new ones, as update pairs; new rows are inserted, deleted rows
 * deleted. A watermark on the time column closes sessions that end at or before it (a later row can
 * no longer reach them): their rows leave the state, and the watermarks that stay true for the output
 * move on (session-bounds.ts). Watermarks on other columns are dropped: re-emitted rows may be below them.
 * Checkpoints: one entry per partition, key `p` + partition key, value [key, times, rows per time,
 * session starts, session ends] (an epoch's additions and removals are flushed by then); META holds
 * the time watermark applied (closedBelow), the watermarks forwarded and the rows held.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import type { SessionWindowNode } from '../../plan/logical/session-window.js';
import type { Datum, Row } from '../../types/datum.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import { appendSessions, lowerBound, sessionAt, sessionWatermarks } from '../session-bounds.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { snapshotUnits, restoreUnits, checkStateShape, DirtyKeys, META_KEY, encodeStateValue, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { sameRow } from './same-row.js';

/** One partition's state. `times`/`rows` and `starts`/`ends` agree with what downstream holds. */
interface Partition {
  readonly key: string;
  /** Ascending distinct times of the rows downstream holds (an entry may be emptied by deletes this epoch). */
  times: number[];
  /** The rows at each time. */
  rows: Row[][];
  /** The sessions downstream holds, ascending. */
  starts: number[];
  ends: number[];
  /** Rows inserted this epoch, not yet emitted. */
  addedTimes: number[];
  addedRows: Row[];
  /** Rows deleted this epoch that downstream holds (with the window of their time in starts/ends). */
  removedTimes: number[];
  removedRows: Row[];
  /** The range of times changed this epoch (Infinity / -Infinity when none). */
  changedMin: number;
  changedMax: number;
  dirty: boolean;
}

/** Output rows: the input columns, window_start, window_end. */
class OutputBuilder {
  private ops: number[] = [];
  private columns: Datum[][];
  constructor(private readonly inputWidth: number) {
    this.columns = Array.from({ length: inputWidth + 2 }, () => []);
  }
  get length(): number {
    return this.ops.length;
  }
  append(op: Op, row: Row, start: number, end: number): void {
    this.ops.push(op);
    const w = this.inputWidth;
    for (let c = 0; c < w; c++) this.columns[c]!.push(row[c]!);
    this.columns[w]!.push(start);
    this.columns[w + 1]!.push(end);
  }
  take(): { ops: Uint8Array; columns: Datum[][]; length: number } {
    const out = { ops: Uint8Array.from(this.ops), columns: this.columns, length: this.ops.length };
    this.ops = [];
    this.columns = Array.from({ length: this.inputWidth + 2 }, () => []);
    return out;
  }
}

export class SessionWindowOperator extends UnaryOperator implements StatefulOperator {
  private readonly partitions = new Map<string, Partition>();
  /** Partition keys changed since the last snapshot (marked at the barrier). */
  private readonly changed = new DirtyKeys<string>();
  private readonly dirty: Partition[] = [];
  private readonly timeColumn: number;
  private readonly gap: number;
  private readonly partitionKeys: readonly number[];
  private readonly inputWidth: number;
  private readonly output: OutputBuilder;
  /** The time watermark last applied: sessions ending at or before it are gone; rows below it are late. */
  private closedBelow = -Infinity;
  /** The largest time watermark received and not yet applied. */
  private pendingWatermark: WatermarkMessage | undefined;
  private readonly forwarded = { time: -Infinity, start: -Infinity, end: -Infinity };
  private heldRows = 0;

  constructor(out: Downstream, plan: SessionWindowNode, private readonly env: ExprEnv) {
    super('SessionWindow', out);
    this.timeColumn = plan.timeColumn;
    this.gap = plan.gap;
    this.partitionKeys = plan.partitionKeys;
    this.inputWidth = plan.input.schema.length;
    this.output = new OutputBuilder(this.inputWidth);
  }

  /** Input rows held (freshet_watermarks.state_rows). */
  stateRows(): number {
    return this.heldRows;
  }

  snapshotState(full: boolean): StateDelta {
    if (this.dirty.length > 0 || this.pendingWatermark !== undefined) {
      throw new SqlError(SQLSTATE.internalError, 'SessionWindow snapshot taken in the middle of an epoch');
    }
    const delta: StateDelta = { upserts: [], deletes: [] };
    snapshotUnits(this.partitions, this.changed, full, (key) => 'p' + key, (p) => encodeStateValue([p.key, p.times, p.rows, p.starts, p.ends]), delta);
    const f = this.forwarded;
    delta.upserts.push({ key: META_KEY, value: encodeStateValue([...this.shape(), this.closedBelow, f.time, f.start, f.end, this.heldRows]) });
    return delta;
  }

  restoreState(stored: Iterable<StateEntry>): void {
    // No entries at all: nothing was checkpointed for it, so it starts fresh.
    const entries = [...stored];
    if (entries.length === 0) return;
    this.partitions.clear();
    const meta = restoreUnits(entries, (values) => {
      const p = newPartition(values[0] as string);
      p.times = values[1] as number[];
      p.rows = values[2] as Row[][];
      p.starts = values[3] as number[];
      p.ends = values[4] as number[];
      this.partitions.set(p.key, p);
    });
    const [closedBelow, time, start, end, heldRows] = checkStateShape('SessionWindow', meta, this.shape(), false) as number[];
    this.closedBelow = closedBelow!;
    this.forwarded.time = time!;
    this.forwarded.start = start!;
    this.forwarded.end = end!;
    this.heldRows = heldRows!;
    this.changed.clear();
  }

  /** What a checkpoint must agree on with the operator restoring it. */
  private shape(): Datum[] {
    return [this.timeColumn, this.gap, this.inputWidth, this.partitionKeys.join(',')];
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const n = chunk.length;
    const times = chunk.columns[this.timeColumn]!;
    const keyCols = this.partitionKeys.map((k) => chunk.columns[k]!);
    const keyValues = new Array<Datum>(keyCols.length);
    for (let i = 0; i < n; i++) {
      const t = times[i] as number | null;
      if (t === null) continue;
      const op = chunk.ops[i] as Op;
      const insert = op === Op.Insert || op === Op.UpdateAfter;
      if (t < this.closedBelow) {
        // Its session closed: an insert would open a session the closed one should have held.
        if (insert && this.env.metrics) this.env.metrics.lateRows++;
        continue;
      }
      for (let k = 0; k < keyCols.length; k++) keyValues[k] = keyCols[k]![i]!;
      const key = keyCols.length === 0 ? '' : keyOf(keyValues);
      let p = this.partitions.get(key);
      if (!p) {
        if (!insert) continue;
        p = newPartition(key);
        this.partitions.set(key, p);
      }
      if (insert) this.insert(p, t, chunk.row(i));
      else this.delete(p, t, chunk.row(i));
    }
  }

  private touch(p: Partition, t: number): void {
    if (t < p.changedMin) p.changedMin = t;
    if (t > p.changedMax) p.changedMax = t;
    if (!p.dirty) {
      p.dirty = true;
      this.dirty.push(p);
    }
  }

  private insert(p: Partition, t: number, row: Row): void {
    p.addedTimes.push(t);
    p.addedRows.push(row);
    this.heldRows++;
    this.touch(p, t);
  }

  /** Removes one row equal to `row`: one downstream holds if there is one, else one added this epoch. */
  private delete(p: Partition, t: number, row: Row): void {
    const e = lowerBound(p.times, t);
    if (e < p.times.length && p.times[e] === t) {
      const at = p.rows[e]!;
      for (let r = 0; r < at.length; r++) {
        if (!sameRow(at[r]!, row)) continue;
        at.splice(r, 1);
        p.removedTimes.push(t);
        p.removedRows.push(row);
        this.heldRows--;
        this.touch(p, t);
        return;
      }
    }
    for (let a = 0; a < p.addedRows.length; a++) {
      if (p.addedTimes[a] !== t || !sameRow(p.addedRows[a]!, row)) continue;
      p.addedTimes.splice(a, 1);
      p.addedRows.splice(a, 1);
      this.heldRows--;
      return;
    }
    // A row never held (its session closed, or it came late): nothing downstream to change.
  }

  protected override onWatermark(msg: WatermarkMessage): void {
    if (msg.column !== this.timeColumn || Number.isNaN(msg.time)) return;
    if (this.pendingWatermark === undefined || msg.time >= this.pendingWatermark.time) this.pendingWatermark = msg;
  }

  protected override onBarrier(): void {
    this.flush();
    const w = this.pendingWatermark;
    this.pendingWatermark = undefined;
    if (w !== undefined) this.close(w);
  }

  protected override onEnd(): void {
    this.flush();
  }

  /** Emits the epoch's changes of every dirty partition. */
  private flush(): void {
    for (const p of this.dirty) this.flushPartition(p);
    this.dirty.length = 0;
    if (this.output.length === 0) return;
    const { ops, columns, length } = this.output.take();
    this.out.push(Messages.chunk(new ChangelogChunk(ops, columns, length)));
  }

  private flushPartition(p: Partition): void {
    p.dirty = false;
    this.changed.mark(p.key);
    const gap = this.gap;
    const cmin = p.changedMin;
    const cmax = p.changedMax;
    p.changedMin = Infinity;
    p.changedMax = -Infinity;
    // Deleted rows leave with the window downstream holds them in.
    for (let r = 0; r < p.removedRows.length; r++) {
      const t = p.removedTimes[r]!;
      const s = sessionAt(p.starts, p.ends, t);
      this.output.append(Op.Delete, p.removedRows[r]!, p.starts[s]!, p.ends[s]!);
    }
    p.removedTimes = [];
    p.removedRows = [];
    // Old sessions that a change at a time in [cmin, cmax] can touch: those ending after cmin and
    // starting before cmax + gap. The rows outside them keep their sessions (session-bounds.ts).
    const oa = lowerBound(p.ends, cmin, true);
    const ob = lowerBound(p.starts, cmax + gap);
    const lowTime = oa < ob ? Math.min(cmin, p.starts[oa]!) : cmin;
    const highTime = oa < ob ? Math.max(cmax, p.ends[ob - 1]! - gap) : cmax;
    const lo = lowerBound(p.times, lowTime);
    const hi = lowerBound(p.times, highTime, true);
    // The added rows in time order, merged with the held entries of the region.
    const added = p.addedTimes.map((_, i) => i);
    added.sort((a, b) => p.addedTimes[a]! - p.addedTimes[b]!);
    const times: number[] = [];
    const rows: Row[][] = [];
    const heldCount: number[] = [];
    let e = lo;
    let a = 0;
    while (e < hi || a < added.length) {
      const te = e < hi ? p.times[e]! : Infinity;
      const ta = a < added.length ? p.addedTimes[added[a]!]! : Infinity;
      const t = e < hi && (a >= added.length || te <= ta) ? te : ta;
      const at: Row[] = e < hi && te === t ? p.rows[e++]! : [];
      const held = at.length;
      while (a < added.length && p.addedTimes[added[a]!] === t) at.push(p.addedRows[added[a++]!]!);
      if (at.length === 0) continue;
      times.push(t);
      rows.push(at);
      heldCount.push(held);
    }
    p.addedTimes = [];
    p.addedRows = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const sessionOf: number[] = [];
    appendSessions(times, 0, times.length, gap, starts, ends, sessionOf);
    for (let k = 0; k < times.length; k++) {
      const s = sessionOf[k]!;
      const ns = starts[s]!;
      const ne = ends[s]!;
      const at = rows[k]!;
      const held = heldCount[k]!;
      if (held > 0) {
        const o = sessionAt(p.starts, p.ends, times[k]!);
        const os = p.starts[o]!;
        const oe = p.ends[o]!;
        if (os !== ns || oe !== ne) {
          for (let r = 0; r < held; r++) {
            this.output.append(Op.UpdateBefore, at[r]!, os, oe);
            this.output.append(Op.UpdateAfter, at[r]!, ns, ne);
          }
        }
      }
      for (let r = held; r < at.length; r++) this.output.append(Op.Insert, at[r]!, ns, ne);
    }
    p.times = replaceRange(p.times, lo, hi, times);
    p.rows = replaceRange(p.rows, lo, hi, rows);
    p.starts = replaceRange(p.starts, oa, Math.max(oa, ob), starts);
    p.ends = replaceRange(p.ends, oa, Math.max(oa, ob), ends);
    if (p.times.length === 0) this.partitions.delete(p.key);
  }

  /**
   * Applies a time watermark: sessions ending at or before it leave the state, then the watermarks
   * of the time column, window_start and window_end go downstream (after this epoch's changes).
   */
  private close(msg: WatermarkMessage): void {
    const w = msg.time;
    if (w > this.closedBelow) this.closedBelow = w;
    let openStart = Infinity;
    for (const [key, p] of this.partitions) {
      const closed = lowerBound(p.ends, w, true);
      if (closed > 0) {
        this.changed.mark(key);
        const keep = closed < p.starts.length ? lowerBound(p.times, p.starts[closed]!) : p.times.length;
        for (let e = 0; e < keep; e++) this.heldRows -= p.rows[e]!.length;
        p.times = replaceRange(p.times, 0, keep, []);
        p.rows = replaceRange(p.rows, 0, keep, []);
        p.starts = replaceRange(p.starts, 0, closed, []);
        p.ends = replaceRange(p.ends, 0, closed, []);
      }
      if (p.starts.length === 0) {
        this.changed.mark(key);
        this.partitions.delete(key);
        continue;
      }
      if (p.starts[0]! < openStart) openStart = p.starts[0]!;
    }
    const marks = sessionWatermarks(this.closedBelow, openStart, this.gap);
    const f = this.forwarded;
    if (marks.time > f.time) {
      f.time = marks.time;
      this.out.push(Messages.watermark(this.timeColumn, marks.time, msg.idle));
    }
    if (marks.start > f.start) {
      f.start = marks.start;
      this.out.push(Messages.watermark(this.inputWidth, marks.start, msg.idle));
    }
    if (marks.end > f.end) {
      f.end = marks.end;
      this.out.push(Messages.watermark(this.inputWidth + 1, marks.end, msg.idle));
    }
  }
}

function newPartition(key: string): Partition {
  return {
    key,
    times: [],
    rows: [],
    starts: [],
    ends: [],
    addedTimes: [],
    addedRows: [],
    removedTimes: [],
    removedRows: [],
    changedMin: Infinity,
    changedMax: -Infinity,
    dirty: false,
  };
}

/** `values` with [from, to) replaced by `items`, in place when that is cheap (spread arguments are bounded). */
function replaceRange<T>(values: T[], from: number, to: number, items: readonly T[]): T[] {
  if (from === 0 && to === values.length) return items.slice();
  if (items.length <= 4096) {
    values.splice(from, to - from, ...items);
    return values;
  }
  return values.slice(0, from).concat(items, values.slice(to));
}
