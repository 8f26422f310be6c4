/** TableFunction: rows produced by a set-returning function in FROM (generate_series, unnest). */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export type TableFunctionName = 'generate_series' | 'unnest' | 'generate_subscripts' | '_pg_expandarray';

export class TableFunctionNode implements PlanProperties {
  readonly kind = 'tableFunction' as const;
  readonly streamKey = undefined;
  readonly appendOnly = true;
  readonly inputs: readonly LogicalPlan[] = [];
  constructor(
    readonly name: TableFunctionName,
    readonly args: readonly BoundExpr[],
    readonly schema: readonly PlanColumn[],
    /** WITH ORDINALITY: a trailing int8 column numbering the rows. */
    readonly withOrdinality: boolean,
  ) {}
  describe(): string {
    return `TableFunction ${this.name}(${this.args.map(exprText).join(', ')})`;
  }
}
