/**
 * Binds one SELECT block with its ORDER BY: FROM -> WHERE -> GROUP BY / aggregates -> HAVING ->
 * window functions -> DISTINCT [ON] -> ORDER BY -> select list, in PostgreSQL's evaluation order.
 * ORDER BY may name output columns (by alias or ordinal) or any expression over the FROM row.
 */
import type { Expr, GroupingElement, OrderItem, SelectBody } from '../../sql/ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { children, exprKey, mapChildren, type BoundExpr, type SrfPlaceholder } from '../bound/expr.js';
import { ProjectSetNode, type SetFunctionCall } from '../logical/project-set.js';
import type { TableFunctionName } from '../logical/table-function.js';
import { AggregateNode } from '../logical/aggregate.js';
import { DistinctOnNode } from '../logical/distinct-on.js';
import { DistinctNode } from '../logical/distinct.js';
import { FilterNode } from '../logical/filter.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import type { SortKey } from '../logical/sort-key.js';
import { SortNode } from '../logical/sort.js';
import { WindowNode } from '../logical/window.js';
import { AggregateRewriter, WindowCollector, containsAggregate } from './aggregate-rewrite.js';
import { resolveUnknown } from './coerce.js';
import { figureColumnName } from './column-name.js';
import { bindCondition, bindExpr, exprPos } from './expr-binder.js';
import type { ExprScope } from './expr-scope.js';
import { bindFromList, bindWhere } from './from-binder.js';

interface OutputItem {
  readonly name: string;
  expr: BoundExpr;
  /** For a whole composite item (`_pg_expandarray(a) AS keys`): one column per field. */
  composite?: { readonly fields: readonly string[]; readonly exprs: readonly BoundExpr[] };
}

/** Replaces set-returning placeholders by the columns a ProjectSet node appends after `width`. */
class SrfCollector {
  readonly calls: SetFunctionCall[] = [];
  readonly columns: PlanColumn[] = [];
  private readonly offsets = new Map<string, number>();

  constructor(private readonly width: number) {}

  private offsetOf(e: SrfPlaceholder): number {
    const key = `${e.name}(${e.args.map(exprKey).join(',')})`;
    let at = this.offsets.get(key);
    if (at === undefined) {
      at = this.width + this.columns.length;
      this.offsets.set(key, at);
      this.calls.push({ name: e.name as TableFunctionName, args: e.args, width: e.fields.length });
      for (const f of e.fields) this.columns.push({ name: f.name, type: f.type, tableOid: 0, attnum: 0 });
    }
    return at;
  }

  /** The columns of a whole composite SRF item. */
  expand(e: SrfPlaceholder): BoundExpr[] {
    const at = this.offsetOf(e);
    return e.fields.map((f, i) => ({ kind: 'column', index: at + i, type: f.type, label: f.name }));
  }

  rewrite(e: BoundExpr): BoundExpr {
    if (e.kind === 'srf') {
      if (e.field === undefined) throw new SqlError(SQLSTATE.featureNotSupported, 'a composite set-returning function result is only supported as a whole select item');
      return { kind: 'column', index: this.offsetOf(e) + e.field, type: e.type, label: e.fields[e.field]!.name };
    }
    return mapChildren(e, (c) => this.rewrite(c));
  }
}

function ordinalOf(e: Expr): number | undefined {
  return e.kind === 'literal' && e.value.type === 'number' && /^\d+$/.test(e.value.text) ? Number(e.value.text) : undefined;
}

