/**
 * Rule for continuous queries: a subquery anywhere in a Filter or Project expression becomes joins
 * appended to the node's input plus an ordinary expression over the joined columns, so a view keeps
 * it current through join and aggregate operators. Shapes handled, uncorrelated or correlated by
 * equalities `inner = outer` in the subquery's WHERE:
 *  - EXISTS: a left join with DISTINCT (correlation values, true); the value is "found is not null";
 *  - x IN / = ANY (SELECT y ...): a left join with DISTINCT (keys, y) on x = y, plus per-key
 *    count(*) and count of NULL y, which give PostgreSQL's three-valued answer (NOT IN and
 *    x <> ALL (...) are NOT of it);
 *  - scalar over an aggregate without GROUP BY: the aggregate grouped by the correlation keys, left
 *    joined; a key with no rows gets the aggregate's value over no rows (count 0, others NULL);
 *  - scalar over plain rows: per key count(*) and the value, left joined; more than one row raises
 *    21000 when the value is used, as PostgreSQL does.
 * Anything else is left in place, and the incremental check refuses it with a clear error.
 */
import { children, mapChildren, type BoundExpr, type CallExpr, type SubplanExpr } from '../bound/expr.js';
import { makeJoin } from '../binder/from-binder.js';
import { AggregateNode } from '../logical/aggregate.js';
import type { AggregateCall } from '../logical/aggregate-call.js';
import { DistinctNode } from '../logical/distinct.js';
import { FilterNode } from '../logical/filter.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import { JoinNode } from '../logical/join.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum } from '../../types/datum.js';
import { T, type SqlType } from '../../types/sql-type.js';

const BOOL_TRUE: BoundExpr = { kind: 'const', value: true, type: T.bool };
const NULL_BOOL: BoundExpr = { kind: 'const', value: null, type: T.bool };

export function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

export function allOf(preds: readonly BoundExpr[]): BoundExpr | undefined {
  if (preds.length === 0) return undefined;
  return preds.length === 1 ? preds[0] : { kind: 'and', args: preds, type: T.bool };
}

export function hasOuter(e: BoundExpr): boolean {
  return e.kind === 'outer' || children(e).some(hasOuter);
}

export function hasSubplan(e: BoundExpr): boolean {
  return e.kind === 'subplan' || children(e).some(hasSubplan);
}

export function containsColumn(e: BoundExpr): boolean {
  return e.kind === 'column' || children(e).some(containsColumn);
}

export function planHasOuter(p: LogicalPlan): boolean {
  return planExprs(p).some(hasOuter) || p.inputs.some(planHasOuter);
}

function planExprs(p: LogicalPlan): BoundExpr[] {
  switch (p.kind) {
    case 'filter': return [p.predicate];
    case 'project': return [...p.exprs];
    case 'join': return p.condition ? [p.condition] : [];
    case 'aggregate': return [...p.groupExprs, ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : [])])];
    case 'distinctOn': return [...p.keys];
    case 'window': return p.calls.flatMap((c) => [...c.args, ...c.partitionBy, ...c.orderBy.map((k) => k.expr)]);
    case 'sort': return p.keys.map((k) => k.expr);
    default: return [];
  }
}

/** Replaces outer(i) by the enclosing row's expression args[i]. */
export function bindOuter(e: BoundExpr, args: readonly BoundExpr[]): BoundExpr {
  if (e.kind === 'outer') return args[e.index]!;
  return mapChildren(e, (c) => bindOuter(c, args));
}

