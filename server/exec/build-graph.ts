/**
 * Turns a logical plan into a graph of operators wired to a downstream, collecting its sources.
 * Expressions are compiled here, once per operator instance. The same graph serves a batch run
 * (sources are snapshots that end) and, later, a continuous one (sources that keep going).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Datum } from '../types/datum.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { BoundExpr } from '../plan/bound/expr.js';
import type { RelationDef } from '../catalog/model.js';
import { compileExpr } from './expr/compile.js';
import type { ExprEnv } from './expr/env.js';
import { DistinctOnOperator } from './operators/distinct-on.js';
import { DistinctOperator } from './operators/distinct.js';
import { FilterOperator } from './operators/filter.js';
import { HashAggregateOperator } from './operators/hash-aggregate.js';
import { JoinOperator } from './operators/join.js';
import { IntervalJoinOperator } from './operators/interval-join.js';
import { analyzeIntervalJoin } from './interval-join-bounds.js';
import { LimitOperator } from './operators/limit.js';
import type { Downstream } from './operators/operator.js';
import type { StatefulOperator } from './operators/operator-state.js';
import { ProjectOperator } from './operators/project.js';
import { ApplyOperator } from './operators/apply.js';
import { RecursiveUnionSource, WorkTableScanSource } from './operators/recursive-union.js';
import { executePlan } from './run-plan.js';
import { ProjectSetOperator } from './operators/project-set.js';
import { ScanSource } from './operators/scan-source.js';
import { SetOpOperator } from './operators/set-op.js';
import { SortOperator } from './operators/sort.js';
import { TopNOperator } from './operators/top-n.js';
import type { Source } from './operators/source.js';
import { TableFunctionSource } from './operators/table-function-source.js';
import { ValuesSource } from './operators/values-source.js';
import { WindowOperator } from './operators/window.js';
import { WindowTvfOperator } from './operators/window-tvf.js';
import { SessionWindowOperator } from './operators/session-window.js';

function constantNumber(v: Datum, what: 'LIMIT' | 'OFFSET'): number | undefined {
  if (v === null) return undefined;
  const n = typeof v === 'bigint' ? Number(v) : Number(v as number);
  if (n < 0) throw new SqlError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`);
  return n;
}

/** Per expression, the input column it is a bare reference to. */
function passThroughColumns(exprs: readonly BoundExpr[]): (number | undefined)[] {
  return exprs.map((e) => (e.kind === 'column' ? e.index : undefined));
}

/**
 * Makes the source for a scanned relation. The batch driver uses ScanSource (a snapshot that ends);
 * a continuous query passes its own, fed with the relation's changes.
 */
export type ScanSourceFactory = (rel: RelationDef, out: Downstream, env: ExprEnv) => Source;

/** How a continuous query emits (batch runs ignore it). */
export interface GraphOptions {
  readonly emitOnWindowClose: boolean;
  /** Filled by buildGraph in continuous mode: the inputs of constant relations, which need the query's barriers. */
  readonly constantFeeds?: Downstream[];
  /** Filled by buildGraph: the operators that keep state, for freshet_watermarks.state_rows. */
  readonly stateful?: RegisteredStatefulOperator[];
}

/**
 * An operator that keeps state between epochs, as registered by buildGraph in build order (so the
 * same plan registers the same operators in the same order, which names their checkpointed state).
 * Members are optional while operators gain their checkpoint support (operator-state.ts); a query
 * with an operator lacking `snapshotState` is not checkpointed and rebuilds from its inputs instead.
 */
export type RegisteredStatefulOperator = Partial<StatefulOperator> & { readonly name: string };

const snapshotScan: ScanSourceFactory = (rel, out, env) => new ScanSource(out, rel, env.ctx);

