/**
 * Binds a whole query expression: WITH (CTEs, bound once and shared by every reference), the body
 * (SELECT, VALUES, set operations, nested queries), ORDER BY over the result, LIMIT / OFFSET.
 * It also makes the BinderState through which expressions bind their subqueries.
 */
import type { Expr, OrderItem, Query, QueryBody } from '../../sql/ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { BindContext } from '../context.js';
import { LimitNode } from '../logical/limit.js';
import type { LogicalPlan, PlanColumn } from '../logical/plan.js';
import { ProjectNode } from '../logical/project.js';
import { SetOpNode } from '../logical/set-op.js';
import { RecursiveUnionNode, WorkTableScanNode } from '../logical/recursive-union.js';
import { SortNode } from '../logical/sort.js';
import { commonSupertype, typeDisplayName } from '../type-runtime.js';
import { coerce, resolveUnknown } from './coerce.js';
import { bindExpr, exprPos, lastCorrelation } from './expr-binder.js';
import { Correlation, type BinderState, type BoundCte, type CteScope, type ExprScope } from './expr-scope.js';
import { renameColumns, scopeOf } from './from-binder.js';
import { FromScope } from './scope.js';
import { bindSelect } from './select-binder.js';
import { bindValuesRows } from './values-binder.js';

interface QueryEnv {
  readonly state: BinderState;
  readonly correlation: Correlation | undefined;
  readonly ctes: CteScope | undefined;
  /** INSERT target column types, applied to a top-level VALUES body. */
  readonly targetTypes?: readonly SqlType[];
  /** INSERT target column defaults, which `DEFAULT` items in a top-level VALUES stand for. */
  readonly targetDefaults?: readonly (Expr | undefined)[];
}

export function createBinderState(ctx: BindContext, paramTypes: (SqlType | undefined)[]): BinderState {
  const state: BinderState = {
    ctx,
    paramTypes,
    bindSubquery(query, outer) {
      const correlation = new Correlation(outer);
      const plan = bindQueryPlan(query, { state, correlation, ctes: outer.ctes });
      lastCorrelation.set(plan, correlation);
      return plan;
    },
    bindDerivedTable(query, s) {
      return bindQueryPlan(query, { state, correlation: s.correlation, ctes: s.ctes });
    },
  };
  return state;
}

function emptyScope(env: QueryEnv): ExprScope {
  return {
    from: FromScope.empty,
    state: env.state,
    correlation: env.correlation,
    ctes: env.ctes,
    aggregates: 'allow',
    windows: 'allow',
  };
}

export function bindQueryPlan(q: Query, env0: QueryEnv): LogicalPlan {
  let env = env0;
  if (q.with) {
    const ctes = new Map<string, BoundCte>();
    env = { ...env, ctes: { ctes, parent: env.ctes } };
    for (const cte of q.with.ctes) {
      if (ctes.has(cte.name)) throw new SqlError(SQLSTATE.duplicateObject.replace('42710', '42712'), `WITH query name "${cte.name}" specified more than once`);
      const inner = { ...env, targetTypes: undefined, targetDefaults: undefined };
      const body = cte.query.body;
      if (q.with.recursive && body.kind === 'setOp' && body.op === 'union' && cte.query.orderBy.length === 0 && !cte.query.limit) {
        ctes.set(cte.name, { name: cte.name, plan: bindRecursiveCte(cte.name, cte.columnNames, body, ctes, inner) });
        continue;
      }
      const plan = bindQueryPlan(cte.query, inner);
      ctes.set(cte.name, { name: cte.name, plan: renameColumns(plan, cte.columnNames) });
    }
  }
  let plan: LogicalPlan;
  if (q.body.kind === 'select') {
    plan = bindSelect(q.body, q.orderBy, emptyScope(env));
  } else {
    plan = bindBody(q.body, env);
    if (q.orderBy.length > 0) plan = sortOutput(plan, q.orderBy, env);
  }
  if (q.limit || q.offset) {
    const s = emptyScope(env);
    const bindCount = (e: NonNullable<Query['limit']>, what: string): BoundExpr =>
      coerce(bindExpr(e, { ...s, aggregates: `aggregate functions are not allowed in ${what}` }), T.int8, 'implicit', env.state, exprPos(e), `argument of ${what} must be type bigint`);
    const isNullLimit = q.limit?.kind === 'literal' && q.limit.value.type === 'null';
    plan = new LimitNode(plan, q.offset ? bindCount(q.offset, 'OFFSET') : undefined, q.limit && !isNullLimit ? bindCount(q.limit, 'LIMIT') : undefined);
  }
  return plan;
}

let nextWorkTableId = 1;

/**
 * `name AS (base UNION [ALL] recursive)`: the base term fixes the column types; inside the recursive
 * term the CTE's name reads the previous round's rows (a WorkTableScan).
 */
