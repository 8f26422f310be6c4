/**
 * The query engine's front door, as the SQL engine (engine/) calls it: bind a query to a logical
 * plan with its result fields and parameter types, run it to batches of rows, and bind single
 * expressions over table rows for DML (UPDATE SET, WHERE, DEFAULT, ON CONFLICT, RETURNING).
 */
import type { RelationDef } from '../catalog/model.js';
import type { FieldDescription } from '../engine/api.js';
import type { Expr, Query } from '../sql/ast.js';
import type { Datum, Row } from '../types/datum.js';
import { T, type SqlType } from '../types/sql-type.js';
import { compileExpr, evaluateOnRow, type ColumnEvaluator } from '../exec/expr/compile.js';
import { PlanRunner, executePlan } from '../exec/run-plan.js';
import type { BoundExpr } from './bound/expr.js';
import { coerce, resolveUnknown } from './binder/coerce.js';
import { bindExpr } from './binder/expr-binder.js';
import type { ExprScope } from './binder/expr-scope.js';
import { bindQueryPlan, createBinderState } from './binder/query-binder.js';
import { FromScope, type ScopeColumn } from './binder/scope.js';
import type { BindContext, ExecContext } from './context.js';
import { explainPlan, type LogicalPlan } from './logical/plan.js';
import { typeDisplayName } from './type-runtime.js';
import { partitionSessionWindows } from './rules/session-partition.js';

export type { BindContext, ExecContext } from './context.js';
export type { LogicalPlan } from './logical/plan.js';

export interface BoundQuery {
  readonly fields: readonly FieldDescription[]; // names as PostgreSQL names them (?column?, count, alias...)
  readonly paramTypes: readonly SqlType[]; // inferred where the client left them unspecified
  readonly plan: LogicalPlan;
  explain(): string[]; // one line per plan node, indented
}

function finalParamTypes(types: readonly (SqlType | undefined)[]): SqlType[] {
  return types.map((t) => (t === undefined || t.kind === 'unknown' ? T.text : t));
}

/**
 * Binds a query. `targetTypes`: INSERT target column types, to type VALUES literals/params;
 * `targetDefaults`: those columns' default expressions (undefined: NULL), for `DEFAULT` in VALUES.
 */
export function bindQuery(
  query: Query,
  paramTypes: readonly (SqlType | undefined)[],
  ctx: BindContext,
  opts?: { targetTypes?: readonly SqlType[]; targetDefaults?: readonly (Expr | undefined)[] },
): BoundQuery {
  const types = [...paramTypes];
  const state = createBinderState(ctx, types);
  const plan = partitionSessionWindows(bindQueryPlan(query, { state, correlation: undefined, ctes: undefined, targetTypes: opts?.targetTypes, targetDefaults: opts?.targetDefaults }));
  const fields: FieldDescription[] = plan.schema.map((c) => ({ name: c.name, type: c.type, tableOid: c.tableOid, columnAttr: c.attnum }));
  return {
    fields,
    paramTypes: finalParamTypes(types),
    plan,
    explain: () => explainPlan(plan),
  };
}

/** Runs a bound query: batches of result rows, produced lazily as the caller iterates. */
export function runQuery(bound: BoundQuery, params: readonly Datum[], ctx: ExecContext): Iterable<Row[]> {
  const runner = new PlanRunner(ctx, params);
  return executePlan(bound.plan, runner.env());
}

export interface RowScope {
  readonly alias: string;
  readonly rel: RelationDef;
}

export interface BoundScalar {
  readonly type: SqlType;
  evaluate(rows: readonly Row[], params: readonly Datum[], ctx: ExecContext): Datum;
}

/** The FROM scope of DML: each RowScope's columns in order; `excluded` is reachable only qualified. */
function dmlScope(scopes: readonly RowScope[]): FromScope {
  const visible: ScopeColumn[] = [];
  const tables = new Map<string, readonly ScopeColumn[]>();
  let offset = 0;
  for (const s of scopes) {
    const cols: ScopeColumn[] = s.rel.columns.map((c, i) => ({
      name: c.name,
      table: s.alias,
      expr: { kind: 'column', index: offset + i, type: c.type, label: `${s.alias}.${c.name}` },
    }));
    tables.set(s.alias, cols);
    if (s.alias !== 'excluded') visible.push(...cols);
    offset += cols.length;
  }
  return new FromScope(visible, tables, offset);
}

/**
 * Binds an expression over the rows of `scopes` (e.g. [{alias:'t'},{alias:'excluded'}]); fills
 * `paramTypes` with what it infers; converts to `expected` (assignment rules) when given.
 */
export function bindScalar(
  expr: Expr,
  scopes: readonly RowScope[],
  paramTypes: (SqlType | undefined)[],
  ctx: BindContext,
  expected?: SqlType,
): BoundScalar {
  const state = createBinderState(ctx, paramTypes);
  const scope: ExprScope = {
    from: dmlScope(scopes),
    state,
    correlation: undefined,
    ctes: undefined,
    aggregates: 'aggregate functions are not allowed here',
    windows: 'window functions are not allowed here',
  };
  let bound: BoundExpr = bindExpr(expr, scope);
  const pos = 'pos' in expr ? expr.pos : undefined;
  if (expected) {
    const what = expected.kind === 'bool'
      ? `argument of WHERE must be type boolean, not type ${typeDisplayName(bound.type)}`
      : `column is of type ${typeDisplayName(expected)} but expression is of type ${typeDisplayName(bound.type)}`;
    bound = coerce(bound, expected, expected.kind === 'bool' ? 'implicit' : 'assignment', state, pos, what);
  } else {
    bound = resolveUnknown(bound, state);
  }
  return new CompiledScalar(bound);
}

class CompiledScalar implements BoundScalar {
  readonly type: SqlType;
  private compiled: ColumnEvaluator | undefined;

  constructor(private readonly expr: BoundExpr) {
    this.type = expr.type;
  }

  evaluate(rows: readonly Row[], params: readonly Datum[], ctx: ExecContext): Datum {
    this.compiled ??= compileExpr(this.expr);
    const flat = rows.length === 1 ? rows[0]! : rows.flat(1);
    return evaluateOnRow(this.compiled, flat, new PlanRunner(ctx, params).env());
  }
}
