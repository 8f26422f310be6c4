/**
 * Fixed facts of Freshet's single-database, single-role world as pg_catalog shows them: the
 * namespaces, the bootstrap role (oid 10, named after the session user), the database, access
 * methods, collations and tablespaces, with PostgreSQL's oids.
 */
import type { CatalogReader, RelationDef } from '../model.js';
import { derivedOid, NAMESPACE_OID_BAND } from './name-hash.js';

export const PG_CATALOG_NAMESPACE = 11;
export const PUBLIC_NAMESPACE = 2200;
export const INFORMATION_SCHEMA_NAMESPACE = 13207;
export const PG_TOAST_NAMESPACE = 99;

export interface NamespaceInfo {
  readonly oid: number;
  readonly name: string;
  readonly comment: string;
}

export const NAMESPACES: readonly NamespaceInfo[] = [
  { oid: PG_TOAST_NAMESPACE, name: 'pg_toast', comment: 'reserved schema for TOAST tables' },
  { oid: PG_CATALOG_NAMESPACE, name: 'pg_catalog', comment: 'system catalog schema' },
  { oid: PUBLIC_NAMESPACE, name: 'public', comment: 'standard public schema' },
  { oid: INFORMATION_SCHEMA_NAMESPACE, name: 'information_schema', comment: '' },
];

/** Oid of a schema: PostgreSQL's for the built-in ones, derived from the name for any other. */
export function namespaceOid(schema: string): number {
  return NAMESPACES.find((n) => n.name === schema)?.oid ?? derivedOid(schema, NAMESPACE_OID_BAND);
}

/** Every schema: the built-in ones, then any other schema a user relation lives in. */
export function allNamespaces(catalog: CatalogReader): NamespaceInfo[] {
  const out = [...NAMESPACES];
  for (const rel of catalog.relations()) {
    if (!out.some((n) => n.name === rel.schema)) out.push({ oid: namespaceOid(rel.schema), name: rel.schema, comment: '' });
  }
  return out;
}

export function namespaceName(oid: number, catalog: CatalogReader): string | undefined {
  return allNamespaces(catalog).find((n) => n.oid === oid)?.name;
}

/** The one role: PostgreSQL's bootstrap superuser oid; its name is the session user. */
export const BOOTSTRAP_ROLE_OID = 10;
/** The one database (PostgreSQL gives 'postgres' oid 5). */
export const DATABASE_OID = 5;
/** UTF8 in pg_database.encoding / pg_encoding_to_char. */
export const UTF8_ENCODING = 6;

export const HEAP_AM = 2;
export const BTREE_AM = 403;
export const ACCESS_METHODS: readonly { oid: number; name: string; handler: string; type: 'i' | 't' }[] = [
  { oid: HEAP_AM, name: 'heap', handler: 'heap_tableam_handler', type: 't' },
  { oid: BTREE_AM, name: 'btree', handler: 'bthandler', type: 'i' },
  { oid: 405, name: 'hash', handler: 'hashhandler', type: 'i' },
];

export const DEFAULT_COLLATION = 100;
export const COLLATIONS: readonly { oid: number; name: string; provider: 'd' | 'c'; collate: string | null }[] = [
  { oid: DEFAULT_COLLATION, name: 'default', provider: 'd', collate: null },
  { oid: 950, name: 'C', provider: 'c', collate: 'C' },
  { oid: 951, name: 'POSIX', provider: 'c', collate: 'POSIX' },
];

export const TABLESPACES: readonly { oid: number; name: string }[] = [
  { oid: 1663, name: 'pg_default' },
  { oid: 1664, name: 'pg_global' },
];

/** pg_class.relkind of a user relation. Streams are tables to PostgreSQL clients. */
export function relkindOf(rel: RelationDef): 'r' | 'v' | 'm' {
  switch (rel.kind) {
    case 'table':
    case 'stream':
    case 'system':
      return 'r';
    case 'view':
      return 'v';
    case 'materializedView':
      return 'm';
    default: {
      const never: never = rel.kind;
      return never;
    }
  }
}

/** Comment shown in pg_description (obj_description, psql \d+) for Freshet-only kinds. */
export function relationComment(rel: RelationDef): string | undefined {
  return rel.kind === 'stream' ? 'Freshet stream' : undefined;
}

/** Name of the primary key index and constraint, as PostgreSQL names it. */
export function primaryKeyName(rel: RelationDef): string {
  return rel.primaryKeyName ?? `${rel.name}_pkey`;
}
