/** DistinctOn: passes the first row of each key (its input arrives sorted by the keys first). */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class DistinctOnOperator extends UnaryOperator {
  private readonly seen = new Set<string>();

  constructor(out: Downstream, private readonly keys: readonly ColumnEvaluator[], private readonly env: ExprEnv) {
    super('DistinctOn', out);
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const keyCols = this.keys.map((k) => k(chunk.columns, chunk.length, this.env));
    const b = new ChunkBuilder(chunk.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const key = keyOf(keyCols.map((c) => c[i]!));
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      b.appendFrom(chunk, i);
    }
    this.emit(b.build());
  }
}