function bindRecursiveCte(
  name: string,
  columnNames: readonly string[] | undefined,
  body: Extract<QueryBody, { kind: 'setOp' }>,
  ctes: Map<string, BoundCte>,
  env: QueryEnv,
): LogicalPlan {
  const base = renameColumns(bindBody(body.left, env), columnNames);
  const id = nextWorkTableId++;
  const schema = base.schema.map((c) => ({ ...c, tableOid: 0, attnum: 0 }));
  ctes.set(name, { name, plan: new WorkTableScanNode(id, name, schema) });
  const recursive0 = bindBody(body.right, env);
  if (recursive0.schema.length !== schema.length) {
    throw new SqlError(SQLSTATE.syntaxError, 'each UNION query must have the same number of columns');
  }
  recursive0.schema.forEach((c, i) => {
    const want = schema[i]!.type;
    if (c.type.kind !== want.kind && c.type.kind !== 'unknown' && !commonSupertype([want, c.type])) {
      throw new SqlError(SQLSTATE.datatypeMismatch, `recursive query "${name}" column ${i + 1} has type ${typeDisplayName(want)} in non-recursive term but type ${typeDisplayName(c.type)} overall`);
    }
  });
  const recursive = castColumns(recursive0, schema.map((c) => c.type), env);
  return new RecursiveUnionNode(id, base, recursive, body.all, schema);
}

/** ORDER BY over a VALUES or set-operation result: output names, ordinals or expressions of them. */
function sortOutput(plan: LogicalPlan, orderBy: readonly OrderItem[], env: QueryEnv): LogicalPlan {
  const s: ExprScope = { ...emptyScope(env), from: scopeOf(plan, undefined), aggregates: 'aggregate functions are not allowed in ORDER BY' };
  const keys = orderBy.map((o) => {
    const ord = o.expr.kind === 'literal' && o.expr.value.type === 'number' && /^\d+$/.test(o.expr.value.text) ? Number(o.expr.value.text) : undefined;
    let expr: BoundExpr;
    if (ord !== undefined) {
      const col = plan.schema[ord - 1];
      if (!col) throw new SqlError(SQLSTATE.invalidColumnReference, `ORDER BY position ${ord} is not in select list`, { position: exprPos(o.expr) });
      expr = { kind: 'column', index: ord - 1, type: col.type, label: col.name };
    } else {
      expr = resolveUnknown(bindExpr(o.expr, s), env.state);
    }
    return { expr, desc: o.direction === 'desc', nullsFirst: o.nulls ? o.nulls === 'first' : o.direction === 'desc' };
  });
  return new SortNode(plan, keys);
}

function bindBody(body: QueryBody, env: QueryEnv): LogicalPlan {
  switch (body.kind) {
    case 'select':
      return bindSelect(body, [], emptyScope(env));
    case 'values':
      return bindValuesRows(body.rows, emptyScope(env), env.targetTypes, env.targetDefaults);
    case 'nested':
      return bindQueryPlan(body.query, { ...env, targetTypes: undefined, targetDefaults: undefined });
    case 'setOp': {
      const inner = { ...env, targetTypes: undefined, targetDefaults: undefined };
      const left = bindBody(body.left, inner);
      const right = bindBody(body.right, inner);
      const opName = body.op.toUpperCase();
      if (left.schema.length !== right.schema.length) {
        throw new SqlError(SQLSTATE.syntaxError, `each ${opName} query must have the same number of columns`);
      }
      const types = left.schema.map((c, i) => {
        const r = right.schema[i]!;
        const t = commonSupertype([c.type, r.type]);
        if (!t) throw new SqlError(SQLSTATE.datatypeMismatch, `${opName} types ${typeDisplayName(c.type)} and ${typeDisplayName(r.type)} cannot be matched`);
        return t;
      });
      const schema: PlanColumn[] = left.schema.map((c, i) => ({ name: c.name, type: types[i]!, tableOid: 0, attnum: 0 }));
      return new SetOpNode(body.op, body.all, castColumns(left, types, env), castColumns(right, types, env), schema);
    }
    default: {
      const never: never = body;
      return never;
    }
  }
}

/** `plan` with its columns converted to `types` (a Project only when some column differs). */
function castColumns(plan: LogicalPlan, types: readonly SqlType[], env: QueryEnv): LogicalPlan {
  const same = plan.schema.every((c, i) => c.type.kind === types[i]!.kind && (types[i]!.typmod === -1 || c.type.typmod === types[i]!.typmod) && c.type.kind !== 'unknown');
  if (same) return plan;
  const exprs = plan.schema.map((c, i) => coerce({ kind: 'column', index: i, type: c.type, label: c.name }, types[i]!, 'implicit', env.state, undefined));
  return new ProjectNode(plan, exprs, plan.schema.map((c, i) => ({ ...c, type: types[i]! })));
}
