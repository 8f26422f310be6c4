/**
 * Apply (LATERAL): for each left row, the right plan runs with `args` (evaluated on that row) as its
 * outer values; output is the left row followed by each right row that satisfies `condition`, or
 * by NULLs for a LEFT apply when none does. Batch: the right side re-runs per distinct outer values.
 */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class ApplyNode implements PlanProperties {
  readonly kind = 'apply' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey = undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly joinType: 'inner' | 'left',
    readonly left: LogicalPlan,
    readonly right: LogicalPlan,
    readonly args: readonly BoundExpr[],
    readonly condition: BoundExpr | undefined,
  ) {
    this.schema = [...left.schema, ...right.schema];
    this.inputs = [left, right];
    this.appendOnly = left.appendOnly;
  }
  describe(): string {
    return `Apply ${this.joinType} with (${this.args.map(exprText).join(', ')})${this.condition ? ` on ${exprText(this.condition)}` : ''}`;
  }
}
