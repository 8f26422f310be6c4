/** Project: computes one output column per compiled expression; ops (and update pairs) are kept. */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class ProjectOperator extends UnaryOperator {
  constructor(out: Downstream, private readonly exprs: readonly ColumnEvaluator[], private readonly env: ExprEnv) {
    super('Project', out);
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const columns = this.exprs.map((f) => f(chunk.columns, chunk.length, this.env));
    this.emit(new ChangelogChunk(chunk.ops, columns, chunk.length));
  }
}