/** ORDER BY / GROUP BY item: output alias or ordinal first where PostgreSQL allows it. */
function bindOutputRef(e: Expr, items: readonly OutputItem[], s: ExprScope, clause: 'ORDER BY' | 'GROUP BY'): BoundExpr {
  const ordinal = ordinalOf(e);
  if (ordinal !== undefined) {
    const item = items[ordinal - 1];
    if (!item) throw new SqlError(SQLSTATE.invalidColumnReference, `${clause} position ${ordinal} is not in select list`, { position: exprPos(e) });
    return item.expr;
  }
  if (e.kind === 'columnRef' && e.table === undefined) {
    if (clause === 'GROUP BY') {
      // GROUP BY prefers an input column; an output alias is the fallback.
      const input = s.from.find(undefined, e.column, e.pos);
      if (input) return input;
    }
    const hits = items.filter((i) => i.name === e.column);
    if (hits.length > 0) {
      const first = exprKey(hits[0]!.expr);
      if (hits.some((h) => exprKey(h.expr) !== first)) {
        throw new SqlError(SQLSTATE.ambiguousColumn, `${clause} "${e.column}" is ambiguous`, { position: e.pos });
      }
      return hits[0]!.expr;
    }
  }
  return bindExpr(e, s);
}

/** GROUP BY elements as (distinct expressions, grouping sets over their indexes or undefined). */
function bindGroupBy(elements: readonly GroupingElement[], items: readonly OutputItem[], s: ExprScope) {
  const groupScope: ExprScope = { ...s, aggregates: 'aggregate functions are not allowed in GROUP BY', windows: 'window functions are not allowed in GROUP BY' };
  const exprs: BoundExpr[] = [];
  const indexByKey = new Map<string, number>();
  const indexOf = (e: Expr): number => {
    const b = resolveUnknown(bindOutputRef(e, items, groupScope, 'GROUP BY'), s.state);
    if (containsAggregate(b)) throw new SqlError(SQLSTATE.groupingError, 'aggregate functions are not allowed in GROUP BY', { position: exprPos(e) });
    const k = exprKey(b);
    let i = indexByKey.get(k);
    if (i === undefined) {
      i = exprs.length;
      exprs.push(b);
      indexByKey.set(k, i);
    }
    return i;
  };
  let sets: number[][] = [[]];
  let plain = true;
  for (const el of elements) {
    let elementSets: number[][];
    switch (el.kind) {
      case 'expr': elementSets = [[indexOf(el.expr)]]; break;
      case 'rollup': {
        plain = false;
        const parts = el.sets.map((set) => set.map(indexOf));
        elementSets = [];
        for (let n = parts.length; n >= 0; n--) elementSets.push(parts.slice(0, n).flat());
        break;
      }
      case 'cube': {
        plain = false;
        const parts = el.sets.map((set) => set.map(indexOf));
        elementSets = [];
        for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) {
          elementSets.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
        }
        break;
      }
      case 'groupingSets': plain = false; elementSets = el.sets.map((set) => set.map(indexOf)); break;
      default: { const never: never = el; return never; }
    }
    const next: number[][] = [];
    for (const a of sets) for (const b of elementSets) next.push([...a, ...b.filter((x) => !a.includes(x))]);
    sets = next;
  }
  return { exprs, sets: plain ? undefined : sets };
}

function bindSortItems(orderBy: readonly OrderItem[], items: readonly OutputItem[], s: ExprScope): SortKey[] {
  return orderBy.map((o) => ({
    expr: resolveUnknown(bindOutputRef(o.expr, items, s, 'ORDER BY'), s.state),
    desc: o.direction === 'desc',
    nullsFirst: o.nulls ? o.nulls === 'first' : o.direction === 'desc',
  }));
}

function columnFor(plan: LogicalPlan, e: BoundExpr, name: string): PlanColumn {
  if (e.kind === 'column') {
    const src = plan.schema[e.index];
    if (src) return { name, type: e.type, tableOid: src.tableOid, attnum: src.attnum };
  }
  return { name, type: e.type, tableOid: 0, attnum: 0 };
}

