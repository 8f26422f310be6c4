/** Limit: skip `offset` rows then pass at most `count` (absent: all). Values are constants or params. */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class LimitNode implements PlanProperties {
  readonly kind = 'limit' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly offset: BoundExpr | undefined, readonly count: BoundExpr | undefined) {
    this.schema = input.schema;
    this.streamKey = input.streamKey;
    // A retraction inside the window lets a later row in: the output is no longer append-only.
    this.appendOnly = false;
    this.inputs = [input];
  }
  describe(): string {
    return `Limit${this.count ? ` ${exprText(this.count)}` : ' ALL'}${this.offset ? ` offset ${exprText(this.offset)}` : ''}`;
  }
}
