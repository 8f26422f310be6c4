/**
 * pg_catalog.pg_description: comments on objects: the built-in schemas, and "Freshet stream" on every
 * stream (it shows as a table to PostgreSQL clients; the comment tells a user what it really is).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { NAMESPACES, relationComment } from './builtin.js';

const PG_CLASS_OID = 1259;
const PG_NAMESPACE_OID = 2615;

export const pgDescription = defineSystemTable('pg_catalog', 'pg_description', 2609, 'r', [
  ['objoid', T.oid, true],
  ['classoid', T.oid, true],
  ['objsubid', T.int4, true],
  ['description', T.text, true],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const n of NAMESPACES) {
    if (n.comment) rows.push(shape.row({ objoid: n.oid, classoid: PG_NAMESPACE_OID, objsubid: 0, description: n.comment }));
  }
  for (const rel of ctx.catalog.relations()) {
    const comment = relationComment(rel);
    if (comment !== undefined) {
      rows.push(shape.row({ objoid: rel.oid, classoid: PG_CLASS_OID, objsubid: 0, description: comment }));
    }
  }
  return rows;
});
