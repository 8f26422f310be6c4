/** Sort: the input ordered by `keys` (stable: equal keys keep input order). */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';
import { sortKeyText, type SortKey } from './sort-key.js';

export class SortNode implements PlanProperties {
  readonly kind = 'sort' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(readonly input: LogicalPlan, readonly keys: readonly SortKey[]) {
    this.schema = input.schema;
    this.streamKey = input.streamKey;
    this.appendOnly = input.appendOnly;
    this.inputs = [input];
  }
  describe(): string {
    return `Sort ${this.keys.map(sortKeyText).join(', ')}`;
  }
}
