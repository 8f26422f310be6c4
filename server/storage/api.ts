/**
 * The durable store's contract (DESIGN.md "Sources are replayable"): the catalog, the current rows of
 * tables, and an append-only changelog log per relation with offsets, all in SQLite under the data
 * dir. A write is acknowledged only after `commit()` has made it durable. The engine decides SQL
 * semantics (duplicate keys, ON CONFLICT); the store applies and logs exactly what it is told.
 */
import type { RelationDef } from '../catalog/model.js';
import type { ChangelogChunk } from '../dynamic-table/chunk.js';
import type { Op } from '../dynamic-table/changelog-op.js';
import type { Row } from '../types/datum.js';

/** The persisted catalog: every user relation and the next free OID. */
export interface CatalogSnapshot {
  readonly relations: readonly RelationDef[];
  readonly nextOid: number;
}

/**
 * A row's storage key: the primary key's values encoded (same values -> same string, and
 * 1 = 1::bigint = 1.0::numeric as PostgreSQL's equality says), or for tables without a primary
 * key and for streams, the hidden row id as a string.
 */
export type RowKey = string;

export interface KeyedRow {
  readonly key: RowKey;
  readonly row: Row;
}

/** One entry of a relation's durable changelog. */
export interface LogEntry {
  readonly offset: number;
  readonly op: Op;
  readonly row: Row;
}

/**
 * Writes of one SQL transaction. Reads through it see the committed state plus its own writes.
 * Nothing is visible to other sessions or durable until `commit()` returns.
 */
export interface WriteTransaction {
  /** The row under `key`, or undefined. */
  get(rel: RelationDef, key: RowKey): Row | undefined;
  /** Every current row with its key (tables), or every row (streams), own writes included. */
  scan(rel: RelationDef): Iterable<KeyedRow>;
  /**
   * Insert (key absent, logs +I) or replace (key present, logs -U/+U) a table row. `key` null means
   * "assign a hidden row id" (tables without a primary key). Returns the key used.
   */
  put(rel: RelationDef, key: RowKey | null, row: Row): RowKey;
  /** Delete a table row by key (logs -D); returns the deleted row or undefined. */
  delete(rel: RelationDef, key: RowKey): Row | undefined;
  /** Append a row to a stream (logs +I; a stream has no current-state table). */
  append(rel: RelationDef, row: Row): void;
  /**
   * Record, with this transaction's writes, how far continuous query `queryOid` has read its inputs
   * (an opaque text): a derived stream's output and the input positions it covers commit together.
   */
  recordQueryProgress(queryOid: number, progress: string): void;
  /** Make every write durable and visible, atomically. Returns the new end offset per relation OID. */
  commit(): Map<number, number>;
  rollback(): void;
}

/** The log entries one commit appended to one relation: offsets `from` .. `from + ops.length - 1`. */
export interface CommittedChanges {
  readonly relOid: number;
  readonly from: number;
  readonly ops: readonly Op[];
  readonly rows: readonly Row[];
}

export interface Store {
  /**
   * Called after each commit, once it is durable, with what it appended to each relation's log, so
   * continuous queries can take the changes without reading the log back. Rows are shared: never change them.
   */
  onCommitted: ((changes: readonly CommittedChanges[]) => void) | undefined;
  loadCatalog(): CatalogSnapshot | null;
  /** Persist the whole catalog durably (it is small; DDL is rare). */
  saveCatalog(snapshot: CatalogSnapshot): void;
  /** Create storage for a new relation (tables and streams). */
  createRelation(rel: RelationDef): void;
  /** Remove a relation's rows and log. */
  dropRelation(relOid: number): void;
  begin(): WriteTransaction;
  /** Committed rows as chunks of inserts: a table's current state, or a stream's whole log. */
  scan(rel: RelationDef, chunkSize?: number): Iterable<ChangelogChunk>;
  /** Storage key for a row of `rel`: encoded primary key values. Throws for relations without one. */
  keyOf(rel: RelationDef, row: Row): RowKey;
  /** The log of a relation from `fromOffset` (inclusive), for replay by continuous queries. */
  readLog(relOid: number, fromOffset: number): Iterable<LogEntry>;
  /** The progress last committed with `recordQueryProgress` for a query, if any. */
  queryProgress(queryOid: number): string | undefined;
  /** Offset the next log entry of the relation will get. */
  endOffset(relOid: number): number;
  close(): void;
}
