/**
 * Distinct: counts each distinct row; emits an insert when a row's count goes 0 -> 1 and a delete
 * when it goes back to 0, so it is correct under retractions as well as in batch.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import { keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class DistinctOperator extends UnaryOperator {
  private readonly counts = new Map<string, number>();

  constructor(out: Downstream) {
    super('Distinct', out);
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const b = new ChunkBuilder(chunk.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      const key = keyOf(row);
      const before = this.counts.get(key) ?? 0;
      const after = before + opSign(chunk.ops[i] as Op);
      if (after <= 0) this.counts.delete(key);
      else this.counts.set(key, after);
      if (before === 0 && after > 0) b.append(Op.Insert, row);
      else if (before > 0 && after <= 0) b.append(Op.Delete, row);
    }
    this.emit(b.build());
  }
}
