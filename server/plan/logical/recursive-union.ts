/**
 * RecursiveUnion (WITH RECURSIVE): the base term's rows, then the recursive term run again and again
 * over the rows the previous round produced (read through WorkTableScan) until a round adds
 * nothing. Without ALL, rows already produced are dropped, as UNION does.
 */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class RecursiveUnionNode implements PlanProperties {
  readonly kind = 'recursiveUnion' as const;
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly workTableId: number,
    readonly base: LogicalPlan,
    readonly recursive: LogicalPlan,
    readonly all: boolean,
    readonly schema: readonly PlanColumn[],
  ) {
    this.inputs = [base, recursive];
    this.streamKey = all ? undefined : schema.map((_, i) => i);
  }
  describe(): string {
    return `RecursiveUnion${this.all ? ' all' : ''} worktable ${this.workTableId}`;
  }
}

/** The rows of the previous round of the enclosing RecursiveUnion with the same id. */
export class WorkTableScanNode implements PlanProperties {
  readonly kind = 'workTableScan' as const;
  readonly streamKey = undefined;
  readonly appendOnly = true;
  readonly inputs: readonly LogicalPlan[] = [];
  constructor(readonly workTableId: number, readonly name: string, readonly schema: readonly PlanColumn[]) {}
  describe(): string {
    return `WorkTableScan ${this.name} (worktable ${this.workTableId})`;
  }
}
