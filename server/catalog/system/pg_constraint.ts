/**
 * pg_catalog.pg_constraint: one row per primary key constraint (contype p). Freshet enforces no
 * other constraints, so it lists none.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { namespaceOid, primaryKeyName } from './builtin.js';
import { primaryKeyAttnums, primaryKeyIndex } from './listed-relations.js';

export const pgConstraint = defineSystemTable('pg_catalog', 'pg_constraint', 2606, 'r', [
  ['oid', T.oid, true],
  ['conname', T.name, true],
  ['connamespace', T.oid, true],
  ['contype', T.char, true],
  ['condeferrable', T.bool, true],
  ['condeferred', T.bool, true],
  ['convalidated', T.bool, true],
  ['conrelid', T.oid, true],
  ['contypid', T.oid, true],
  ['conindid', T.oid, true],
  ['conparentid', T.oid, true],
  ['confrelid', T.oid, true],
  ['confupdtype', T.char, true],
  ['confdeltype', T.char, true],
  ['confmatchtype', T.char, true],
  ['conislocal', T.bool, true],
  ['coninhcount', T.int4, true],
  ['connoinherit', T.bool, true],
  ['conkey', arrayOf(T.int2), false],
  ['confkey', arrayOf(T.int2), false],
  ['conpfeqop', arrayOf(T.oid), false],
  ['conppeqop', arrayOf(T.oid), false],
  ['conffeqop', arrayOf(T.oid), false],
  ['confdelsetcols', arrayOf(T.int2), false],
  ['conexclop', arrayOf(T.oid), false],
  ['conbin', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    const index = primaryKeyIndex(rel);
    const namespace = namespaceOid(rel.schema);
    if (!index) continue;
    rows.push(
      shape.row({
        oid: index.constraintOid,
        conname: primaryKeyName(rel),
        connamespace: namespace,
        contype: 'p',
        condeferrable: false,
        condeferred: false,
        convalidated: true,
        conrelid: rel.oid,
        contypid: 0,
        conindid: index.indexOid,
        conparentid: 0,
        confrelid: 0,
        confupdtype: ' ',
        confdeltype: ' ',
        confmatchtype: ' ',
        conislocal: true,
        coninhcount: 0,
        connoinherit: true,
        conkey: primaryKeyAttnums(rel),
        confkey: null,
        conpfeqop: null,
        conppeqop: null,
        conffeqop: null,
        confdelsetcols: null,
        conexclop: null,
        conbin: null,
      }),
    );
  }
  return rows;
});
