/**
 * Binds the FROM clause: tables (or CTEs), joins with ON / USING / NATURAL, derived tables, VALUES
 * and table functions, into a plan plus the FromScope its columns are named by. Equi-join keys are
 * pulled out of ON conditions here so the planner can pick a hash join.
 */
import { filterOverJoins } from '../rules/push-filter-into-joins.js';
import type { RelationDef } from '../../catalog/model.js';
import type { Expr, FromItem, FunctionRef, JoinRef } from '../../sql/ast.js';
import { parseStatements } from '../../sql/parse.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType } from '../../types/sql-type.js';
import { children, mapChildren, type BoundExpr } from '../bound/expr.js';
import { FilterNode } from '../logical/filter.js';
import { JoinNode } from '../logical/join.js';
import { ApplyNode } from '../logical/apply.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import { ScanNode } from '../logical/scan.js';
import { TableFunctionNode, type TableFunctionName } from '../logical/table-function.js';
import { isSetReturningFunction, tableFunctionFieldNames, tableFunctionTypes } from './table-function-types.js';
import { ValuesNode } from '../logical/values.js';
import { commonSupertype, typeDisplayName } from '../type-runtime.js';
import { coerce } from './coerce.js';
import { bindCondition, bindExpr, bindOperator, lastCorrelation } from './expr-binder.js';
import { Correlation, findCte, type ExprScope } from './expr-scope.js';
import { FromScope, combineScopes, type ScopeColumn } from './scope.js';
import { bindValuesRows } from './values-binder.js';
import { bindWindowTvf, isWindowTvfCall } from './window-tvf-binder.js';

export interface BoundFrom {
  readonly plan: LogicalPlan;
  readonly scope: FromScope;
  /** Set for a LATERAL item that reads the FROM items to its left: the values it reads from them. */
  readonly lateralArgs?: readonly BoundExpr[];
}

/** A scope naming every column of `plan` under `alias` (with optional column aliases). */
export function scopeOf(plan: LogicalPlan, alias: string | undefined, columnAliases?: readonly string[]): FromScope {
  if (columnAliases && columnAliases.length > plan.schema.length) {
    throw new SqlError(SQLSTATE.syntaxError.replace('42601', '42P10'), `table "${alias}" has ${plan.schema.length} columns available but ${columnAliases.length} columns specified`);
  }
  const cols: ScopeColumn[] = [];
  const composites = new Map<string, Map<string, BoundExpr>>();
  plan.schema.forEach((c, i) => {
    const name = columnAliases?.[i] ?? c.name;
    const expr: BoundExpr = { kind: 'column', index: i, type: c.type, label: alias ? `${alias}.${name}` : name };
    if (c.composite && !columnAliases?.[i]) {
      let fields = composites.get(c.composite.name);
      if (!fields) composites.set(c.composite.name, (fields = new Map()));
      fields.set(c.composite.field, expr);
      return;
    }
    cols.push({ name, table: alias, expr });
  });
  const tables = new Map<string, readonly ScopeColumn[]>();
  if (alias !== undefined) tables.set(alias, cols);
  const compositeCols = [...composites].map(([name, fields]) => ({ name, table: alias, expr: [...fields.values()][0]!, fields }));
  return new FromScope(cols, tables, plan.schema.length, compositeCols);
}

/** Renames a plan's output columns (column aliases on a derived table or CTE). */
export function renameColumns(plan: LogicalPlan, names: readonly string[] | undefined): LogicalPlan {
  if (!names || names.length === 0) return plan;
  const exprs = plan.schema.map((c, i): BoundExpr => ({ kind: 'column', index: i, type: c.type, label: c.name }));
  const schema = plan.schema.map((c, i) => ({ ...c, name: names[i] ?? c.name }));
  return new ProjectNode(plan, exprs, schema);
}

/** A view is expanded: its defining query is parsed and bound, its columns renamed to the view's. */
function bindView(rel: RelationDef, s: ExprScope): LogicalPlan {
  const [parsed] = parseStatements(rel.definition!);
  const st = parsed?.statement;
  if (!st || st.kind !== 'query') throw new SqlError(SQLSTATE.internalError, `view "${rel.name}" has no query definition`);
  const body = s.state.bindDerivedTable(st.query, { ...s, correlation: undefined, ctes: undefined });
  const exprs = body.schema.map((c, i): BoundExpr => ({ kind: 'column', index: i, type: c.type, label: c.name }));
  const schema = body.schema.map((c, i) => {
    const col = rel.columns[i];
    return { name: col?.name ?? c.name, type: c.type, tableOid: rel.oid, attnum: col?.attnum ?? i + 1 };
  });
  return new ProjectNode(body, exprs, schema);
}

