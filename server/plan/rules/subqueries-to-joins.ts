/**
 * Rule for continuous queries: WHERE conjuncts that are subqueries become joins, so a view keeps
 * them current through the join operators instead of re-running a subquery per row:
 *  - [NOT] EXISTS (SELECT ... WHERE inner = outer ...): a join with the DISTINCT correlation values of
 *    the subquery (NOT EXISTS: a left join keeping the rows that found none);
 *  - x IN (SELECT y ...), uncorrelated: a join with DISTINCT y;
 *  - a scalar subquery that is an ungrouped aggregate (exactly one row): a cross join with it.
 * Anything else is left as it is (and a view refuses it). Batch SELECTs keep their subplans.
 */
import type { BoundExpr, CallExpr, SubplanExpr } from '../bound/expr.js';
import { allOf, attachSubplans, conjuncts, correlationOf, firstColumns, hasOuter, hasSubplan, planHasOuter } from './decorrelate-subplans.js';
import { AggregateNode } from '../logical/aggregate.js';
import { DistinctOnNode } from '../logical/distinct-on.js';
import { SortNode } from '../logical/sort.js';
import { LimitNode } from '../logical/limit.js';
import { WindowNode } from '../logical/window.js';
import { ProjectSetNode } from '../logical/project-set.js';
import { SetOpNode } from '../logical/set-op.js';
import { makeJoin } from '../binder/from-binder.js';
import { DistinctNode } from '../logical/distinct.js';
import { FilterNode } from '../logical/filter.js';
import { JoinNode } from '../logical/join.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import { T } from '../../types/sql-type.js';

const columnsOf = (p: LogicalPlan): BoundExpr[] => p.schema.map((c, i) => ({ kind: 'column', index: i, type: c.type, label: c.name }));

/** The plan restricted back to the outer columns. */
function keepOuterColumns(plan: LogicalPlan, outer: LogicalPlan): LogicalPlan {
  return new ProjectNode(plan, columnsOf(outer), outer.schema);
}

function col(name: string, type: PlanColumn['type']): PlanColumn {
  return { name, type, tableOid: 0, attnum: 0 };
}

/** `outer` joined to the subquery of an EXISTS (negated: the rows with no match), or undefined. */
function existsJoin(outer: LogicalPlan, sub: SubplanExpr, negated: boolean): LogicalPlan | undefined {
  let p = sub.plan;
  while (p.kind === 'project' && !p.exprs.some(hasOuter)) p = p.input;
  const corr = correlationOf(p, sub.args);
  if (!corr) return undefined;
  const nOuter = outer.schema.length;
  // Right side: DISTINCT (correlation values..., true): one row per distinct key, with a marker.
  const keyExprs = corr.innerKeys;
  const marker: BoundExpr = { kind: 'const', value: true, type: T.bool };
  const right = new DistinctNode(
    new ProjectNode(corr.source, [...keyExprs, marker], [...keyExprs.map((e, i) => col(`key${i}`, e.type)), col('found', T.bool)]),
  );
  const condition = allOf(
    corr.eqs.map((eq, i): BoundExpr => ({ ...eq, args: [{ kind: 'column', index: nOuter + i, type: keyExprs[i]!.type, label: `key${i}` }, corr.outerKeys[i]!] })),
  );
  if (!negated) {
    const join = condition ? makeJoin('inner', outer, right, condition) : new JoinNode('cross', outer, right, undefined, []);
    return keepOuterColumns(join, outer);
  }
  const join = condition
    ? makeJoin('left', outer, right, condition)
    : makeJoin('left', outer, right, { kind: 'const', value: true, type: T.bool });
  const found: BoundExpr = { kind: 'column', index: nOuter + keyExprs.length, type: T.bool, label: 'found' };
  return keepOuterColumns(new FilterNode(join, { kind: 'isNull', arg: found, negated: false, type: T.bool }), outer);
}

/** `outer` joined to DISTINCT y for `x IN (SELECT y ...)`, uncorrelated; or undefined. */
function inJoin(outer: LogicalPlan, sub: SubplanExpr): LogicalPlan | undefined {
  if (sub.mode !== 'any' || sub.op !== '=' || !sub.left || !sub.test || sub.args.length > 0 || planHasOuter(sub.plan) || sub.plan.schema.length !== 1) return undefined;
  const test = sub.test;
  const nOuter = outer.schema.length;
  const right = new DistinctNode(sub.plan);
  const eq: CallExpr = {
    kind: 'call',
    label: '=',
    fn: (args) => test(args[0]!, args[1]!),
    args: [sub.left, { kind: 'column', index: nOuter, type: sub.plan.schema[0]!.type, label: sub.plan.schema[0]!.name }],
    type: T.bool,
    strict: true,
    volatile: false,
  };
  return keepOuterColumns(makeJoin('inner', outer, right, eq), outer);
}

