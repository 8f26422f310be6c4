/**
 * Every relation pg_class shows, as one list: the system tables, then the user relations from the
 * live catalog, then each primary key's index. pg_class, pg_attribute and pg_description all read
 * from here so that they always agree on oids and namespaces.
 */
import type { RelationDef } from '../model.js';
import { namespaceOid, primaryKeyName, relkindOf } from './builtin.js';
import { systemTables } from './index.js';
import type { SystemTableContext } from './system-table.js';

export interface ListedRelation {
  readonly oid: number;
  readonly name: string;
  readonly namespace: number;
  readonly relkind: 'r' | 'v' | 'm' | 'i';
  /** The relation itself; for an index, the table it indexes. */
  readonly rel: RelationDef;
}

export function listedRelations(ctx: SystemTableContext): ListedRelation[] {
  const out: ListedRelation[] = [];
  for (const t of systemTables()) {
    out.push({ oid: t.def.oid, name: t.def.name, namespace: namespaceOid(t.def.schema), relkind: t.relkind, rel: t.def });
  }
  for (const rel of ctx.catalog.relations()) {
    const namespace = namespaceOid(rel.schema);
    out.push({ oid: rel.oid, name: rel.name, namespace, relkind: relkindOf(rel), rel });
    const index = primaryKeyIndex(rel);
    if (index) out.push({ oid: index.indexOid, name: primaryKeyName(rel), namespace, relkind: 'i', rel });
  }
  return out;
}

/** The primary key's index and constraint oids, when the relation has a primary key. */
export function primaryKeyIndex(rel: RelationDef): { indexOid: number; constraintOid: number } | undefined {
  if (rel.primaryKey.length === 0 || rel.primaryKeyIndexOid === undefined) return undefined;
  return { indexOid: rel.primaryKeyIndexOid, constraintOid: rel.primaryKeyConstraintOid ?? rel.primaryKeyIndexOid };
}

/** Attribute numbers (1-based) of the primary key columns, in key order. */
export function primaryKeyAttnums(rel: RelationDef): number[] {
  return rel.primaryKey.map((i) => rel.columns[i]!.attnum);
}
