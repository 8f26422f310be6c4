/** Window: the input columns followed by one column per window function call. */
import { exprText } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';
import { sortKeyText } from './sort-key.js';
import type { WindowCall } from './window-call.js';

export class WindowNode implements PlanProperties {
  readonly kind = 'window' as const;
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly calls: readonly WindowCall[], readonly schema: readonly PlanColumn[]) {
    this.streamKey = input.streamKey;
    this.inputs = [input];
  }
  describe(): string {
    return `Window ${this.calls
      .map((c) => `${c.name}(${c.args.map(exprText).join(', ')}) OVER (PARTITION BY ${c.partitionBy.map(exprText).join(', ') || '-'} ORDER BY ${c.orderBy.map(sortKeyText).join(', ') || '-'})`)
      .join('; ')}`;
  }
}
