/**
 * pg_catalog.pg_indexes: one row per primary key index, with its CREATE INDEX text.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { primaryKeyIndexDef } from '../ddl-text.js';
import { primaryKeyName } from './builtin.js';
import { primaryKeyIndex } from './listed-relations.js';

export const pgIndexes = defineSystemTable('pg_catalog', 'pg_indexes', 12043, 'v', [
  ['schemaname', T.name, false],
  ['tablename', T.name, false],
  ['indexname', T.name, false],
  ['tablespace', T.name, false],
  ['indexdef', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    if (!primaryKeyIndex(rel)) continue;
    rows.push(
      shape.row({
        schemaname: rel.schema,
        tablename: rel.name,
        indexname: primaryKeyName(rel),
        tablespace: null,
        indexdef: primaryKeyIndexDef(rel),
      }),
    );
  }
  return rows;
});
