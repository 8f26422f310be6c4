/** Filter: keeps the rows whose predicate is true, by visibility mask; ops pass through unchanged. */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class FilterOperator extends UnaryOperator {
  constructor(out: Downstream, private readonly predicate: ColumnEvaluator, private readonly env: ExprEnv) {
    super('Filter', out);
  }

  protected onChunk(chunk: ChangelogChunk): void {
    const pass = this.predicate(chunk.columns, chunk.length, this.env, chunk.visibility);
    const vis = new Uint8Array(chunk.length);
    let kept = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (pass[i] === true) {
        vis[i] = 1;
        kept++;
      }
    }
    if (kept === 0) return;
    this.emit(kept === chunk.length && !chunk.visibility ? chunk : new ChangelogChunk(chunk.ops, chunk.columns, chunk.length, vis));
  }
}
