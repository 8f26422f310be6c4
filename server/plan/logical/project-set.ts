/**
 * ProjectSet: set-returning functions of a select list. Each input row becomes as many rows as its
 * longest function result (shorter ones padded with NULL, PostgreSQL 10+ semantics): the input
 * columns followed by every function's result fields.
 */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';
import type { TableFunctionName } from './table-function.js';

export interface SetFunctionCall {
  readonly name: TableFunctionName;
  readonly args: readonly BoundExpr[];
  readonly width: number;
}

export class ProjectSetNode implements PlanProperties {
  readonly kind = 'projectSet' as const;
  readonly streamKey = undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly calls: readonly SetFunctionCall[], readonly schema: readonly PlanColumn[]) {
    this.inputs = [input];
    this.appendOnly = input.appendOnly;
  }
  describe(): string {
    return `ProjectSet ${this.calls.map((c) => `${c.name}(${c.args.map(exprText).join(', ')})`).join(', ')}`;
  }
}