/** Ungrouped column references outside aggregates (window contents included, subplan args too). */
function ungroupedColumns(e: BoundExpr, grouped: ReadonlySet<string>, out: BoundExpr[]): void {
  if (grouped.has(exprKey(e)) || e.kind === 'agg') return;
  if (e.kind === 'column') {
    out.push(e);
    return;
  }
  const inner = e.kind === 'window' ? [...e.call.args, ...e.call.partitionBy, ...e.call.orderBy.map((k) => k.expr)] : children(e);
  for (const c of inner) ungroupedColumns(c, grouped, out);
}

/**
 * PostgreSQL lets a grouped query use any column of a table whose primary key columns are all in
 * GROUP BY (they are functionally dependent); such columns become extra (harmless) group keys.
 */
function addFunctionallyDependentColumns(groupExprs: BoundExpr[], used: readonly BoundExpr[], input: LogicalPlan, s: ExprScope): void {
  const grouped = new Set(groupExprs.map(exprKey));
  const refs: BoundExpr[] = [];
  for (const e of used) ungroupedColumns(e, grouped, refs);
  const schema = input.schema;
  const groupedAttrs = new Set(groupExprs.flatMap((g) => (g.kind === 'column' && schema[g.index] ? [`${schema[g.index]!.tableOid}:${schema[g.index]!.attnum}`] : [])));
  for (const r of refs) {
    if (r.kind !== 'column' || grouped.has(exprKey(r))) continue;
    const col = schema[r.index];
    if (!col || col.tableOid === 0) continue;
    const rel = s.state.ctx.catalog.byOid(col.tableOid);
    if (!rel || rel.primaryKey.length === 0) continue;
    if (rel.primaryKey.every((k) => groupedAttrs.has(`${rel.oid}:${rel.columns[k]!.attnum}`))) {
      groupExprs.push(r);
      grouped.add(exprKey(r));
    }
  }
}

