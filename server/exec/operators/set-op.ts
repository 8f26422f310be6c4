/**
 * SetOp: UNION ALL passes both inputs through; UNION counts rows and emits a row when its count
 * becomes positive (retracting it at zero); INTERSECT / EXCEPT [ALL] count rows per side and emit
 * the multiset result at end of input (min(m, n) / max(m - n, 0) copies, or one without ALL).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import type { Row } from '../../types/datum.js';
import { keyOf } from '../row-key.js';
import { BinaryOperator, type Downstream } from './operator.js';

interface Counted {
  readonly row: Row;
  left: number;
  right: number;
}

export class SetOpOperator extends BinaryOperator {
  private readonly counts = new Map<string, Counted>();

  constructor(out: Downstream, private readonly op: 'union' | 'intersect' | 'except', private readonly all: boolean, private readonly width: number) {
    super(`SetOp ${op}${all ? ' all' : ''}`, out);
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
      let c = this.counts.get(key);
      if (!c) {
        c = { row, left: 0, right: 0 };
        this.counts.set(key, c);
      }
      const sign = opSign(chunk.ops[i] as Op);
      if (this.op === 'union') {
        const before = c.left;
        c.left += sign;
        if (before === 0 && c.left > 0) b.append(Op.Insert, row);
        else if (before > 0 && c.left === 0) b.append(Op.Delete, row);
      } else if (side === 'left') c.left += sign;
      else c.right += sign;
    }
    this.emit(b.build());
  }

  protected override onEnd(): void {
    if (this.op === 'union') return;
    const b = new ChunkBuilder(this.width);
    for (const c of this.counts.values()) {
      let copies: number;
      if (this.op === 'intersect') copies = this.all ? Math.min(c.left, c.right) : c.left > 0 && c.right > 0 ? 1 : 0;
      else copies = this.all ? Math.max(c.left - c.right, 0) : c.left > 0 && c.right === 0 ? 1 : 0;
      for (let k = 0; k < copies; k++) b.append(Op.Insert, c.row);
    }
    this.emit(b.build());
  }
}
