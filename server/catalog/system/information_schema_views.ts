/**
 * information_schema.views: one row per user view, with its defining query (Freshet views are read-only).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable, YES_OR_NO } from './system-table.js';
import type { Row } from '../../types/datum.js';

export const informationSchemaViews = defineSystemTable('information_schema', 'views', 13483, 'v', [
  ['table_catalog', T.name, false],
  ['table_schema', T.name, false],
  ['table_name', T.name, false],
  ['view_definition', T.varchar, false],
  ['check_option', T.varchar, false],
  ['is_updatable', YES_OR_NO, false],
  ['is_insertable_into', YES_OR_NO, false],
  ['is_trigger_updatable', YES_OR_NO, false],
  ['is_trigger_deletable', YES_OR_NO, false],
  ['is_trigger_insertable_into', YES_OR_NO, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const db = ctx.catalog.databaseName;
  for (const rel of ctx.catalog.relations()) {
    if (rel.kind !== 'view') continue;
    rows.push(
      shape.row({
        table_catalog: db,
        table_schema: rel.schema,
        table_name: rel.name,
        view_definition: rel.definition ?? null,
        check_option: 'NONE',
        is_updatable: 'NO',
        is_insertable_into: 'NO',
        is_trigger_updatable: 'NO',
        is_trigger_deletable: 'NO',
        is_trigger_insertable_into: 'NO',
      }),
    );
  }
  return rows;
});