/** True when the plan always yields exactly one row (an aggregate without GROUP BY, under Projects). */
function exactlyOneRow(p: LogicalPlan): boolean {
  while (p.kind === 'project') p = p.input;
  return p.kind === 'aggregate' && p.groupExprs.length === 0 && !p.groupingSets;
}

function rewriteFilter(input: LogicalPlan, predicate: BoundExpr): LogicalPlan {
  let plan = input;
  const kept: BoundExpr[] = [];
  for (const c of conjuncts(predicate)) {
    const negated = c.kind === 'not' && c.arg.kind === 'subplan';
    const sub = c.kind === 'subplan' ? c : c.kind === 'not' && c.arg.kind === 'subplan' ? c.arg : undefined;
    if (sub?.mode === 'exists') {
      const joined = existsJoin(plan, { ...sub, plan: subqueriesToJoins(sub.plan) }, negated);
      if (joined) {
        plan = joined;
        continue;
      }
    }
    if (sub && !negated && !(sub.left && hasSubplan(sub.left))) {
      const joined = inJoin(plan, { ...sub, plan: subqueriesToJoins(sub.plan) });
      if (joined) {
        plan = joined;
        continue;
      }
    }
    kept.push(c);
  }
  const rest = allOf(kept);
  if (!rest) return plan;
  if (!hasSubplan(rest)) return new FilterNode(plan, rest);
  // Any other subquery: joins appended to the input, the predicate rewritten over them.
  const attached = attachSubplans(plan, [rest], subqueriesToJoins);
  return firstColumns(new FilterNode(attached.plan, attached.exprs[0]!), input.schema.length);
}

/** Rebuilds `plan` over `f` applied to each input (leaves and nodes with inner correlation kept as they are). */
export function mapInputs(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'scan': case 'values': case 'tableFunction': case 'workTableScan': case 'recursiveUnion': case 'apply':
    case 'windowTvf': // reads a relation directly: nothing below to rewrite
      return plan;
    case 'sessionWindow': return plan.with(f(plan.input));
    case 'filter': return new FilterNode(f(plan.input), plan.predicate);
    case 'project': return new ProjectNode(f(plan.input), plan.exprs, plan.schema);
    case 'aggregate': return new AggregateNode(f(plan.input), plan.groupExprs, plan.aggregates, plan.groupingSets, plan.schema);
    case 'distinct': return new DistinctNode(f(plan.input));
    case 'distinctOn': return new DistinctOnNode(f(plan.input), plan.keys);
    case 'sort': return new SortNode(f(plan.input), plan.keys);
    case 'limit': return new LimitNode(f(plan.input), plan.offset, plan.count);
    case 'window': return new WindowNode(f(plan.input), plan.calls, plan.schema);
    case 'projectSet': return new ProjectSetNode(f(plan.input), plan.calls, plan.schema);
    case 'join': return new JoinNode(plan.joinType, f(plan.left), f(plan.right), plan.condition, plan.equiKeys);
    case 'setOp': return new SetOpNode(plan.op, plan.all, f(plan.left), f(plan.right), plan.schema);
    default: {
      const never: never = plan;
      return never;
    }
  }
}

/**
 * The plan with subqueries turned into joins wherever the shapes above (WHERE conjuncts) or in
 * decorrelate-subplans.ts (any Filter or Project expression) allow it, at any depth.
 */
export function subqueriesToJoins(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'filter':
      return rewriteFilter(subqueriesToJoins(plan.input), plan.predicate);
    case 'project': {
      const input = subqueriesToJoins(plan.input);
      if (!plan.exprs.some(hasSubplan)) return new ProjectNode(input, plan.exprs, plan.schema);
      const attached = attachSubplans(input, plan.exprs, subqueriesToJoins);
      return new ProjectNode(attached.plan, attached.exprs, plan.schema);
    }
    case 'aggregate': {
      const input = subqueriesToJoins(plan.input);
      const aggExprs = plan.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)]);
      if (!plan.groupExprs.some(hasSubplan) && !aggExprs.some(hasSubplan)) return mapInputs(plan, () => input);
      // Group keys and aggregate arguments read the extended input, whose first columns are the old ones.
      const attached = attachSubplans(input, [...plan.groupExprs, ...aggExprs], subqueriesToJoins);
      const rewritten = attached.exprs;
      const groupExprs = rewritten.splice(0, plan.groupExprs.length);
      const aggregates = plan.aggregates.map((a) => {
        const args = rewritten.splice(0, a.args.length);
        const filter = a.filter ? rewritten.shift() : undefined;
        const orderBy = a.orderBy.map((k) => ({ ...k, expr: rewritten.shift()! }));
        return { ...a, args, filter, orderBy };
      });
      return new AggregateNode(attached.plan, groupExprs, aggregates, plan.groupingSets, plan.schema);
    }
    default:
      return mapInputs(plan, subqueriesToJoins);
  }
}
