/**
 * Join: output is the left row followed by the right row; outer joins pad the missing side with
 * NULLs. `equiKeys` are (left column, right column) pairs extracted from the condition (hash join);
 * `condition` is the whole ON predicate over the concatenated row (checked after the key match).
 */
import { exprText, type BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

export class JoinNode implements PlanProperties {
  readonly kind = 'join' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly joinType: JoinType,
    readonly left: LogicalPlan,
    readonly right: LogicalPlan,
    readonly condition: BoundExpr | undefined,
    readonly equiKeys: readonly (readonly [number, number])[],
  ) {
    this.schema = [...left.schema, ...right.schema];
    this.inputs = [left, right];
    const lk = left.streamKey, rk = right.streamKey;
    this.streamKey = lk && rk ? [...lk, ...rk.map((k) => k + left.schema.length)] : undefined;
    // Outer joins retract NULL-padded rows when a match arrives later.
    this.appendOnly = left.appendOnly && right.appendOnly && (joinType === 'inner' || joinType === 'cross');
  }
  describe(): string {
    const keys = this.equiKeys.length ? ` hash keys ${this.equiKeys.map(([l, r]) => `#${l}=#${r}`).join(', ')}` : ' nested loop';
    return `Join ${this.joinType}${keys}${this.condition ? ` on ${exprText(this.condition)}` : ''}`;
  }
}
