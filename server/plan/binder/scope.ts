/**
 * Name scopes of one query level: the columns its FROM clause makes visible (for unqualified names
 * and `*`), per table alias (for `t.x` and `t.*`), with USING/NATURAL merged columns shadowing the
 * joined ones. Lookups return a bound expression over the FROM row, or report 42702 / 42703.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { mapChildren, type BoundExpr } from '../bound/expr.js';

export interface ScopeColumn {
  readonly name: string;
  /** The alias of the table the column belongs to; undefined for merged USING columns. */
  readonly table: string | undefined;
  readonly expr: BoundExpr;
}

export class FromScope {
  constructor(
    /** Unqualified-visible columns, in `*` order. */
    readonly columns: readonly ScopeColumn[],
    /** Columns per table alias, in `t.*` order. */
    readonly tables: ReadonlyMap<string, readonly ScopeColumn[]>,
    /** Width of the FROM row. */
    readonly width: number,
    /** Composite columns of derived tables (`f(x) AS keys`): field name -> expression, per column. */
    readonly composites: readonly (ScopeColumn & { readonly fields: ReadonlyMap<string, BoundExpr> })[] = [],
  ) {}

  static readonly empty = new FromScope([], new Map(), 0);

  /** The fields of composite column `name` (optionally of table `table`), or undefined. */
  compositeFields(table: string | undefined, name: string): ReadonlyMap<string, BoundExpr> | undefined {
    return this.composites.find((c) => c.name === name && (table === undefined || c.table === table))?.fields;
  }

  /** The column named `name` (optionally in table `table`): undefined when absent; throws when ambiguous. */
  find(table: string | undefined, name: string, pos: number | undefined): BoundExpr | undefined {
    if (table !== undefined) {
      const cols = this.tables.get(table);
      if (!cols) return undefined;
      const hits = cols.filter((c) => c.name === name);
      if (hits.length > 1) throw new SqlError(SQLSTATE.ambiguousColumn, `column reference "${table}.${name}" is ambiguous`, { position: pos });
      return hits[0]?.expr;
    }
    const hits = this.columns.filter((c) => c.name === name);
    if (hits.length > 1) throw new SqlError(SQLSTATE.ambiguousColumn, `column reference "${name}" is ambiguous`, { position: pos });
    return hits[0]?.expr;
  }

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }

  /** This scope's columns moved right by `by` positions (the right side of a join). */
  shifted(by: number): FromScope {
    if (by === 0) return this;
    const move = (c: ScopeColumn): ScopeColumn => ({ ...c, expr: shiftColumns(c.expr, by) });
    const tables = new Map<string, ScopeColumn[]>();
    for (const [k, v] of this.tables) tables.set(k, v.map(move));
    const composites = this.composites.map((c) => ({ ...move(c), fields: new Map([...c.fields].map(([k, v]) => [k, shiftColumns(v, by)])) }));
    return new FromScope(this.columns.map(move), tables, this.width, composites);
  }
}

export function shiftColumns(e: BoundExpr, by: number): BoundExpr {
  if (e.kind === 'column') return { ...e, index: e.index + by };
  return mapChildren(e, (c) => shiftColumns(c, by));
}

/** Two FROM items side by side (a join or a comma): 42712 when an alias repeats. */
export function combineScopes(left: FromScope, right: FromScope, merged: readonly ScopeColumn[] = [], mergedNames: ReadonlySet<string> = new Set()): FromScope {
  const r = right.shifted(left.width);
  const tables = new Map<string, readonly ScopeColumn[]>(left.tables);
  for (const [k, v] of r.tables) {
    if (tables.has(k)) throw new SqlError(SQLSTATE.duplicateObject.replace('42710', '42712'), `table name "${k}" specified more than once`);
    tables.set(k, v);
  }
  const columns = [
    ...merged,
    ...left.columns.filter((c) => !mergedNames.has(c.name)),
    ...r.columns.filter((c) => !mergedNames.has(c.name)),
  ];
  return new FromScope(columns, tables, left.width + right.width, [...left.composites, ...r.composites]);
}
