/**
 * Primary-key lookups for UPDATE and DELETE: when the WHERE clause pins every primary-key column to
 * values that need no row (`id = $1`, `id IN (1, 2)`, `id = ANY($1)`, `a = 1 AND b = 2`), the rows
 * are fetched by key instead of scanning the table. The whole WHERE is still evaluated on each row
 * fetched, so the lookup only narrows the candidates; it never changes the result.
 */
import type { RelationDef } from '../../catalog/model.js';
import { bindScalar, type BoundScalar, type ExecContext } from '../../plan/api.js';
import type { Expr } from '../../sql/ast.js';
import type { Datum } from '../../types/datum.js';
import { arrayOf, type SqlType } from '../../types/sql-type.js';
import type { StatementContext } from '../statement-context.js';

/** Computes the candidate primary-key tuples for one execution. */
export type KeyCandidates = (params: readonly Datum[], exec: ExecContext) => Datum[][];

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** True when the expression reads no row: literals, parameters, casts and operators over them. */
function rowFree(e: Expr): boolean {
  switch (e.kind) {
    case 'literal': case 'param': case 'typedLiteral': return true;
    case 'cast': return rowFree(e.expr);
    case 'unary': return rowFree(e.operand);
    case 'binary': return rowFree(e.left) && rowFree(e.right);
    case 'array': return e.elements.every(rowFree);
    default: return false;
  }
}

function pkColumn(e: Expr, rel: RelationDef, alias: string): number | undefined {
  if (e.kind !== 'columnRef' || (e.table !== undefined && e.table !== alias) || e.schema !== undefined) return undefined;
  const i = rel.columns.findIndex((c) => c.name === e.column);
  return i >= 0 && rel.primaryKey.includes(i) ? i : undefined;
}

type Pin = { readonly kind: 'one'; readonly value: BoundScalar } | { readonly kind: 'many'; readonly values: readonly BoundScalar[] } | { readonly kind: 'array'; readonly value: BoundScalar };

export function keyCandidates(
  where: Expr | undefined,
  rel: RelationDef,
  alias: string,
  paramTypes: (SqlType | undefined)[],
  ctx: StatementContext,
): KeyCandidates | undefined {
  if (!where || rel.primaryKey.length === 0 || rel.kind !== 'table') return undefined;
  const pins = new Map<number, Pin>();
  const bind = (e: Expr, t: SqlType) => bindScalar(e, [], paramTypes, ctx.bind, t);
  for (const c of conjuncts(where)) {
    if (c.kind === 'binary' && c.op === '=') {
      const col = pkColumn(c.left, rel, alias) ?? pkColumn(c.right, rel, alias);
      const value = pkColumn(c.left, rel, alias) !== undefined ? c.right : c.left;
      if (col !== undefined && !pins.has(col) && rowFree(value)) pins.set(col, { kind: 'one', value: bind(value, rel.columns[col]!.type) });
    } else if (c.kind === 'inList' && !c.negated) {
      const col = pkColumn(c.expr, rel, alias);
      if (col !== undefined && !pins.has(col) && c.list.every(rowFree)) {
        pins.set(col, { kind: 'many', values: c.list.map((v) => bind(v, rel.columns[col]!.type)) });
      }
    } else if (c.kind === 'anyAll' && c.quantifier === 'any' && c.op === '=' && c.right.kind === 'expr') {
      const col = pkColumn(c.left, rel, alias);
      if (col !== undefined && !pins.has(col) && rowFree(c.right.expr)) {
        pins.set(col, { kind: 'array', value: bind(c.right.expr, arrayOf(rel.columns[col]!.type)) });
      }
    }
  }
  if (!rel.primaryKey.every((i) => pins.has(i))) return undefined;
  return (params, exec) => {
    let tuples: Datum[][] = [[]];
    for (const col of rel.primaryKey) {
      const pin = pins.get(col)!;
      let values: Datum[];
      switch (pin.kind) {
        case 'one': values = [pin.value.evaluate([], params, exec)]; break;
        case 'many': values = pin.values.map((v) => v.evaluate([], params, exec)); break;
        case 'array': values = (pin.value.evaluate([], params, exec) as Datum[] | null) ?? []; break;
        default: { const never: never = pin; values = never; }
      }
      const next: Datum[][] = [];
      for (const t of tuples) for (const v of values) if (v !== null) next.push([...t, v]);
      tuples = next;
    }
    return tuples;
  };
}

/** A row of the relation's width with the key tuple in its primary-key columns (for store.keyOf). */
export function rowWithKey(rel: RelationDef, tuple: readonly Datum[]): Datum[] {
  const row = new Array<Datum>(rel.columns.length).fill(null);
  rel.primaryKey.forEach((col, i) => {
    row[col] = tuple[i]!;
  });
  return row;
}
