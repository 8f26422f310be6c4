/**
 * SetOp: UNION ALL passes both inputs through; UNION counts rows and emits a row when its count
 * becomes positive (retracting it at zero); INTERSECT / EXCEPT [ALL] count rows per side and emit
 * the multiset result (min(m, n) / max(m - n, 0) copies, or one without ALL): a batch run at end of
 * input, a continuous one at each barrier as the change in copies of every row touched since.
 * Checkpoints: one entry per distinct row (its counts per side and the copies emitted, or UNION's
 * spellings), and META (whether a barrier passed, the per-column combined watermarks).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import { keyOf } from '../row-key.js';
import { Representatives } from './representatives.js';
import { BinaryOperator, CombinedWatermark, type Downstream } from './operator.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
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

/** The first character of a counted row's state key (Representatives' entries start with 'g'). */
const COUNTED_KEY_PREFIX = 'c';

interface Counted {
  readonly key: string;
  readonly row: Row;
  left: number;
  right: number;
  /** Copies downstream holds (continuous INTERSECT / EXCEPT). */
  emitted: number;
  touched: boolean;
}

export class SetOpOperator extends BinaryOperator implements StatefulOperator {
  private readonly counts = new Map<string, Counted>();
  /** UNION (distinct): the row shown per key, one still present (see Representatives). */
  private readonly unionShown = new Representatives();
  /** INTERSECT / EXCEPT rows whose counts changed since the last barrier, in first-touch order. */
  private touched: Counted[] = [];
  private sawBarrier = false;
  /** Per column, the minimum of the two inputs' watermarks (a row of either side can change the output). */
  private readonly watermarks = new Map<number, CombinedWatermark>();
  /** INTERSECT / EXCEPT rows changed since the last snapshot (marked at the barrier, from `touched`). */
  private readonly dirty = new DirtyKeys<string>();

  constructor(out: Downstream, private readonly op: 'union' | 'intersect' | 'except', private readonly all: boolean, private readonly width: number) {
    super(`SetOp ${op}${all ? ' all' : ''}`, out);
  }

  protected override onWatermark(msg: WatermarkMessage, side: 'left' | 'right'): void {
    let c = this.watermarks.get(msg.column);
    if (!c) this.watermarks.set(msg.column, (c = new CombinedWatermark()));
    const next = c.update(side, msg.time, msg.idle);
    if (next !== undefined) this.watermarkAtBarrier(Messages.watermark(msg.column, next));
  }

  protected onChunk(input: ChangelogChunk, side: 'left' | 'right'): void {
    const chunk = input.compact();
    if (this.op === 'union' && this.all) {
      this.emit(chunk);
      return;
    }
    const b = new ChunkBuilder(this.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      const key = keyOf(row);
      if (this.op === 'union') {
        this.unionShown.apply(key, row, opSign(chunk.ops[i] as Op), b);
        continue;
      }
      let c = this.counts.get(key);
      if (!c) {
        c = { key, row, left: 0, right: 0, emitted: 0, touched: false };
        this.counts.set(key, c);
      }
      const sign = opSign(chunk.ops[i] as Op);
      if (side === 'left') c.left += sign;
      else c.right += sign;
      if (!c.touched) {
        c.touched = true;
        this.touched.push(c);
      }
    }
    this.emit(b.build());
  }

  private copies(c: Counted): number {
    const l = Math.max(c.left, 0), r = Math.max(c.right, 0);
    if (this.op === 'intersect') return this.all ? Math.min(l, r) : l > 0 && r > 0 ? 1 : 0;
    return this.all ? Math.max(l - r, 0) : l > 0 && r === 0 ? 1 : 0;
  }

  protected override onBarrier(): void {
    this.sawBarrier = true;
    if (this.op === 'union') return;
    const b = new ChunkBuilder(this.width, Math.max(16, this.touched.length));
    for (const c of this.touched) {
      c.touched = false;
      this.dirty.mark(c.key);
      const copies = this.copies(c);
      for (let k = c.emitted; k < copies; k++) b.append(Op.Insert, c.row);
      for (let k = copies; k < c.emitted; k++) b.append(Op.Delete, c.row);
      c.emitted = copies;
      if (c.left <= 0 && c.right <= 0 && copies === 0) this.counts.delete(c.key);
    }
    this.touched = [];
    this.emit(b.build());
  }

  protected override onEnd(): void {
    if (this.op === 'union') return;
    if (this.sawBarrier) {
      this.onBarrier();
      return;
    }
    const b = new ChunkBuilder(this.width);
    for (const c of this.counts.values()) {
      const copies = this.copies(c);
      for (let k = 0; k < copies; k++) b.append(Op.Insert, c.row);
    }
    this.emit(b.build());
  }

  /** Distinct rows held (UNION: rows shown; INTERSECT / EXCEPT: rows counted; UNION ALL: none). */
  stateRows(): number {
    return this.op === 'union' ? this.unionShown.size : this.counts.size;
  }

  snapshotState(full: boolean): StateDelta {
    this.assertBetweenEpochs();
    const meta: Datum[] = [this.sawBarrier];
    for (const [column, c] of this.watermarks) meta.push(column, c.save());
    const metaEntry: StateEntry = { key: META_KEY, value: encodeStateValue(meta) };
    if (this.op === 'union') {
      const groups = this.unionShown.snapshotGroups(full);
      groups.upserts.push(metaEntry);
      return groups;
    }
    const delta: StateDelta = { upserts: [metaEntry], deletes: [] };
    snapshotUnits(this.counts, this.dirty, full, (key) => COUNTED_KEY_PREFIX + key, (c) => countedEntry(c).value, delta);
    return delta;
  }

  restoreState(entries: Iterable<StateEntry>): void {
    for (const entry of entries) {
      if (entry.key === META_KEY) {
        const meta = decodeStateValue(entry.value);
        this.sawBarrier = meta[0] as boolean;
        for (let i = 1; i < meta.length; i += 2) {
          const c = new CombinedWatermark();
          c.load(meta[i + 1] as Datum[]);
          this.watermarks.set(meta[i] as number, c);
        }
      } else if (Representatives.ownsKey(entry.key)) {
        this.unionShown.restoreGroup(entry);
      } else {
        const [key, row, left, right, emitted] = decodeStateValue(entry.value) as [string, Row, number, number, number];
        this.counts.set(key, { key, row, left, right, emitted, touched: false });
      }
    }
  }
}

/** A counted row's entry: [key, row, left count, right count, copies emitted]. */
function countedEntry(c: Counted): StateEntry {
  return { key: COUNTED_KEY_PREFIX + c.key, value: encodeStateValue([c.key, c.row, c.left, c.right, c.emitted]) };
}
