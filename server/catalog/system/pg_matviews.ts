/**
 * pg_catalog.pg_matviews: one row per materialized view, with its defining query as written.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { primaryKeyIndex } from './listed-relations.js';

export const pgMatviews = defineSystemTable('pg_catalog', 'pg_matviews', 12038, 'v', [
  ['schemaname', T.name, false],
  ['matviewname', T.name, false],
  ['matviewowner', T.name, false],
  ['tablespace', T.name, false],
  ['hasindexes', T.bool, false],
  ['ispopulated', T.bool, false],
  ['definition', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    if (rel.kind !== 'materializedView') continue;
    rows.push(
      shape.row({
        schemaname: rel.schema,
        matviewname: rel.name,
        matviewowner: ctx.user,
        tablespace: null,
        hasindexes: primaryKeyIndex(rel) !== undefined,
        ispopulated: true,
        definition: rel.definition ?? null,
      }),
    );
  }
  return rows;
});
