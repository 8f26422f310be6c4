/**
 * information_schema.columns: one row per column of every relation (system tables included, as in
 * PostgreSQL, where a superuser sees them all).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable, YES_OR_NO } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { listedRelations } from './listed-relations.js';
import { standardTypeFacts } from './sql-standard-facts.js';

export const informationSchemaColumns = defineSystemTable('information_schema', 'columns', 13295, 'v', [
  ['table_catalog', T.name, false],
  ['table_schema', T.name, false],
  ['table_name', T.name, false],
  ['column_name', T.name, false],
  ['ordinal_position', T.int4, false],
  ['column_default', T.varchar, false],
  ['is_nullable', YES_OR_NO, false],
  ['data_type', T.varchar, false],
  ['character_maximum_length', T.int4, false],
  ['character_octet_length', T.int4, false],
  ['numeric_precision', T.int4, false],
  ['numeric_precision_radix', T.int4, false],
  ['numeric_scale', T.int4, false],
  ['datetime_precision', T.int4, false],
  ['interval_type', T.varchar, false],
  ['interval_precision', T.int4, false],
  ['character_set_catalog', T.name, false],
  ['character_set_schema', T.name, false],
  ['character_set_name', T.name, false],
  ['collation_catalog', T.name, false],
  ['collation_schema', T.name, false],
  ['collation_name', T.name, false],
  ['domain_catalog', T.name, false],
  ['domain_schema', T.name, false],
  ['domain_name', T.name, false],
  ['udt_catalog', T.name, false],
  ['udt_schema', T.name, false],
  ['udt_name', T.name, false],
  ['scope_catalog', T.name, false],
  ['scope_schema', T.name, false],
  ['scope_name', T.name, false],
  ['maximum_cardinality', T.int4, false],
  ['dtd_identifier', T.name, false],
  ['is_self_referencing', YES_OR_NO, false],
  ['is_identity', YES_OR_NO, false],
  ['identity_generation', T.varchar, false],
  ['identity_start', T.varchar, false],
  ['identity_increment', T.varchar, false],
  ['identity_maximum', T.varchar, false],
  ['identity_minimum', T.varchar, false],
  ['identity_cycle', YES_OR_NO, false],
  ['is_generated', T.varchar, false],
  ['generation_expression', T.varchar, false],
  ['is_updatable', YES_OR_NO, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const db = ctx.catalog.databaseName;
  for (const listed of listedRelations(ctx)) {
    if (listed.relkind === 'i') continue;
    const rel = listed.rel;
    for (const col of rel.columns) {
      const f = standardTypeFacts(col.type);
      rows.push(
        shape.row({
          table_catalog: db,
          table_schema: rel.schema,
          table_name: rel.name,
          column_name: col.name,
          ordinal_position: col.attnum,
          column_default: col.defaultSql ?? null,
          is_nullable: col.notNull ? 'NO' : 'YES',
          data_type: f.dataType,
          character_maximum_length: f.characterMaximumLength,
          character_octet_length: f.characterOctetLength,
          numeric_precision: f.numericPrecision,
          numeric_precision_radix: f.numericPrecisionRadix,
          numeric_scale: f.numericScale,
          datetime_precision: f.datetimePrecision,
          interval_type: null,
          interval_precision: null,
          character_set_catalog: null,
          character_set_schema: null,
          character_set_name: null,
          collation_catalog: null,
          collation_schema: null,
          collation_name: null,
          domain_catalog: null,
          domain_schema: null,
          domain_name: null,
          udt_catalog: db,
          udt_schema: 'pg_catalog',
          udt_name: f.udtName,
          scope_catalog: null,
          scope_schema: null,
          scope_name: null,
          maximum_cardinality: null,
          dtd_identifier: String(col.attnum),
          is_self_referencing: 'NO',
          is_identity: 'NO',
          identity_generation: null,
          identity_start: null,
          identity_increment: null,
          identity_maximum: null,
          identity_minimum: null,
          identity_cycle: 'NO',
          is_generated: 'NEVER',
          generation_expression: null,
          is_updatable: rel.kind === 'table' ? 'YES' : 'NO',
        }),
      );
    }
  }
  return rows;
});
