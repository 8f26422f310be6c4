/**
 * Distinct: counts each distinct row; emits an insert when a row's count goes 0 -> 1 and a delete
 * when it goes back to 0, so it is correct under retractions as well as in batch. Of SQL-equal rows
 * that print differently (3, 3.00) it shows one still present (Representatives).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import { keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { Representatives } from './representatives.js';

export class DistinctOperator extends UnaryOperator {
  private readonly shown = new Representatives();

  constructor(out: Downstream) {
    super('Distinct', out);
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const b = new ChunkBuilder(chunk.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      this.shown.apply(keyOf(row), row, opSign(chunk.ops[i] as Op), b);
    }
    this.emit(b.build());
  }
}
