/**
 * pg_catalog.pg_tables: one row per table (relkind r): system tables, user tables and streams.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { listedRelations, primaryKeyIndex } from './listed-relations.js';

export const pgTables = defineSystemTable('pg_catalog', 'pg_tables', 12033, 'v', [
  ['schemaname', T.name, false],
  ['tablename', T.name, false],
  ['tableowner', T.name, false],
  ['tablespace', T.name, false],
  ['hasindexes', T.bool, false],
  ['hasrules', T.bool, false],
  ['hastriggers', T.bool, false],
  ['rowsecurity', T.bool, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const r of listedRelations(ctx)) {
    if (r.relkind !== 'r') continue;
    rows.push(
      shape.row({
        schemaname: r.rel.schema,
        tablename: r.name,
        tableowner: ctx.user,
        tablespace: null,
        hasindexes: primaryKeyIndex(r.rel) !== undefined,
        hasrules: false,
        hastriggers: false,
        rowsecurity: false,
      }),
    );
  }
  return rows;
});
