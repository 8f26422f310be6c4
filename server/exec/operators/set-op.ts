/**
 * SetOp: UNION ALL passes both inputs through; UNION counts rows and emits a row when its count
 * becomes positive (retracting it at zero); INTERSECT / EXCEPT [ALL] count rows per side and emit
 * the multiset result (min(m, n) / max(m - n, 0) copies, or one without ALL): a batch run at end of
 * input, a continuous one at each barrier as the change in copies of every row touched since.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import type { Row } from '../../types/datum.js';
import { keyOf } from '../row-key.js';
import { Representatives } from './representatives.js';
import { BinaryOperator, CombinedWatermark, type Downstream } from './operator.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';

interface Counted {
  readonly key: string;
  readonly row: Row;
  left: number;
  right: number;
  /** Copies downstream holds (continuous INTERSECT / EXCEPT). */
  emitted: number;
  touched: boolean;
}

export class SetOpOperator extends BinaryOperator {
  private readonly counts = new Map<string, Counted>();
  /** UNION (distinct): the row shown per key, one still present (see Representatives). */
  private readonly unionShown = new Representatives();
  /** INTERSECT / EXCEPT rows whose counts changed since the last barrier, in first-touch order. */
  private touched: Counted[] = [];
  private sawBarrier = false;
  /** Per column, the minimum of the two inputs' watermarks (a row of either side can change the output). */
  private readonly watermarks = new Map<number, CombinedWatermark>();

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
}