export function buildGraph(
  plan: LogicalPlan,
  out: Downstream,
  env: ExprEnv,
  sources: Source[],
  scanSource: ScanSourceFactory = snapshotScan,
  continuous = false,
  options: GraphOptions = { emitOnWindowClose: false },
): void {
  const build = (p: LogicalPlan, o: Downstream) => buildGraph(p, o, env, sources, scanSource, continuous, options);
  // In a continuous query a constant relation (VALUES, generate_series(...)) emits its rows once and
  // then takes part in every epoch like a quiet input: it never ends, and gets the query's barriers.
  const constantOut = (o: Downstream): Downstream => {
    if (!continuous) return o;
    const feed: Downstream = { push: (m) => { if (m.kind !== 'end') o.push(m); } };
    options.constantFeeds?.push(feed);
    return feed;
  };
  switch (plan.kind) {
    case 'values':
      sources.push(new ValuesSource(constantOut(out), plan.schema.length, plan.rows.map((r) => r.map(compileExpr)), env));
      return;
    case 'scan':
      sources.push(scanSource(plan.rel, out, env));
      return;
    case 'tableFunction':
      sources.push(new TableFunctionSource(constantOut(out), plan.name, plan.args.map(compileExpr), plan.schema.map((c) => c.type), env));
      return;
    case 'filter':
      build(plan.input, new FilterOperator(out, compileExpr(plan.predicate), env));
      return;
    case 'project':
      build(plan.input, new ProjectOperator(out, plan.exprs.map(compileExpr), env, passThroughColumns(plan.exprs)));
      return;
    case 'sort': {
      const keys = plan.keys.map((k) => ({ eval: compileExpr(k.expr), type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
      const sortOp = new SortOperator(out, keys, env, plan.schema.length);
      if (continuous) options.stateful?.push(sortOp);
      build(plan.input, sortOp);
      return;
    }
    case 'limit': {
      if (continuous) {
        // A continuous LIMIT is a TopN over its sorted input, exact under deletes. The binder puts the
        // select list between them (Limit, Project, Sort); a row-wise Project commutes with the TopN.
        const project = plan.input.kind === 'project' && plan.input.input.kind === 'sort' ? plan.input : undefined;
        const below = project ? project.input : plan.input;
        const sort = below.kind === 'sort' ? below : undefined;
        const keys = (sort?.keys ?? []).map((k) => ({ eval: compileExpr(k.expr), type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
        const offset = plan.offset ? constantNumber(compileExpr(plan.offset)([], 1, env)[0]!, 'OFFSET') ?? 0 : 0;
        const count = plan.count ? constantNumber(compileExpr(plan.count)([], 1, env)[0]!, 'LIMIT') : undefined;
        const topOut = project ? new ProjectOperator(out, project.exprs.map(compileExpr), env, passThroughColumns(project.exprs)) : out;
        const topN = new TopNOperator(topOut, keys, env, offset, count, (sort ? sort.input : below).schema.length);
        options.stateful?.push(topN);
        build(sort ? sort.input : below, topN);
        return;
      }
      const offset = plan.offset ? constantNumber(compileExpr(plan.offset)([], 1, env)[0]!, 'OFFSET') ?? 0 : 0;
      const count = plan.count ? constantNumber(compileExpr(plan.count)([], 1, env)[0]!, 'LIMIT') : undefined;
      build(plan.input, new LimitOperator(out, offset, count));
      return;
    }
    case 'distinct': {
      const op = new DistinctOperator(out);
      if (continuous) options.stateful?.push(op);
      build(plan.input, op);
      return;
    }
    case 'distinctOn':
      if (continuous) {
        // DISTINCT ON keeps the first row per key in the Sort's order: a TopN of 1 per key.
        const sort = plan.input.kind === 'sort' ? plan.input : undefined;
        const keys = (sort?.keys ?? []).map((k) => ({ eval: compileExpr(k.expr), type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
        const below = sort ? sort.input : plan.input;
        const topN = new TopNOperator(out, keys, env, 0, 1, below.schema.length, plan.keys.map(compileExpr));
        options.stateful?.push(topN);
        build(below, topN);
        return;
      }
      build(plan.input, new DistinctOnOperator(out, plan.keys.map(compileExpr), env));
      return;
    case 'join': {
      // A continuous join bounded in time by its condition keeps state only while the watermarks allow.
      const bounds = continuous ? analyzeIntervalJoin(plan) : undefined;
      const op = bounds ? new IntervalJoinOperator(out, plan, bounds, env) : new JoinOperator(out, plan, env);
      options.stateful?.push(op);
      build(plan.left, op.left);
      build(plan.right, op.right);
      return;
    }
    case 'aggregate':
      {
        const op = new HashAggregateOperator(out, plan, env, { emitOnWindowClose: continuous && options.emitOnWindowClose });
        options.stateful?.push(op);
        build(plan.input, op);
      }
      return;
    case 'setOp': {
      const op = new SetOpOperator(out, plan.op, plan.all, plan.schema.length);
      if (continuous) options.stateful?.push(op);
      build(plan.left, op.left);
      build(plan.right, op.right);
      return;
    }
    case 'window':
      {
        const op = new WindowOperator(out, plan, env, continuous);
        options.stateful?.push(op);
        build(plan.input, op);
      }
      return;
    case 'recursiveUnion':
      sources.push(new RecursiveUnionSource(out, plan, env, executePlan));
      return;
    case 'workTableScan':
      sources.push(new WorkTableScanSource(out, plan.workTableId, plan.schema.length, env));
      return;
    case 'apply':
      build(plan.left, new ApplyOperator(out, plan, env));
      return;
    case 'projectSet':
      build(plan.input, new ProjectSetOperator(out, plan, env));
      return;
    case 'windowTvf':
      build(plan.input, new WindowTvfOperator(out, plan.timeColumn, plan.assignment, plan.input.schema.length));
      return;
    case 'sessionWindow': {
      const op = new SessionWindowOperator(out, plan, env);
      options.stateful?.push(op);
      build(plan.input, op);
      return;
    }
    default: {
      const never: never = plan;
      throw new SqlError(SQLSTATE.internalError, `no operator for plan ${String((never as { kind: string }).kind)}`);
    }
  }
}