/** The comma-separated FROM list as cross joins (an empty list is one empty row). */
export function bindFromList(items: readonly FromItem[], s: ExprScope): BoundFrom {
  if (items.length === 0) return { plan: new ValuesNode([], [[]]), scope: FromScope.empty };
  let acc = bindFromItem(items[0]!, s);
  for (const item of items.slice(1)) {
    const right = bindFromItem(item, s, acc.scope);
    const scope = combineScopes(acc.scope, right.scope);
    acc = { plan: joinOrApply('cross', acc.plan, right, undefined), scope };
  }
  return acc;
}

/** A join, or an Apply when the right item is LATERAL and reads the left side. */
function joinOrApply(type: JoinRef['joinType'], left: LogicalPlan, right: BoundFrom, condition: BoundExpr | undefined): LogicalPlan {
  if (right.lateralArgs && right.lateralArgs.length > 0) {
    if (type === 'right' || type === 'full') throw new SqlError(SQLSTATE.featureNotSupported.replace('0A000', '42P10'), 'The combining JOIN type must be INNER or LEFT for a LATERAL reference.');
    return new ApplyNode(type === 'left' ? 'left' : 'inner', left, right.plan, right.lateralArgs, condition);
  }
  if (type === 'cross' || !condition) return new JoinNode('cross', left, right.plan, undefined, []);
  return makeJoin(type, left, right.plan, condition);
}

/** `lateralLeft`: the scope of the FROM items to the left, which a LATERAL item may read. */
export function bindFromItem(item: FromItem, s: ExprScope, lateralLeft?: FromScope): BoundFrom {
  switch (item.kind) {
    case 'table': {
      const name = item.name;
      const alias = item.alias ?? name.name;
      if (name.schema === undefined) {
        const cte = findCte(s.ctes, name.name);
        if (cte) return { plan: cte.plan, scope: scopeOf(cte.plan, alias, item.columnAliases) };
      }
      const rel = s.state.ctx.catalog.lookup(name.schema, name.name);
      if (!rel) {
        const shown = name.schema ? `${name.schema}.${name.name}` : name.name;
        throw new SqlError(SQLSTATE.undefinedTable, `relation "${shown}" does not exist`, { position: name.pos ?? item.pos });
      }
      const plan = rel.kind === 'view' && rel.definition ? bindView(rel, s) : new ScanNode(rel);
      return { plan, scope: scopeOf(plan, alias, item.columnAliases) };
    }
    case 'subquery': {
      if (item.lateral && lateralLeft) {
        const plan = s.state.bindSubquery(item.query, { ...s, from: lateralLeft });
        const lateralArgs = lastCorrelation.get(plan)?.args ?? [];
        return { plan, scope: scopeOf(plan, item.alias, item.columnAliases), lateralArgs };
      }
      // A derived table sees the enclosing query's outer scopes, not its FROM siblings.
      const plan = s.state.bindDerivedTable(item.query, s);
      return { plan, scope: scopeOf(plan, item.alias, item.columnAliases) };
    }
    case 'values': {
      const plan = bindValuesRows(item.rows, s, undefined);
      return { plan, scope: scopeOf(plan, item.alias ?? '*VALUES*', item.columnAliases) };
    }
    case 'function': {
      // TUMBLE / HOP read a relation named in their arguments, never the FROM items to their left.
      if (isWindowTvfCall(item.call)) return bindWindowTvf(item, s);
      if (!lateralLeft) return bindTableFunction(item, s);
      // Functions in FROM may always read the items to their left (implicitly LATERAL).
      const correlation = new Correlation({ ...s, from: lateralLeft });
      const bound = bindTableFunction(item, { ...s, from: FromScope.empty, correlation });
      return { ...bound, lateralArgs: correlation.args };
    }
    case 'join':
      return bindJoin(item, s);
    default: {
      const never: never = item;
      return never;
    }
  }
}

