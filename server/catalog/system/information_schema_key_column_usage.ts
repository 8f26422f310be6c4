/**
 * information_schema.key_column_usage: the columns of every primary key, in key order.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { primaryKeyName } from './builtin.js';
import { primaryKeyIndex } from './listed-relations.js';

export const informationSchemaKeyColumnUsage = defineSystemTable('information_schema', 'key_column_usage', 13329, 'v', [
  ['constraint_catalog', T.name, false],
  ['constraint_schema', T.name, false],
  ['constraint_name', T.name, false],
  ['table_catalog', T.name, false],
  ['table_schema', T.name, false],
  ['table_name', T.name, false],
  ['column_name', T.name, false],
  ['ordinal_position', T.int4, false],
  ['position_in_unique_constraint', T.int4, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const db = ctx.catalog.databaseName;
  for (const rel of ctx.catalog.relations()) {
    if (!primaryKeyIndex(rel)) continue;
    rel.primaryKey.forEach((colIndex, i) =>
      rows.push(
        shape.row({
          constraint_catalog: db,
          constraint_schema: rel.schema,
          constraint_name: primaryKeyName(rel),
          table_catalog: db,
          table_schema: rel.schema,
          table_name: rel.name,
          column_name: rel.columns[colIndex]!.name,
          ordinal_position: i + 1,
          position_in_unique_constraint: null,
        }),
      ),
    );
  }
  return rows;
});
