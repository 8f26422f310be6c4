/**
 * Rule for continuous queries: WHERE conjuncts that are subqueries become joins, so a view keeps
 * them current through the join operators instead of re-running a subquery per row:
 *  - [NOT] EXISTS (SELECT ... WHERE inner = outer ...): a join with the DISTINCT correlation values of
 *    the subquery (NOT EXISTS: a left join keeping the rows that found none);
 *  - x IN (SELECT y ...), uncorrelated: a join with DISTINCT y;
 *  - a scalar subquery that is an ungrouped aggregate (exactly one row): a cross join with it.
 * Anything else is left as it is (and a view refuses it). Batch SELECTs keep their subplans.
 */
import { children, mapChildren, type BoundExpr, type CallExpr, type SubplanExpr } from '../bound/expr.js';
import { makeJoin } from '../binder/from-binder.js';
import { DistinctNode } from '../logical/distinct.js';
import { FilterNode } from '../logical/filter.js';
import { JoinNode } from '../logical/join.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import { T } from '../../types/sql-type.js';

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

function allOf(preds: readonly BoundExpr[]): BoundExpr | undefined {
  if (preds.length === 0) return undefined;
  return preds.length === 1 ? preds[0] : { kind: 'and', args: preds, type: T.bool };
}

function hasOuter(e: BoundExpr): boolean {
  return e.kind === 'outer' || children(e).some(hasOuter);
}

function planHasOuter(p: LogicalPlan): boolean {
  const exprs: BoundExpr[] = [];
  switch (p.kind) {
    case 'filter': exprs.push(p.predicate); break;
    case 'project': exprs.push(...p.exprs); break;
    case 'join': if (p.condition) exprs.push(p.condition); break;
    case 'aggregate': exprs.push(...p.groupExprs, ...p.aggregates.flatMap((a) => a.args)); break;
    default: break;
  }
  return exprs.some(hasOuter) || p.inputs.some(planHasOuter);
}

/** Replaces outer(i) by the outer row's expression args[i] (on the outer plan's columns). */
function bindOuter(e: BoundExpr, args: readonly BoundExpr[]): BoundExpr {
  if (e.kind === 'outer') return args[e.index]!;
  return mapChildren(e, (c) => bindOuter(c, args));
}

const columnsOf = (p: LogicalPlan): BoundExpr[] => p.schema.map((c, i) => ({ kind: 'column', index: i, type: c.type, label: c.name }));

/** The plan restricted back to the outer columns. */
function keepOuterColumns(plan: LogicalPlan, outer: LogicalPlan): LogicalPlan {
  return new ProjectNode(plan, columnsOf(outer), outer.schema);
}

interface Correlation {
  /** The subquery's rows, correlation conjuncts removed. */
  readonly source: LogicalPlan;
  /** Each correlation conjunct, and which of its two arguments reads the subquery. */
  readonly pairs: readonly { readonly call: CallExpr; readonly innerArg: 0 | 1 }[];
}

/** Finds `inner = outer(...)` conjuncts under the subquery's Projects; undefined when the shape differs. */
function correlation(plan: LogicalPlan): Correlation | undefined {
  let p = plan;
  while (p.kind === 'project' && !p.exprs.some(hasOuter)) p = p.input;
  if (!planHasOuter(p)) return { source: p, pairs: [] };
  if (p.kind !== 'filter' || planHasOuter(p.input)) return undefined;
  const pairs: { call: CallExpr; innerArg: 0 | 1 }[] = [];
  const rest: BoundExpr[] = [];
  for (const c of conjuncts(p.predicate)) {
    if (!hasOuter(c)) {
      rest.push(c);
      continue;
    }
    if (c.kind !== 'call' || c.args.length !== 2 || c.label !== '=') return undefined;
    const [a, b] = c.args as [BoundExpr, BoundExpr];
    if (hasOuter(a) && !hasOuter(b) && !containsColumn(a)) pairs.push({ call: c, innerArg: 1 });
    else if (hasOuter(b) && !hasOuter(a) && !containsColumn(b)) pairs.push({ call: c, innerArg: 0 });
    else return undefined;
  }
  const r = allOf(rest);
  return { source: r ? new FilterNode(p.input, r) : p.input, pairs };
}