/** Replaces column(i) by exprs[i] (composes an expression with the Project below it). */
function substitute(e: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr {
  if (e.kind === 'column') return exprs[e.index]!;
  return mapChildren(e, (c) => substitute(c, exprs));
}

const column = (index: number, type: SqlType, label: string): BoundExpr => ({ kind: 'column', index, type, label });
const columnsOf = (p: LogicalPlan): BoundExpr[] => p.schema.map((c, i) => column(i, c.type, c.name));
const planColumn = (name: string, type: SqlType): PlanColumn => ({ name, type, tableOid: 0, attnum: 0 });

/** `p` restricted to its first `n` columns. */
export function firstColumns(p: LogicalPlan, n: number): LogicalPlan {
  if (p.schema.length === n) return p;
  return new ProjectNode(p, columnsOf(p).slice(0, n), p.schema.slice(0, n));
}

/** A call `fn(args)` that is never folded away (it has column arguments) and has a fixed label. */
function call(label: string, args: readonly BoundExpr[], type: SqlType, fn: (a: Datum[]) => Datum, strict = false): CallExpr {
  return { kind: 'call', label, fn: (a) => fn(a), args, type, strict, volatile: false };
}

function isNull(arg: BoundExpr, negated = false): BoundExpr {
  return { kind: 'isNull', arg, negated, type: T.bool };
}

/** The correlation of a subquery: its rows without the `inner = outer` conjuncts, and those pairs. */
export interface Correlation {
  /** Rows of the subquery's FROM/WHERE, correlation conjuncts removed; no outer references. */
  readonly source: LogicalPlan;
  /** Inner side of each correlation equality, over `source`'s columns. */
  readonly innerKeys: readonly BoundExpr[];
  /** Outer side of each, over the enclosing row (outer refs already bound to the subplan's args). */
  readonly outerKeys: readonly BoundExpr[];
  /** Each equality call, to compare an inner key with an outer key. */
  readonly eqs: readonly CallExpr[];
}

/** Splits a Filter (or a plan without outer refs) into source + correlation equalities; undefined when another shape. */
export function correlationOf(p: LogicalPlan, args: readonly BoundExpr[]): Correlation | undefined {
  if (!planHasOuter(p)) return { source: p, innerKeys: [], outerKeys: [], eqs: [] };
  if (p.kind !== 'filter' || planHasOuter(p.input)) return undefined;
  const innerKeys: BoundExpr[] = [];
  const outerKeys: BoundExpr[] = [];
  const eqs: CallExpr[] = [];
  const rest: BoundExpr[] = [];
  for (const c of conjuncts(p.predicate)) {
    if (!hasOuter(c)) {
      rest.push(c);
      continue;
    }
    if (c.kind !== 'call' || c.args.length !== 2 || c.label !== '=') return undefined;
    const [a, b] = c.args as [BoundExpr, BoundExpr];
    let inner: BoundExpr, outer: BoundExpr;
    if (hasOuter(a) && !hasOuter(b) && !containsColumn(a)) [inner, outer] = [b, a];
    else if (hasOuter(b) && !hasOuter(a) && !containsColumn(b)) [inner, outer] = [a, b];
    else return undefined;
    // The call's argument order is kept: eq(inner, outer) or eq(outer, inner).
    const innerFirst = inner === a;
    innerKeys.push(inner);
    outerKeys.push(bindOuter(outer, args));
    eqs.push(innerFirst ? c : { ...c, fn: (v, ctx) => c.fn([v[1]!, v[0]!], ctx), args: [b, a] });
  }
  const r = allOf(rest);
  return { source: r ? new FilterNode(p.input, r) : p.input, innerKeys, outerKeys, eqs };
}

/** Strips Projects without outer refs above `p`, composing their expressions: `p` = Project(exprs) over `base`. */
function composedProjection(p: LogicalPlan): { base: LogicalPlan; exprs: BoundExpr[] } {
  let exprs: BoundExpr[] = columnsOf(p);
  let base = p;
  while (base.kind === 'project' && !base.exprs.some(hasOuter) && !base.exprs.some(hasSubplan)) {
    const below = base.exprs;
    exprs = exprs.map((e) => substitute(e, below));
    base = base.input;
  }
  return { base, exprs };
}

/**
 * The enclosing input with extra columns, built up while subplans are attached. Columns of the
 * original input keep their positions; everything added goes on the right.
 */
class Extension {
  constructor(public plan: LogicalPlan) {}

  get width(): number {
    return this.plan.schema.length;
  }

  /** A column holding `e` (evaluated on the current plan): `e` itself when it already is one. */
  columnFor(e: BoundExpr, name: string): BoundExpr {
    if (e.kind === 'column') return e;
    const n = this.width;
    this.plan = new ProjectNode(this.plan, [...columnsOf(this.plan), e], [...this.plan.schema, planColumn(name, e.type)]);
    return column(n, e.type, name);
  }

  /** Left join with `right`; `on` builds the condition from the offset of right's first column. */
  leftJoin(right: LogicalPlan, on: (rightAt: number) => BoundExpr | undefined): number {
    const at = this.width;
    const cond = on(at);
    this.plan = cond ? makeJoin('left', this.plan, right, cond) : makeJoin('left', this.plan, right, BOOL_TRUE);
    return at;
  }

  /** Cross join with a plan that always has exactly one row. */
  crossJoinOneRow(right: LogicalPlan): number {
    const at = this.width;
    this.plan = new JoinNode('cross', this.plan, right, undefined, []);
    return at;
  }
}

/** Equality of each inner key column (right side, from `rightAt`) with the outer key columns. */
function keyCondition(corr: Correlation, rightAt: number, outerCols: readonly BoundExpr[]): BoundExpr | undefined {
  return allOf(
    corr.eqs.map((eq, i) => ({ ...eq, args: [column(rightAt + i, corr.innerKeys[i]!.type, `key${i}`), outerCols[i]!] })),
  );
}

function outerKeyColumns(ext: Extension, corr: Correlation): BoundExpr[] {
  return corr.outerKeys.map((e, i) => ext.columnFor(e, `outer_key${i}`));
}

const countStar: AggregateCall = { name: 'count', args: [], argTypes: [], distinct: false, orderBy: [], star: true, type: T.int8 };

function minOf(arg: BoundExpr): AggregateCall {
  return { name: 'min', args: [arg], argTypes: [arg.type], distinct: false, orderBy: [], star: false, type: arg.type };
}

function countWhere(filter: BoundExpr): AggregateCall {
  return { ...countStar, filter };
}

/** Source grouped by its correlation keys (none: one global group), computing `aggs`. */
function groupedByKeys(source: LogicalPlan, keys: readonly BoundExpr[], aggs: readonly AggregateCall[], names: readonly string[]): LogicalPlan {
  const schema = [...keys.map((k, i) => planColumn(`key${i}`, k.type)), ...aggs.map((a, i) => planColumn(names[i]!, a.type))];
  return new AggregateNode(source, keys, aggs, undefined, schema);
}

/** EXISTS: left join with DISTINCT (keys..., true). */
function attachExists(ext: Extension, sub: SubplanExpr): BoundExpr | undefined {
  let p = sub.plan;
  while (p.kind === 'project' && !p.exprs.some(hasOuter)) p = p.input;
  const corr = correlationOf(p, sub.args);
  if (!corr) return undefined;
  const nk = corr.innerKeys.length;
  if (nk === 0) {
    const at = ext.crossJoinOneRow(groupedByKeys(corr.source, [], [countStar], ['n']));
    return call('>', [column(at, T.int8, 'n')], T.bool, (a) => (a[0] as bigint) > 0n, true);
  }
  const outerCols = outerKeyColumns(ext, corr);
  const right = new DistinctNode(
    new ProjectNode(corr.source, [...corr.innerKeys, BOOL_TRUE], [...corr.innerKeys.map((k, i) => planColumn(`key${i}`, k.type)), planColumn('found', T.bool)]),
  );
  const at = ext.leftJoin(right, (r) => keyCondition(corr, r, outerCols));
  return isNull(column(at + nk, T.bool, 'found'), true);
}

/** x = ANY (SELECT y ...): PostgreSQL's answer from a match, the row count and the NULL count per key. */
function attachIn(ext: Extension, sub: SubplanExpr): BoundExpr | undefined {
  if (!sub.left || !sub.test || sub.op !== '=' || sub.plan.schema.length !== 1) return undefined;
  const { base, exprs } = composedProjection(sub.plan);
  const corr = correlationOf(base, sub.args);
  if (!corr) return undefined;
  const y = exprs[0]!;
  if (hasOuter(y)) return undefined;
  const nk = corr.innerKeys.length;
  const test = sub.test;
  const leftCol = ext.columnFor(sub.left, 'in_left');
  const outerCols = outerKeyColumns(ext, corr);
  // Matches: DISTINCT (keys..., y), joined on keys and x = y (at most one y equals x).
  const pairs = new DistinctNode(
    new ProjectNode(corr.source, [...corr.innerKeys, y], [...corr.innerKeys.map((k, i) => planColumn(`key${i}`, k.type)), planColumn('y', y.type)]),
  );
  const matchAt = ext.leftJoin(pairs, (r) => {
    const eq = call('=', [leftCol, column(r + nk, y.type, 'y')], T.bool, (a) => test(a[0]!, a[1]!), true);
    return allOf([...(nk > 0 ? [keyCondition(corr, r, outerCols)!] : []), eq]);
  });
  const matched = isNull(column(matchAt + nk, y.type, 'y'), true);
  // Per key: how many rows, and how many with y NULL.
  const stats = groupedByKeys(corr.source, corr.innerKeys, [countStar, countWhere(isNull(y))], ['n', 'nulls']);
  const statsAt = nk === 0 ? ext.crossJoinOneRow(stats) : ext.leftJoin(stats, (r) => keyCondition(corr, r, outerCols));
  const n = column(statsAt + nk, T.int8, 'n');
  const nulls = column(statsAt + nk + 1, T.int8, 'nulls');
  const hasRows = call('>', [n], T.bool, (a) => a[0] !== null && (a[0] as bigint) > 0n);
  const unknown = { kind: 'or', args: [isNull(leftCol), call('>', [nulls], T.bool, (a) => a[0] !== null && (a[0] as bigint) > 0n)], type: T.bool } as const;
  return {
    kind: 'case',
    whens: [
      { when: matched, then: BOOL_TRUE },
      { when: { kind: 'not', arg: hasRows, type: T.bool }, then: { kind: 'const', value: false, type: T.bool } },
      { when: unknown, then: NULL_BOOL },
    ],
    else: { kind: 'const', value: false, type: T.bool },
    type: T.bool,
  };
}

/** The aggregate's result over no rows: count gives 0, every other aggregate NULL. */
function emptyAggregateValue(a: AggregateCall): Datum {
  return a.name === 'count' ? 0n : null;
}

/** Scalar subquery: over an ungrouped aggregate (grouped by the keys here), or over plain rows (at most one). */
function attachScalar(ext: Extension, sub: SubplanExpr): BoundExpr | undefined {
  if (sub.plan.schema.length !== 1) return undefined;
  const { base, exprs } = composedProjection(sub.plan);
  const v = exprs[0]!;
  if (hasOuter(v) || hasSubplan(v)) return undefined;
  if (base.kind === 'aggregate' && base.groupExprs.length === 0 && !base.groupingSets) {
    const corr = correlationOf(base.input, sub.args);
    if (!corr) return undefined;
    const nk = corr.innerKeys.length;
    const grouped = groupedByKeys(corr.source, corr.innerKeys, base.aggregates, base.schema.map((c) => c.name));
    if (nk === 0) {
      // Exactly one row always: a cross join, the value computed on it.
      const at = ext.crossJoinOneRow(grouped);
      return substitute(v, base.schema.map((c, i) => column(at + i, c.type, c.name)));
    }
    const outerCols = outerKeyColumns(ext, corr);
    const withMarker = new ProjectNode(grouped, [...columnsOf(grouped), BOOL_TRUE], [...grouped.schema, planColumn('found', T.bool)]);
    const at = ext.leftJoin(withMarker, (r) => keyCondition(corr, r, outerCols));
    const found = column(at + grouped.schema.length, T.bool, 'found');
    const value = substitute(v, base.schema.map((c, i) => column(at + nk + i, c.type, c.name)));
    const empty = substitute(v, base.aggregates.map((a) => ({ kind: 'const', value: emptyAggregateValue(a), type: a.type })));
    return { kind: 'case', whens: [{ when: isNull(found), then: empty }], else: value, type: sub.type };
  }
  const corr = correlationOf(base, sub.args);
  if (!corr) return undefined;
  const nk = corr.innerKeys.length;
  const rows = new ProjectNode(corr.source, [...corr.innerKeys, v], [...corr.innerKeys.map((k, i) => planColumn(`key${i}`, k.type)), planColumn('value', v.type)]);
  const valueCol = column(nk, v.type, 'value');
  const stats = groupedByKeys(rows, corr.innerKeys.map((k, i) => column(i, k.type, `key${i}`)), [countStar, minOf(valueCol)], ['n', 'value']);
  const outerCols = nk > 0 ? outerKeyColumns(ext, corr) : [];
  const at = nk === 0 ? ext.crossJoinOneRow(stats) : ext.leftJoin(stats, (r) => keyCondition(corr, r, outerCols));
  const n = column(at + nk, T.int8, 'n');
  const value = column(at + nk + 1, v.type, 'value');
  return call('single_row_value', [n, value], sub.type, (a) => {
    if (a[0] !== null && (a[0] as bigint) > 1n) throw new SqlError(SQLSTATE.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
    return a[1]!;
  });
}

function attach(ext: Extension, sub: SubplanExpr): BoundExpr | undefined {
  switch (sub.mode) {
    case 'exists': return attachExists(ext, sub);
    case 'any': return attachIn(ext, sub);
    case 'scalar': return attachScalar(ext, sub);
    case 'all': {
      // x <> ALL (S) is NOT (x = ANY (S)) under three-valued logic.
      const test = sub.test;
      if (sub.op !== '<>' || !test) return undefined;
      const eq = (a: Datum, b: Datum): Datum => {
        const r = test(a, b);
        return r === null ? null : !r;
      };
      const any = attachIn(ext, { ...sub, mode: 'any', op: '=', test: eq });
      return any ? { kind: 'not', arg: any, type: T.bool } : undefined;
    }
    case 'array': return undefined;
    default: {
      const never: never = sub.mode;
      return never;
    }
  }
}

/**
 * Attaches every subplan in `exprs` (outermost first; nested subplans inside an attached one's plan
 * are rewritten by `rewriteSubplans` first) to `input`; returns the extended input and the expressions
 * rewritten over it. Subplans of shapes not handled stay as they are.
 */
export function attachSubplans(input: LogicalPlan, exprs: readonly BoundExpr[], rewritePlan: (p: LogicalPlan) => LogicalPlan): { plan: LogicalPlan; exprs: BoundExpr[] } {
  const ext = new Extension(input);
  const visit = (e: BoundExpr): BoundExpr => {
    if (e.kind === 'subplan') {
      const inner: SubplanExpr = { ...e, plan: rewritePlan(e.plan), args: e.args.map(visit), left: e.left ? visit(e.left) : undefined };
      return attach(ext, inner) ?? inner;
    }
    return mapChildren(e, visit);
  };
  const out = exprs.map(visit);
  return { plan: ext.plan, exprs: out };
}
