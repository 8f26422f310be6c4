/** Values: literal rows (`VALUES (...)`, or the one empty row under a SELECT without FROM). */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class ValuesNode implements PlanProperties {
  readonly kind = 'values' as const;
  readonly streamKey = undefined;
  readonly appendOnly = true;
  readonly inputs: readonly LogicalPlan[] = [];
  constructor(
    readonly schema: readonly PlanColumn[],
    readonly rows: readonly (readonly BoundExpr[])[],
  ) {}
  describe(): string {
    const shown = this.rows.slice(0, 3).map((r) => `(${r.map(exprText).join(', ')})`).join(', ');
    return `Values ${this.rows.length} row(s)${this.rows.length ? `: ${shown}${this.rows.length > 3 ? ', ...' : ''}` : ''}`;
  }
}
