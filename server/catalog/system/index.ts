/**
 * The set of system tables (pg_catalog and information_schema) and the one entry point the executor
 * scans them through. The list is built on first use so that tables which enumerate the system
 * tables themselves (pg_class, pg_attribute) can import this module without an import-order trap.
 */
import type { RelationDef } from '../model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Row } from '../../types/datum.js';
import type { SystemTable, SystemTableContext } from './system-table.js';
import { informationSchemaColumns } from './information_schema_columns.js';
import { informationSchemaKeyColumnUsage } from './information_schema_key_column_usage.js';
import { informationSchemaSchemata } from './information_schema_schemata.js';
import { informationSchemaTableConstraints } from './information_schema_table_constraints.js';
import { informationSchemaTables } from './information_schema_tables.js';
import { informationSchemaViews } from './information_schema_views.js';
import { pgAm } from './pg_am.js';
import { pgAttrdef } from './pg_attrdef.js';
import { pgAttribute } from './pg_attribute.js';
import { pgAuthMembers } from './pg_auth_members.js';
import { pgAuthid } from './pg_authid.js';
import { pgClass } from './pg_class.js';
import { pgCollation } from './pg_collation.js';
import { pgConstraint } from './pg_constraint.js';
import { pgDatabase } from './pg_database.js';
import { pgDescription } from './pg_description.js';
import { pgEnum } from './pg_enum.js';
import { pgExtension } from './pg_extension.js';
import { pgForeignTable } from './pg_foreign_table.js';
import { pgIndex } from './pg_index.js';
import { pgIndexes } from './pg_indexes.js';
import { pgInherits } from './pg_inherits.js';
import { pgMatviews } from './pg_matviews.js';
import { pgNamespace } from './pg_namespace.js';
import { pgPartitionedTable } from './pg_partitioned_table.js';
import { pgPolicy } from './pg_policy.js';
import { pgProc } from './pg_proc.js';
import { pgPublication } from './pg_publication.js';
import { pgPublicationNamespace } from './pg_publication_namespace.js';
import { pgPublicationRel } from './pg_publication_rel.js';
import { pgRange } from './pg_range.js';
import { pgRewrite } from './pg_rewrite.js';
import { pgRoles } from './pg_roles.js';
import { pgSequence } from './pg_sequence.js';
import { pgSettings } from './pg_settings.js';
import { pgShdescription } from './pg_shdescription.js';
import { pgStatisticExt } from './pg_statistic_ext.js';
import { pgTables } from './pg_tables.js';
import { pgTablespace } from './pg_tablespace.js';
import { pgTrigger } from './pg_trigger.js';
import { pgType } from './pg_type.js';
import { pgUser } from './pg_user.js';
import { pgViews } from './pg_views.js';
import { freshetWatermarks } from './freshet_watermarks.js';
import { freshetCheckpointOperators, freshetCheckpoints, freshetRecovery } from './freshet_checkpoints.js';

export type { SystemTable, SystemTableContext } from './system-table.js';

let all: readonly SystemTable[] | undefined;
let byOid: Map<number, SystemTable> | undefined;

/** Every system table, pg_catalog first, in a stable order. */
export function systemTables(): readonly SystemTable[] {
  all ??= Object.freeze([
    informationSchemaColumns,
    informationSchemaKeyColumnUsage,
    informationSchemaSchemata,
    informationSchemaTableConstraints,
    informationSchemaTables,
    informationSchemaViews,
    pgAm,
    pgAttrdef,
    pgAttribute,
    pgAuthMembers,
    pgAuthid,
    pgClass,
    pgCollation,
    pgConstraint,
    pgDatabase,
    pgDescription,
    pgEnum,
    pgExtension,
    pgForeignTable,
    pgIndex,
    pgIndexes,
    pgInherits,
    pgMatviews,
    pgNamespace,
    pgPartitionedTable,
    pgPolicy,
    pgProc,
    pgPublication,
    pgPublicationNamespace,
    pgPublicationRel,
    pgRange,
    pgRewrite,
    pgRoles,
    pgSequence,
    pgSettings,
    pgShdescription,
    pgStatisticExt,
    pgTables,
    pgTablespace,
    pgTrigger,
    pgType,
    pgUser,
    pgViews,
    freshetWatermarks,
    freshetCheckpoints,
    freshetCheckpointOperators,
    freshetRecovery,
  ]);
  return all;
}

export function systemTableByOid(oid: number): SystemTable | undefined {
  byOid ??= new Map(systemTables().map((t) => [t.def.oid, t]));
  return byOid.get(oid);
}

/** The current rows of a system relation. */
export function systemRows(rel: RelationDef, ctx: SystemTableContext): Row[] {
  const table = systemTableByOid(rel.oid);
  if (!table || rel.kind !== 'system') {
    throw new SqlError(SQLSTATE.internalError, `${rel.schema}.${rel.name} is not a system table`);
  }
  return table.rows(ctx);
}
