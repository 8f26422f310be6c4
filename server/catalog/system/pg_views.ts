/**
 * pg_catalog.pg_views: one row per user view, with its defining query as written.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';

export const pgViews = defineSystemTable('pg_catalog', 'pg_views', 12028, 'v', [
  ['schemaname', T.name, false],
  ['viewname', T.name, false],
  ['viewowner', T.name, false],
  ['definition', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    if (rel.kind === 'view') rows.push(shape.row({ schemaname: rel.schema, viewname: rel.name, viewowner: ctx.user, definition: rel.definition ?? null }));
  }
  return rows;
});
