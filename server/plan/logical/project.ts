/** Project: one output column per expression over the input row. */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class ProjectNode implements PlanProperties {
  readonly kind = 'project' as const;
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly exprs: readonly BoundExpr[], readonly schema: readonly PlanColumn[]) {
    this.inputs = [input];
    this.appendOnly = input.appendOnly;
    // The key survives when every key column is passed through unchanged.
    const key = input.streamKey;
    let mapped: number[] | undefined = key ? [] : undefined;
    if (key && mapped) {
      for (const k of key) {
        const at = exprs.findIndex((e) => e.kind === 'column' && e.index === k);
        if (at < 0) { mapped = undefined; break; }
        mapped.push(at);
      }
    }
    this.streamKey = mapped;
  }
  describe(): string {
    return `Project ${this.exprs.map(exprText).join(', ')}`;
  }
}
