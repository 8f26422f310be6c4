/**
 * WITH RECURSIVE in batch: runs the base term, then the recursive term over the previous round's
 * rows (handed to WorkTableScan through the expression environment) until a round adds nothing.
 * Without ALL, a row seen before is dropped. Checks for cancellation every round.
 */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import type { Row } from '../../types/datum.js';
import type { RecursiveUnionNode } from '../../plan/logical/recursive-union.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import type { Downstream } from './operator.js';
import type { Source } from './source.js';
import type { LogicalPlan } from '../../plan/logical/plan.js';

export type PlanExecutor = (plan: LogicalPlan, env: ExprEnv) => Iterable<Row[]>;

export class RecursiveUnionSource implements Source {
  readonly name = 'RecursiveUnion';

  constructor(
    private readonly out: Downstream,
    private readonly node: RecursiveUnionNode,
    private readonly env: ExprEnv,
    private readonly execute: PlanExecutor,
  ) {}

  *run(): Generator<void, void, void> {
    const seen = this.node.all ? undefined : new Set<string>();
    const width = this.node.schema.length;
    const fresh = (rows: readonly Row[]): Row[] => {
      if (!seen) return [...rows];
      const kept: Row[] = [];
      for (const r of rows) {
        const k = keyOf(r);
        if (seen.has(k)) continue;
        seen.add(k);
        kept.push(r);
      }
      return kept;
    };
    let work: Row[] = [];
    for (const batch of this.execute(this.node.base, this.env)) work.push(...fresh(batch));
    while (work.length > 0) {
      this.out.push(Messages.chunk(ChangelogChunk.fromRows(width, work)));
      yield;
      this.env.ctx.checkCancel();
      const tables = new Map(this.env.workTables ?? []);
      tables.set(this.node.workTableId, work);
      const next: Row[] = [];
      for (const batch of this.execute(this.node.recursive, { ...this.env, workTables: tables })) next.push(...fresh(batch));
      work = next;
    }
    this.out.push(Messages.end);
  }
}

/** Reads the current round of a WITH RECURSIVE work table. */
export class WorkTableScanSource implements Source {
  readonly name = 'WorkTableScan';
  constructor(private readonly out: Downstream, private readonly id: number, private readonly width: number, private readonly env: ExprEnv) {}

  *run(): Generator<void, void, void> {
    const rows = this.env.workTables?.get(this.id) ?? [];
    if (rows.length > 0) this.out.push(Messages.chunk(ChangelogChunk.fromRows(this.width, rows)));
    yield;
    this.out.push(Messages.end);
  }
}
