/**
 * information_schema.table_constraints: primary keys, and the CHECK constraints PostgreSQL reports for NOT NULL
 * columns (named <schema oid>_<table oid>_<attnum>_not_null), for every user relation.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable, YES_OR_NO } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { namespaceOid, primaryKeyName } from './builtin.js';
import { primaryKeyIndex } from './listed-relations.js';

export const informationSchemaTableConstraints = defineSystemTable('information_schema', 'table_constraints', 13411, 'v', [
  ['constraint_catalog', T.name, false],
  ['constraint_schema', T.name, false],
  ['constraint_name', T.name, false],
  ['table_catalog', T.name, false],
  ['table_schema', T.name, false],
  ['table_name', T.name, false],
  ['constraint_type', T.varchar, false],
  ['is_deferrable', YES_OR_NO, false],
  ['initially_deferred', YES_OR_NO, false],
  ['enforced', YES_OR_NO, false],
  ['nulls_distinct', YES_OR_NO, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const db = ctx.catalog.databaseName;
  for (const rel of ctx.catalog.relations()) {
    if (rel.kind === 'view') continue;
    const common = { constraint_catalog: db, constraint_schema: rel.schema, table_catalog: db, table_schema: rel.schema, table_name: rel.name };
    const flags = { is_deferrable: 'NO', initially_deferred: 'NO', enforced: 'YES' };
    if (primaryKeyIndex(rel)) {
      rows.push(shape.row({ ...common, ...flags, constraint_name: primaryKeyName(rel), constraint_type: 'PRIMARY KEY', nulls_distinct: null }));
    }
    for (const col of rel.columns) {
      if (!col.notNull) continue;
      const name = `${namespaceOid(rel.schema)}_${rel.oid}_${col.attnum}_not_null`;
      rows.push(shape.row({ ...common, ...flags, constraint_name: name, constraint_type: 'CHECK', nulls_distinct: null }));
    }
  }
  return rows;
});
