/**
 * Filter: keeps the rows whose predicate is true, by visibility mask; ops pass through unchanged,
 * except that an update pair split by the predicate becomes a lone Delete (only the old row passed)
 * or a lone Insert (only the new row passed), so update pairs downstream stay whole.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
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
      if (pass[i] === true && (chunk.visibility === null || chunk.visibility[i])) {
        vis[i] = 1;
        kept++;
      }
    }
    if (kept === 0) return;
    let ops = chunk.ops;
    for (let i = 0; i + 1 < chunk.length; i++) {
      if (ops[i] !== Op.UpdateBefore || ops[i + 1] !== Op.UpdateAfter || vis[i] === vis[i + 1]) continue;
      if (ops === chunk.ops) ops = chunk.ops.slice();
      if (vis[i]) ops[i] = Op.Delete;
      else ops[i + 1] = Op.Insert;
    }
    this.emit(kept === chunk.length && !chunk.visibility && ops === chunk.ops ? chunk : new ChangelogChunk(ops, chunk.columns, chunk.length, vis));
  }
}
