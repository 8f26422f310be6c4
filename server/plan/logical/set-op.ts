/**
 * SetOp: UNION / INTERSECT / EXCEPT of two inputs with the same column types. Multiset semantics
 * with ALL (UNION ALL concatenates; INTERSECT ALL keeps min(m, n) copies; EXCEPT ALL max(m - n, 0));
 * without ALL each distinct row at most once.
 */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class SetOpNode implements PlanProperties {
  readonly kind = 'setOp' as const;
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly op: 'union' | 'intersect' | 'except',
    readonly all: boolean,
    readonly left: LogicalPlan,
    readonly right: LogicalPlan,
    readonly schema: readonly PlanColumn[],
  ) {
    this.inputs = [left, right];
    this.streamKey = all ? undefined : schema.map((_, i) => i);
    this.appendOnly = op === 'union' && all && left.appendOnly && right.appendOnly;
  }
  describe(): string {
    return `SetOp ${this.op}${this.all ? ' all' : ''}`;
  }
}
