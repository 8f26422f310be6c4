/**
 * The catalog's data model: relations (tables, streams, views, system tables) and their columns as
 * the binder, storage and pg_catalog see them. Plain immutable values; the Catalog (catalog.ts) owns
 * the live set and persists it through storage.
 */
import type { SqlType } from '../types/sql-type.js';

export type RelationKind = 'table' | 'stream' | 'view' | 'materializedView' | 'system';

export interface ColumnMeta {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull: boolean;
  /** Default expression as SQL text (pg_attrdef / information_schema.column_default), if any. */
  readonly defaultSql?: string;
  /** 1-based attribute number (pg_attribute.attnum). Hidden columns are not listed here. */
  readonly attnum: number;
}

export interface RelationDef {
  readonly oid: number;
  readonly schema: string; // 'public', 'pg_catalog', 'information_schema', 'freshet_catalog'
  readonly name: string;
  readonly kind: RelationKind;
  readonly columns: readonly ColumnMeta[];
  /** Column indexes (0-based) of the primary key; empty when the table has none (hidden row id). */
  readonly primaryKey: readonly number[];
  /** OID of the primary key's index and constraint, when there is a primary key. */
  readonly primaryKeyIndexOid?: number;
  readonly primaryKeyConstraintOid?: number;
  /**
   * Name of the primary key's index and constraint (PostgreSQL: `<table>_pkey` at creation; it
   * keeps that name when the table is renamed). Absent: `<name>_pkey`.
   */
  readonly primaryKeyName?: string;
  /** Validated `WITH (...)` options. */
  readonly options: Readonly<Record<string, string>>;
  /** For views: the defining query text. */
  readonly definition?: string;
  /** For views: the oids of the relations the defining query reads directly (DROP checks them). */
  readonly dependsOn?: readonly number[];
  /** Streams: `WATERMARK FOR column AS column - delay` (event time and how late rows may be). */
  readonly watermark?: StreamWatermarkDef;
  /** Materialized views and derived streams: `EMIT ON WINDOW CLOSE`. */
  readonly emitOnWindowClose?: boolean;
}

/**
 * A stream's watermark: the largest `column` value committed so far minus `delayMicros`. Rows below
 * it (and rows whose `column` is NULL) are dropped at INSERT/COPY and counted; an input quiet for
 * `idleTimeoutMs` stops holding back the watermark of queries that combine it with other inputs.
 */
export interface StreamWatermarkDef {
  readonly column: number;
  readonly delayMicros: number;
  /** The expression as written, for \d and pg_get_* style output. */
  readonly expression: string;
  readonly idleTimeoutMs?: number;
}

/** Read access to the catalog, as the binder and system tables need it. */
export interface CatalogReader {
  /** Resolve a name along the search path (schema undefined) or in a schema. */
  lookup(schema: string | undefined, name: string): RelationDef | undefined;
  byOid(oid: number): RelationDef | undefined;
  /** All user relations (not system tables). */
  relations(): readonly RelationDef[];
  /** The current database and user, for current_database() and friends. */
  readonly databaseName: string;
}

export const PUBLIC_SCHEMA = 'public';
export const FIRST_USER_OID = 16384;
