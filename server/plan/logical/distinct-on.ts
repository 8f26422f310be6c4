/** DistinctOn: the first row (in input order, which a Sort below fixes) of each group of `keys`. */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class DistinctOnNode implements PlanProperties {
  readonly kind = 'distinctOn' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey = undefined;
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly keys: readonly BoundExpr[]) {
    this.schema = input.schema;
    this.inputs = [input];
  }
  describe(): string {
    return `DistinctOn ${this.keys.map(exprText).join(', ')}`;
  }
}