function bindJoin(j: JoinRef, s: ExprScope): BoundFrom {
  const left = bindFromItem(j.left, s);
  const right = bindFromItem(j.right, s, left.scope);
  const nLeft = left.scope.width;
  let usingNames = j.using;
  if (j.natural) {
    const rightNames = new Set(right.scope.columns.map((c) => c.name));
    usingNames = left.scope.columns.map((c) => c.name).filter((n) => rightNames.has(n));
  }
  if (usingNames && usingNames.length > 0) {
    const probe = combineScopes(left.scope, right.scope);
    const rightShifted = right.scope.shifted(nLeft);
    const merged: ScopeColumn[] = [];
    const conds: BoundExpr[] = [];
    const joinScope: ExprScope = { ...s, from: probe, aggregates: 'aggregate functions are not allowed in JOIN conditions', windows: 'window functions are not allowed in JOIN conditions' };
    for (const name of usingNames) {
      const l = left.scope.find(undefined, name, undefined);
      const r = rightShifted.find(undefined, name, undefined);
      if (!l) throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" specified in USING clause does not exist in left table`);
      if (!r) throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" specified in USING clause does not exist in right table`);
      const eq = bindOperator('=', l, r, joinScope, undefined);
      conds.push(eq);
      const type = commonSupertype([l.type, r.type]) ?? l.type;
      const lc = coerce(l, type, 'implicit', s.state, undefined), rc = coerce(r, type, 'implicit', s.state, undefined);
      const expr: BoundExpr =
        j.joinType === 'full' ? { kind: 'coalesce', args: [lc, rc], type } : j.joinType === 'right' ? rc : lc;
      merged.push({ name, table: undefined, expr });
    }
    const scope = combineScopes(left.scope, right.scope, merged, new Set(usingNames));
    const condition: BoundExpr = conds.length === 1 ? conds[0]! : { kind: 'and', args: conds, type: T.bool };
    return { plan: joinOrApply(j.joinType === 'cross' ? 'inner' : j.joinType, left.plan, right, condition), scope };
  }
  const scope = combineScopes(left.scope, right.scope);
  if (j.joinType === 'cross' || !j.on) {
    if (j.joinType !== 'cross' && !j.on) throw new SqlError(SQLSTATE.syntaxError, 'syntax error: JOIN requires ON or USING');
    return { plan: joinOrApply('cross', left.plan, right, undefined), scope };
  }
  const joinScope: ExprScope = { ...s, from: scope, aggregates: 'aggregate functions are not allowed in JOIN conditions', windows: 'window functions are not allowed in JOIN conditions' };
  const condition = bindCondition(j.on, joinScope, 'JOIN/ON');
  return { plan: joinOrApply(j.joinType, left.plan, right, condition), scope };
}

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** A join node with the `left.col = right.col` conjuncts of the condition as hash keys. */
export function makeJoin(type: 'inner' | 'left' | 'right' | 'full', left: LogicalPlan, right: LogicalPlan, condition: BoundExpr): LogicalPlan {
  const nLeft = left.schema.length;
  const keys: [number, number][] = [];
  const exprKeys: [BoundExpr, BoundExpr][] = [];
  for (const c of conjuncts(condition)) {
    if (c.kind !== 'call' || c.label !== '=' || c.args.length !== 2) continue;
    const [a, b] = c.args as [BoundExpr, BoundExpr];
    if (a.type.kind !== b.type.kind) continue;
    if (a.kind === 'column' && b.kind === 'column') {
      if (a.index < nLeft && b.index >= nLeft) keys.push([a.index, b.index - nLeft]);
      else if (b.index < nLeft && a.index >= nLeft) keys.push([b.index, a.index - nLeft]);
      continue;
    }
    const sa = sideOf(a, nLeft), sb = sideOf(b, nLeft);
    if (sa === 'left' && sb === 'right') exprKeys.push([a, b]);
    else if (sa === 'right' && sb === 'left') exprKeys.push([b, a]);
  }
  if (keys.length > 0 || exprKeys.length === 0) return new JoinNode(type, left, right, condition, keys);
  return joinOnComputedKeys(type, left, right, condition, exprKeys);
}

/** Which input an expression reads: only the left's columns, only the right's, or neither / both / unsafe. */
function sideOf(e: BoundExpr, nLeft: number): 'left' | 'right' | undefined {
  let left = false, right = false, unsafe = false;
  const visit = (x: BoundExpr): void => {
    if (x.kind === 'column') {
      if (x.index < nLeft) left = true;
      else right = true;
    } else if (x.kind === 'subplan' || x.kind === 'agg' || x.kind === 'window' || x.kind === 'srf' || (x.kind === 'call' && x.volatile)) {
      unsafe = true;
    }
    children(x).forEach(visit);
  };
  visit(e);
  if (unsafe || left === right) return undefined;
  return left ? 'left' : 'right';
}

