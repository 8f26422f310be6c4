/**
 * information_schema.schemata: one row per schema.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { allNamespaces } from './builtin.js';

export const informationSchemaSchemata = defineSystemTable('information_schema', 'schemata', 13382, 'v', [
  ['catalog_name', T.name, false],
  ['schema_name', T.name, false],
  ['schema_owner', T.name, false],
  ['default_character_set_catalog', T.name, false],
  ['default_character_set_schema', T.name, false],
  ['default_character_set_name', T.name, false],
  ['sql_path', T.varchar, false],
], (ctx, shape) =>
  allNamespaces(ctx.catalog).map((n) =>
    shape.row({
      catalog_name: ctx.catalog.databaseName,
      schema_name: n.name,
      schema_owner: ctx.user,
      default_character_set_catalog: null,
      default_character_set_schema: null,
      default_character_set_name: null,
      sql_path: null,
    }),
  ));