export function bindSelect(body: SelectBody, orderBy: readonly OrderItem[], outer: ExprScope): LogicalPlan {
  const from = bindFromList(body.from, outer);
  const s: ExprScope = { ...outer, from: from.scope, aggregates: 'allow', windows: 'allow' };
  let plan = bindWhere(from.plan, body.where, s);

  // Select list, with * expanded.
  const items: OutputItem[] = [];
  for (const item of body.items) {
    if (item.expr.kind === 'star') {
      const star = item.expr;
      const cols = star.table === undefined ? from.scope.columns : from.scope.tables.get(star.table);
      if (!cols) throw new SqlError(SQLSTATE.undefinedTable, `missing FROM-clause entry for table "${star.table}"`, { position: star.pos });
      if (star.table === undefined && body.from.length === 0) {
        throw new SqlError(SQLSTATE.syntaxError, 'SELECT * with no tables specified is not valid', { position: star.pos });
      }
      for (const c of cols) items.push({ name: c.name, expr: c.expr });
    } else {
      items.push({ name: item.alias ?? figureColumnName(item.expr), expr: bindExpr(item.expr, { ...s, srfs: 'allow' }) });
    }
  }

  const group = bindGroupBy(body.groupBy, items, s);
  let having = body.having ? bindCondition(body.having, { ...s, windows: 'window functions are not allowed in HAVING' }, 'HAVING') : undefined;
  let sortKeys = bindSortItems(orderBy, items, s);
  const distinctOn = body.distinct && body.distinct !== 'all'
    ? body.distinct.on.map((e) => resolveUnknown(bindOutputRef(e, items, s, 'ORDER BY'), s.state))
    : undefined;
  let distinctOnKeys = distinctOn ?? [];

  const grouped = body.groupBy.length > 0 || having !== undefined || items.some((i) => containsAggregate(i.expr)) || sortKeys.some((k) => containsAggregate(k.expr));
  if (grouped) {
    if (!group.sets) addFunctionallyDependentColumns(group.exprs, [...items.map((i) => i.expr), ...sortKeys.map((k) => k.expr), ...(having ? [having] : [])], plan, s);
    const rw = new AggregateRewriter(group.exprs);
    for (const i of items) i.expr = rw.rewrite(i.expr);
    having = having ? rw.rewrite(having) : undefined;
    sortKeys = sortKeys.map((k) => ({ ...k, expr: rw.rewrite(k.expr) }));
    distinctOnKeys = distinctOnKeys.map((k) => rw.rewrite(k));
    const schema: PlanColumn[] = [
      ...group.exprs.map((g, i) => columnFor(plan, g, g.kind === 'column' ? g.label.split('.').pop()! : `group${i + 1}`)),
      ...rw.aggregates.map((a) => ({ name: a.name, type: a.type, tableOid: 0, attnum: 0 })),
    ];
    plan = new AggregateNode(plan, group.exprs, rw.aggregates, group.sets, schema);
    if (having) plan = new FilterNode(plan, having);
  }

  const windows = new WindowCollector(plan.schema.length);
  for (const i of items) i.expr = windows.rewrite(i.expr);
  sortKeys = sortKeys.map((k) => ({ ...k, expr: windows.rewrite(k.expr) }));
  if (windows.calls.length > 0) {
    const schema = [...plan.schema, ...windows.calls.map((c) => ({ name: c.name, type: c.type, tableOid: 0, attnum: 0 }))];
    plan = new WindowNode(plan, windows.calls, schema);
  }

  const srfs = new SrfCollector(plan.schema.length);
  for (const i of items) {
    if (i.expr.kind === 'srf' && i.expr.field === undefined) {
      const exprs = srfs.expand(i.expr);
      i.composite = { fields: i.expr.fields.map((f) => f.name), exprs };
      i.expr = exprs[0]!;
    } else i.expr = srfs.rewrite(i.expr);
  }
  sortKeys = sortKeys.map((k) => ({ ...k, expr: srfs.rewrite(k.expr) }));
  if (srfs.calls.length > 0) plan = new ProjectSetNode(plan, srfs.calls, [...plan.schema, ...srfs.columns]);

  for (const i of items) i.expr = resolveUnknown(i.expr, s.state);
  const schema: PlanColumn[] = [];
  const exprs: BoundExpr[] = [];
  for (const i of items) {
    if (i.composite) {
      i.composite.exprs.forEach((e, k) => {
        exprs.push(e);
        schema.push({ ...columnFor(plan, e, i.name), composite: { name: i.name, field: i.composite!.fields[k]! } });
      });
    } else {
      exprs.push(i.expr);
      schema.push(columnFor(plan, i.expr, i.name));
    }
  }

  if (body.distinct === 'all') {
    let out: LogicalPlan = new DistinctNode(new ProjectNode(plan, exprs, schema));
    if (sortKeys.length > 0) {
      const keys = sortKeys.map((k) => {
        const at = exprs.findIndex((e) => exprKey(e) === exprKey(k.expr));
        if (at < 0) throw new SqlError(SQLSTATE.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list');
        return { ...k, expr: { kind: 'column', index: at, type: exprs[at]!.type, label: schema[at]!.name } as BoundExpr };
      });
      out = new SortNode(out, keys);
    }
    return out;
  }
  if (distinctOn) {
    let keys = sortKeys;
    if (keys.length === 0) keys = distinctOnKeys.map((e) => ({ expr: e, desc: false, nullsFirst: false }));
    const leading = new Set(keys.slice(0, distinctOnKeys.length).map((k) => exprKey(k.expr)));
    if (keys.length < distinctOnKeys.length ? sortKeys.length > 0 : distinctOnKeys.some((d) => !leading.has(exprKey(d)))) {
      throw new SqlError(SQLSTATE.invalidColumnReference, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions');
    }
    return new ProjectNode(new DistinctOnNode(new SortNode(plan, keys), distinctOnKeys), exprs, schema);
  }
  if (sortKeys.length > 0) plan = new SortNode(plan, sortKeys);
  return new ProjectNode(plan, exprs, schema);
}