function shiftColumns(e: BoundExpr, from: number, by: number): BoundExpr {
  if (e.kind === 'column') return e.index >= from ? { ...e, index: e.index + by } : e;
  return mapChildren(e, (c) => shiftColumns(c, from, by));
}

/**
 * An equi-join on expressions (`b.auction % 10000 = s.key`): each side gets its key expressions as
 * extra columns, the join hashes on them instead of comparing every pair, and a Project on top drops
 * them again.
 */
function joinOnComputedKeys(type: 'inner' | 'left' | 'right' | 'full', left: LogicalPlan, right: LogicalPlan, condition: BoundExpr, exprKeys: readonly [BoundExpr, BoundExpr][]): LogicalPlan {
  const nLeft = left.schema.length;
  const nRight = right.schema.length;
  const a = exprKeys.length;
  const col = (p: LogicalPlan, i: number): BoundExpr => ({ kind: 'column', index: i, type: p.schema[i]!.type, label: p.schema[i]!.name });
  const keyColumn = (e: BoundExpr, i: number): PlanColumn => ({ name: `join_key${i}`, type: e.type, tableOid: 0, attnum: 0 });
  const leftExprs = exprKeys.map(([l]) => l);
  const rightExprs = exprKeys.map(([, r]) => shiftColumns(r, 0, -nLeft));
  const left2 = new ProjectNode(left, [...left.schema.map((_, i) => col(left, i)), ...leftExprs], [...left.schema, ...leftExprs.map(keyColumn)]);
  const right2 = new ProjectNode(right, [...right.schema.map((_, i) => col(right, i)), ...rightExprs], [...right.schema, ...rightExprs.map(keyColumn)]);
  const keys: [number, number][] = exprKeys.map((_, j) => [nLeft + j, nRight + j]);
  const join = new JoinNode(type, left2, right2, shiftColumns(condition, nLeft, a), keys);
  const outCols = [...left.schema.map((_, i) => i), ...right.schema.map((_, i) => nLeft + a + i)];
  return new ProjectNode(join, outCols.map((i) => col(join, i)), [...left.schema, ...right.schema]);
}


function bindTableFunction(f: FunctionRef, s: ExprScope): BoundFrom {
  const call = f.call;
  const argScope: ExprScope = { ...s, aggregates: 'aggregate functions are not allowed in functions in FROM', windows: 'window functions are not allowed in functions in FROM' };
  const args = call.args.map((a) => bindExpr(a, argScope));
  const alias = f.alias ?? call.name;
  if (isSetReturningFunction(call.name)) {
    const { types, argsCoerced } = tableFunctionTypes(call.name, args, s, call.pos);
    const fieldNames = tableFunctionFieldNames(call.name, types.length);
    const names = f.columnAliases && f.columnAliases.length > 0 ? f.columnAliases : types.length > 1 ? fieldNames : [f.alias ?? call.name];
    const schema: PlanColumn[] = types.map((t, i) => ({ name: names[i] ?? call.name, type: t, tableOid: 0, attnum: 0 }));
    const plan = new TableFunctionNode(call.name as TableFunctionName, argsCoerced, schema, false);
    return { plan, scope: scopeOf(plan, alias) };
  }
  // A scalar function in FROM is a one-row, one-column table.
  const value = bindExpr(call, argScope);
  const name = f.columnAliases?.[0] ?? f.alias ?? call.name;
  const plan = new ProjectNode(new ValuesNode([], [[]]), [value], [{ name, type: value.type, tableOid: 0, attnum: 0 }]);
  return { plan, scope: scopeOf(plan, alias) };
}

/** A Filter node for a WHERE clause (aggregates and window functions refused). */
export function bindWhere(plan: LogicalPlan, where: Expr | undefined, s: ExprScope): LogicalPlan {
  if (!where) return plan;
  const whereScope: ExprScope = { ...s, aggregates: 'aggregate functions are not allowed in WHERE', windows: 'window functions are not allowed in WHERE' };
  return filterOverJoins(plan, bindCondition(where, whereScope, 'WHERE'));
}
