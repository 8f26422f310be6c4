/**
 * information_schema.tables: one row per table, stream, view and materialized view, system tables
 * included. Streams and tables are BASE TABLE; materialized views are not in the SQL standard, so
 * PostgreSQL leaves them out, and so does Freshet.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable, YES_OR_NO } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { listedRelations } from './listed-relations.js';

export const informationSchemaTables = defineSystemTable('information_schema', 'tables', 13425, 'v', [
  ['table_catalog', T.name, false],
  ['table_schema', T.name, false],
  ['table_name', T.name, false],
  ['table_type', T.varchar, false],
  ['self_referencing_column_name', T.name, false],
  ['reference_generation', T.varchar, false],
  ['user_defined_type_catalog', T.name, false],
  ['user_defined_type_schema', T.name, false],
  ['user_defined_type_name', T.name, false],
  ['is_insertable_into', YES_OR_NO, false],
  ['is_typed', YES_OR_NO, false],
  ['commit_action', T.varchar, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const db = ctx.catalog.databaseName;
  for (const r of listedRelations(ctx)) {
    if (r.relkind !== 'r' && r.relkind !== 'v') continue;
    rows.push(
      shape.row({
        table_catalog: db,
        table_schema: r.rel.schema,
        table_name: r.name,
        table_type: r.relkind === 'r' ? 'BASE TABLE' : 'VIEW',
        self_referencing_column_name: null,
        reference_generation: null,
        user_defined_type_catalog: null,
        user_defined_type_schema: null,
        user_defined_type_name: null,
        is_insertable_into: r.rel.kind === 'table' || r.rel.kind === 'stream' || r.rel.kind === 'system' ? 'YES' : 'NO',
        is_typed: 'NO',
        commit_action: null,
      }),
    );
  }
  return rows;
});
