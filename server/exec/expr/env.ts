/**
 * What a compiled expression reads besides its input columns: the statement's parameters, the
 * outer values of a correlated subplan, the execution context, and the runner that executes
 * subplans (kept behind an interface so the compiler does not depend on the operator graph).
 */
import type { Datum, Row } from '../../types/datum.js';
import type { ExecContext } from '../../plan/context.js';
import type { LogicalPlan } from '../../plan/logical/plan.js';

export interface SubplanRunner {
  /** Rows of `plan` run with `outer` as its outer values; at most `limit` rows when given. */
  run(plan: LogicalPlan, outer: readonly Datum[], limit: number | undefined): Row[];
}

/** Counters of a running continuous query, shown in freshet_catalog.watermarks. */
export interface QueryMetrics {
  /** Rows dropped by an operator because they belong to a window or group its watermark closed. */
  lateRows: number;
}

export interface ExprEnv {
  readonly params: readonly Datum[];
  readonly outer: readonly Datum[];
  readonly ctx: ExecContext;
  readonly subplans: SubplanRunner;
  /** Rows of the previous round of each running WITH RECURSIVE term, by work table id. */
  readonly workTables?: ReadonlyMap<number, readonly Row[]>;
  /** Present in continuous queries. */
  readonly metrics?: QueryMetrics;
}
