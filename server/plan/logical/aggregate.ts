/**
 * Aggregate: groups the input by `groupExprs` and computes `aggregates` per group. Output is the
 * group columns then one column per aggregate. With `groupingSets` (indexes into groupExprs) each set
 * is grouped separately, columns outside the set being NULL. Without GROUP BY one row always comes out.
 */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { AggregateCall } from './aggregate-call.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class AggregateNode implements PlanProperties {
  readonly kind = 'aggregate' as const;
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly input: LogicalPlan,
    readonly groupExprs: readonly BoundExpr[],
    readonly aggregates: readonly AggregateCall[],
    readonly groupingSets: readonly (readonly number[])[] | undefined,
    readonly schema: readonly PlanColumn[],
  ) {
    this.inputs = [input];
    this.streamKey = groupingSets ? undefined : groupExprs.map((_, i) => i);
  }
  describe(): string {
    const aggs = this.aggregates.map((a) => `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map(exprText).join(', ')})`);
    const sets = this.groupingSets ? ` sets ${this.groupingSets.map((s) => `(${s.join(',')})`).join(' ')}` : '';
    return `Aggregate group by [${this.groupExprs.map(exprText).join(', ')}]${sets} computing [${aggs.join(', ')}]`;
  }
}
