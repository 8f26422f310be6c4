/**
 * The scope an expression is bound in: the FROM row's columns, the way out to an enclosing query
 * (Correlation, for correlated subqueries), the CTEs in sight, and which clause it sits in (so an
 * aggregate in WHERE, or a window function in GROUP BY, is reported as PostgreSQL does).
 */
import type { Query } from '../../sql/ast.js';
import type { SqlType } from '../../types/sql-type.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { exprKey, type BoundExpr } from '../bound/expr.js';
import type { BindContext } from '../context.js';
import type { LogicalPlan } from '../logical/plan.js';
import type { FromScope } from './scope.js';

/** A bound CTE: its plan (shared by every reference) and column names. */
export interface BoundCte {
  readonly name: string;
  readonly plan: LogicalPlan;
}

export interface CteScope {
  readonly ctes: ReadonlyMap<string, BoundCte>;
  readonly parent: CteScope | undefined;
}

export function findCte(scope: CteScope | undefined, name: string): BoundCte | undefined {
  for (let s = scope; s; s = s.parent) {
    const c = s.ctes.get(name);
    if (c) return c;
  }
  return undefined;
}

export interface BinderState {
  readonly ctx: BindContext;
  readonly paramTypes: (SqlType | undefined)[];
  /** Binds a nested query whose outer references go through `outer` (set by the query binder). */
  bindSubquery(query: Query, outer: ExprScope): LogicalPlan;
  /** Binds a derived table (FROM subquery): same outer scopes and CTEs as `s`, no FROM siblings. */
  bindDerivedTable(query: Query, s: ExprScope): LogicalPlan;
}

export interface ExprScope {
  readonly from: FromScope;
  readonly state: BinderState;
  readonly correlation: Correlation | undefined;
  readonly ctes: CteScope | undefined;
  /** 'allow', or the clause name used in "aggregate functions are not allowed in <clause>". */
  readonly aggregates: 'allow' | string;
  readonly windows: 'allow' | string;
  /** Set only for select-list items, where set-returning functions may appear. */
  readonly srfs?: 'allow';
}

/**
 * The outer references of one subquery: each distinct enclosing-row expression it reads becomes an
 * argument of the SubplanExpr, and the inner query reads it as OuterExpr(index).
 */
export class Correlation {
  readonly args: BoundExpr[] = [];
  private readonly indexByKey = new Map<string, number>();

  constructor(readonly parent: ExprScope) {}

  resolve(table: string | undefined, column: string, pos: number | undefined): BoundExpr | undefined {
    const inParent = lookupColumn(this.parent, table, column, pos);
    if (!inParent) return undefined;
    const key = exprKey(inParent);
    let index = this.indexByKey.get(key);
    if (index === undefined) {
      index = this.args.length;
      this.args.push(inParent);
      this.indexByKey.set(key, index);
    }
    return { kind: 'outer', index, type: inParent.type, label: table ? `${table}.${column}` : column };
  }
}

/** Finds a column in this scope, then in enclosing ones; undefined when nowhere. */
export function lookupColumn(scope: ExprScope, table: string | undefined, column: string, pos: number | undefined): BoundExpr | undefined {
  const local = scope.from.find(table, column, pos);
  if (local) return local;
  if (table !== undefined && scope.from.hasTable(table)) {
    throw new SqlError(SQLSTATE.undefinedColumn, `column ${table}.${column} does not exist`, { position: pos });
  }
  return scope.correlation?.resolve(table, column, pos);
}

/** True when some scope from here outwards has a table with this alias. */
export function anyScopeHasTable(scope: ExprScope, table: string): boolean {
  for (let s: ExprScope | undefined = scope; s; s = s.correlation?.parent) if (s.from.hasTable(table)) return true;
  return false;
}