function containsColumn(e: BoundExpr): boolean {
  return e.kind === 'column' || children(e).some(containsColumn);
}

function col(name: string, type: PlanColumn['type']): PlanColumn {
  return { name, type, tableOid: 0, attnum: 0 };
}

/** `outer` joined to the subquery of an EXISTS (negated: the rows with no match), or undefined. */
function existsJoin(outer: LogicalPlan, sub: SubplanExpr, negated: boolean): LogicalPlan | undefined {
  const corr = correlation(sub.plan);
  if (!corr) return undefined;
  const nOuter = outer.schema.length;
  // Right side: DISTINCT (correlation values..., true): one row per distinct key, with a marker.
  const keyExprs = corr.pairs.map((p) => p.call.args[p.innerArg]!);
  const marker: BoundExpr = { kind: 'const', value: true, type: T.bool };
  const right = new DistinctNode(
    new ProjectNode(corr.source, [...keyExprs, marker], [...keyExprs.map((e, i) => col(`key${i}`, e.type)), col('found', T.bool)]),
  );
  const condition = allOf(
    corr.pairs.map((p, i) => {
      const args = [...p.call.args];
      args[p.innerArg] = { kind: 'column', index: nOuter + i, type: keyExprs[i]!.type, label: `key${i}` };
      const outerArg = 1 - p.innerArg;
      args[outerArg] = bindOuter(args[outerArg]!, sub.args);
      return { ...p.call, args };
    }),
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
  if (sub.mode !== 'any' || !sub.left || !sub.test || sub.args.length > 0 || planHasOuter(sub.plan) || sub.plan.schema.length !== 1) return undefined;
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
  const nOuter = input.schema.length;
  const kept: BoundExpr[] = [];
  const scalarPlans: LogicalPlan[] = [];
  for (const c of conjuncts(predicate)) {
    const negated = c.kind === 'not' && c.arg.kind === 'subplan';
    const sub = c.kind === 'subplan' ? c : c.kind === 'not' && c.arg.kind === 'subplan' ? c.arg : undefined;
    if (sub?.mode === 'exists') {
      const joined = existsJoin(plan, sub, negated);
      if (joined) {
        plan = joined;
        continue;
      }
    }
    if (sub && !negated) {
      const joined = inJoin(plan, sub);
      if (joined) {
        plan = joined;
        continue;
      }
    }
    kept.push(c);
  }
  // Uncorrelated one-row scalar subqueries in the remaining conjuncts become columns of a cross join.
  const replaceScalars = (e: BoundExpr): BoundExpr => {
    if (e.kind === 'subplan' && e.mode === 'scalar' && e.args.length === 0 && !planHasOuter(e.plan) && exactlyOneRow(e.plan)) {
      scalarPlans.push(e.plan);
      return { kind: 'column', index: -scalarPlans.length, type: e.type, label: 'subquery' };
    }
    return mapChildren(e, replaceScalars);
  };
  const rewritten = kept.map(replaceScalars);
  if (scalarPlans.length === 0) {
    const rest = allOf(kept);
    return rest ? new FilterNode(plan, rest) : plan;
  }
  let joined = plan;
  for (const sp of scalarPlans) joined = new JoinNode('cross', joined, sp, undefined, []);
  // Scalar placeholders (negative indexes) point at the columns appended by the cross joins.
  const fix = (e: BoundExpr): BoundExpr => (e.kind === 'column' && e.index < 0 ? { ...e, index: nOuter + (-e.index - 1) } : mapChildren(e, fix));
  const rest = allOf(rewritten.map(fix))!;
  return keepOuterColumns(new FilterNode(joined, rest), input);
}

/** The plan with WHERE subqueries turned into joins where the shapes above allow it. */
export function subqueriesToJoins(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'filter':
      return rewriteFilter(subqueriesToJoins(plan.input), plan.predicate);
    case 'project':
      return new ProjectNode(subqueriesToJoins(plan.input), plan.exprs, plan.schema);
    default:
      return plan;
  }
}
