/** Filter: the input rows for which the predicate is true (NULL and false drop the row). */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class FilterNode implements PlanProperties {
  readonly kind = 'filter' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly predicate: BoundExpr) {
    this.schema = input.schema;
    this.streamKey = input.streamKey;
    this.appendOnly = input.appendOnly;
    this.inputs = [input];
  }
  describe(): string {
    return `Filter ${exprText(this.predicate)}`;
  }
}
