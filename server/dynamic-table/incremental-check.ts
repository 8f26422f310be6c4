/**
 * Decides whether a plan can be kept current incrementally, before a materialized view is created:
 * every source must be a table, stream or materialized view, and every operator and expression must
 * be one whose changelog form exists and is deterministic. The error names the cause (0A000), so a
 * view is refused at CREATE time rather than giving a wrong result later.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { children, type BoundExpr } from '../plan/bound/expr.js';
import type { RelationDef } from '../catalog/model.js';
import { subqueriesToJoins } from '../plan/rules/subqueries-to-joins.js';

/** Functions whose value depends on when they run: a view using them would change by itself. */
const TIME_DEPENDENT = new Set(['now', 'current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime',
  'transaction_timestamp', 'statement_timestamp', 'clock_timestamp', 'timeofday', 'age', 'proctime']);

function refuse(message: string, hint?: string): never {
  throw new SqlError(SQLSTATE.featureNotSupported, message, { hint });
}

/** What a continuous query may use beyond deterministic expressions. */
export interface ContinuousPlanOptions {
  /**
   * PROCTIME(): a sink's or SUBSCRIBE's output leaves Freshet as it is computed, so rows stamped with
   * the time they were processed are what it asks for; a view's or stream's rows must be
   * reproducible (rebuilt, restored, replayed), so they refuse it.
   */
  readonly processingTime?: boolean;
}

function checkExpr(e: BoundExpr, opts: ContinuousPlanOptions): void {
  switch (e.kind) {
    case 'subplan':
      refuse(
        `this ${e.mode === 'all' ? 'op ALL (subquery)' : e.mode === 'array' ? 'ARRAY(subquery)' : e.mode === 'any' && e.op !== '=' ? `${e.op ?? 'op'} ANY (subquery)` : 'subquery'} cannot be kept current in a materialized view yet`,
        'Views keep EXISTS, IN, NOT IN and scalar subqueries that are uncorrelated or correlated by equalities (inner = outer) in their WHERE; rewrite other shapes as joins.',
      );
    case 'call':
      if (e.label === 'proctime' && opts.processingTime) break;
      if (TIME_DEPENDENT.has(e.label)) {
        refuse(
          `function ${e.label}() depends on the current time, so a materialized view using it cannot be kept current`,
          'Use the event time of a stream with a WATERMARK (TUMBLE, HOP, SESSION over it) instead of processing time; a CREATE SINK or SUBSCRIBE may use PROCTIME().',
        );
      }
      if (e.volatile) refuse(`function ${e.label}() is not immutable (its result can change between calls or with session settings such as TimeZone), so a materialized view using it cannot be kept current`);
      break;
    case 'param':
      refuse('a materialized view cannot have parameters');
    default:
      break;
  }
  for (const c of children(e)) checkExpr(c, opts);
}

function exprsOf(plan: LogicalPlan): BoundExpr[] {
  switch (plan.kind) {
    case 'filter': return [plan.predicate];
    case 'project': return [...plan.exprs];
    case 'join': return plan.condition ? [plan.condition] : [];
    case 'aggregate': return [...plan.groupExprs, ...plan.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)])];
    case 'distinctOn': return [...plan.keys];
    default: return [];
  }
}

/** The relations a plan reads, after checking it can be maintained; throws 0A000 naming the cause. */
export function checkIncremental(plan: LogicalPlan, top = true, opts: ContinuousPlanOptions = {}): RelationDef[] {
  const inputs: RelationDef[] = [];
  const visit = (p: LogicalPlan, atTop: boolean): void => {
    for (const e of exprsOf(p)) checkExpr(e, opts);
    switch (p.kind) {
      case 'scan':
        if (p.rel.kind === 'system') refuse(`materialized views over system catalogs ("${p.rel.name}") are not supported`);
        inputs.push(p.rel);
        return;
      case 'values':
        // A constant relation: its rows go in once, at the backfill.
        for (const row of p.rows) for (const e of row) checkExpr(e, opts);
        return;
      case 'tableFunction':
        for (const e of p.args) checkExpr(e, opts);
        return;
      case 'projectSet':
        refuse('set-returning functions in the select list of a materialized view are not supported yet', 'Call the function in FROM instead.');
      case 'recursiveUnion':
      case 'workTableScan':
        refuse('WITH RECURSIVE in a materialized view is not supported yet');
      case 'window':
        for (const c of p.calls) for (const e of [...c.partitionBy, ...c.orderBy.map((k) => k.expr), ...c.args]) checkExpr(e, opts);
        visit(p.input, false);
        return;
      case 'limit':
        // Runs as a TopN (exec/operators/top-n.ts): over a Sort, or over anything for a bare LIMIT.
        // Runs as a TopN over the Sort's input; a Project between them runs after the TopN.
        {
          const project = p.input.kind === 'project' && p.input.input.kind === 'sort' ? p.input : undefined;
          if (project) for (const e of project.exprs) checkExpr(e, opts);
          const below = project ? project.input : p.input;
          if (below.kind === 'sort') for (const k of below.keys) checkExpr(k.expr, opts);
          visit(below.kind === 'sort' ? below.input : below, false);
        }
        return;
      case 'apply':
        refuse('LATERAL in a materialized view is not supported yet');
      case 'distinctOn':
        // Runs as a TopN of 1 per key over the Sort's input.
        if (p.input.kind === 'sort') for (const k of p.input.keys) checkExpr(k.expr, opts);
        visit(p.input.kind === 'sort' ? p.input.input : p.input, false);
        return;
      case 'sort':
        // ORDER BY at the top of a view does not change its contents; anywhere else it is a TopN.
        if (!atTop) refuse('ORDER BY below the top of a materialized view is not supported yet');
        visit(p.input, false);
        return;
      case 'filter':
      case 'project':
      case 'aggregate':
      case 'distinct':
      case 'windowTvf':
      case 'sessionWindow':
        visit(p.input, atTop && p.kind === 'project');
        return;
      case 'join':
      case 'setOp':
        visit(p.left, false);
        visit(p.right, false);
        return;
      default: {
        const never: never = p;
        refuse(`plan node ${String((never as { kind: string }).kind)} is not supported in a materialized view`);
      }
    }
  };
  visit(plan, top);
  return inputs;
}

/**
 * The plan a continuous query runs: WHERE subqueries rewritten into joins where possible
 * (plan/rules/subqueries-to-joins.ts), then checked; returns it with the relations it reads.
 */
export function continuousPlan(plan: LogicalPlan, opts: ContinuousPlanOptions = {}): { plan: LogicalPlan; inputs: RelationDef[] } {
  const rewritten = subqueriesToJoins(plan);
  return { plan: rewritten, inputs: checkIncremental(rewritten, true, opts) };
}
