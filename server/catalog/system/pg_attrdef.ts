/**
 * pg_catalog.pg_attrdef: one row per column default; adbin holds the default as SQL text
 * (Freshet has no node trees), which is what pg_get_expr returns for it.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';

export const pgAttrdef = defineSystemTable('pg_catalog', 'pg_attrdef', 2604, 'r', [
  ['oid', T.oid, true],
  ['adrelid', T.oid, true],
  ['adnum', T.int2, true],
  ['adbin', T.text, true],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    for (const col of rel.columns) {
      if (col.defaultSql === undefined) continue;
      rows.push(shape.row({ oid: attrdefOid(rel.oid, col.attnum), adrelid: rel.oid, adnum: col.attnum, adbin: col.defaultSql }));
    }
  }
  return rows;
});

/**
 * Defaults have no oid of their own in Freshet's catalog; this derives a stable one, above the
 * 32-bit range users allocate from, unique per (relation, column).
 */
export function attrdefOid(relOid: number, attnum: number): number {
  return 0x80000000 + ((relOid * 2048 + attnum) % 0x7fffffff);
}
