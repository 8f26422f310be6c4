/** Distinct: each distinct input row once (SELECT DISTINCT, UNION without ALL). */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class DistinctNode implements PlanProperties {
  readonly kind = 'distinct' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[];
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan) {
    this.schema = input.schema;
    this.streamKey = input.schema.map((_, i) => i);
    this.inputs = [input];
  }
  describe(): string {
    return 'Distinct';
  }
}
