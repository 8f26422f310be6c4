/** RETURNING lists of INSERT, UPDATE and DELETE: bound over the written relation, evaluated per row. */
import type { RelationDef } from '../../catalog/model.js';
import { bindScalar, type BoundScalar, type ExecContext } from '../../plan/api.js';
import type { SelectItem } from '../../sql/ast.js';
import type { Datum, Row } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import type { FieldDescription } from '../api.js';
import type { StatementContext } from '../statement-context.js';

export interface BoundReturning {
  readonly fields: readonly FieldDescription[];
  project(row: Row, params: readonly Datum[], exec: ExecContext): Row;
}

function exprName(item: SelectItem): string {
  if (item.alias) return item.alias;
  const e = item.expr;
  switch (e.kind) {
    case 'columnRef': return e.column;
    case 'func': return e.name;
    case 'cast': return e.expr.kind === 'columnRef' ? e.expr.column : e.type.name;
    default: return '?column?';
  }
}

export function bindReturning(
  items: readonly SelectItem[],
  rel: RelationDef,
  alias: string,
  paramTypes: (SqlType | undefined)[],
  ctx: StatementContext,
): BoundReturning {
  const fields: FieldDescription[] = [];
  const parts: ({ kind: 'column'; index: number } | { kind: 'expr'; bound: BoundScalar })[] = [];
  for (const item of items) {
    if (item.expr.kind === 'star') {
      rel.columns.forEach((c, i) => {
        fields.push({ name: c.name, type: c.type, tableOid: rel.oid, columnAttr: c.attnum });
        parts.push({ kind: 'column', index: i });
      });
      continue;
    }
    const bound = bindScalar(item.expr, [{ alias, rel }], paramTypes, ctx.bind);
    const col = item.expr.kind === 'columnRef' ? rel.columns.find((c) => c.name === (item.expr as { column: string }).column) : undefined;
    fields.push({ name: exprName(item), type: bound.type, tableOid: col ? rel.oid : 0, columnAttr: col ? col.attnum : 0 });
    parts.push({ kind: 'expr', bound });
  }
  return {
    fields,
    project: (row, params, exec) => parts.map((p) => (p.kind === 'column' ? row[p.index]! : p.bound.evaluate([row], params, exec))),
  };
}
