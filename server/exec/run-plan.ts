/**
 * The batch driver: builds the operator graph for a plan, pulls its sources one chunk at a time
 * (checking for cancellation between chunks) and yields result rows as they reach the sink, so a
 * portal that fetches a few rows runs only as far as it needs. Also runs subplans for expressions.
 */
import type { Datum, Row } from '../types/datum.js';
import type { ExecContext } from '../plan/context.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { buildGraph } from './build-graph.js';
import type { ExprEnv, SubplanRunner } from './expr/env.js';
import type { Source } from './operators/source.js';
import { ResultSink } from './result-sink.js';
import { keyOf } from './row-key.js';

const NO_ROWS: Row[] = [];

/**
 * Yields a batch after every source chunk (empty when nothing reached the sink yet), so a consumer
 * can give the event loop a turn, and a CancelRequest a chance to arrive, during a long query.
 */
export function* executePlan(plan: LogicalPlan, env: ExprEnv): Generator<Row[], void, void> {
  const sink = new ResultSink();
  const sources: Source[] = [];
  buildGraph(plan, sink, env, sources);
  for (const source of sources) {
    for (const _ of source.run()) {
      env.ctx.checkCancel();
      yield sink.pending > 0 ? sink.take() : NO_ROWS;
      if (sink.ended) break;
    }
    if (sink.ended) break;
  }
  if (sink.pending > 0) yield sink.take();
}

/**
 * Runs subplans for one statement execution. Results are memoized per plan and outer values (an
 * uncorrelated subquery runs once; a correlated one once per distinct outer row).
 */
export class PlanRunner implements SubplanRunner {
  private readonly memo = new Map<LogicalPlan, Map<string, Row[]>>();

  constructor(private readonly ctx: ExecContext, private readonly params: readonly Datum[]) {}

  env(outer: readonly Datum[] = []): ExprEnv {
    return { params: this.params, outer, ctx: this.ctx, subplans: this };
  }

  run(plan: LogicalPlan, outer: readonly Datum[], limit: number | undefined): Row[] {
    let byOuter = this.memo.get(plan);
    if (!byOuter) {
      byOuter = new Map();
      this.memo.set(plan, byOuter);
    }
    const key = keyOf(outer);
    const hit = byOuter.get(key);
    if (hit) return limit === undefined ? hit : hit.slice(0, limit);
    const rows: Row[] = [];
    for (const batch of executePlan(plan, this.env(outer))) for (const r of batch) rows.push(r);
    byOuter.set(key, rows);
    return limit === undefined ? rows : rows.slice(0, limit);
  }
}
