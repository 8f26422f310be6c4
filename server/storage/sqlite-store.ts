/**
 * The durable Store on SQLite: one WAL-mode database file under the data dir holds the catalog, every
 * relation's changelog log and every table's current rows; tables' rows are also kept in memory (loaded
 * at open) so gets and scans never touch SQLite. A commit writes log entries, state changes and counters
 * in ONE SQLite transaction and only then updates memory, so a failed commit leaves nothing behind.
 *
 * Concurrency (sessions interleave on one thread): reads see the latest committed rows plus the
 * transaction's own writes. Conflicting writes are first-committer-wins: a transaction that wrote a
 * table key which another transaction committed after this one began fails its commit with SQLSTATE
 * 40001 (serialization_failure) and leaves nothing. Stream appends never conflict. Only write-write
 * conflicts are detected (no read tracking); end every transaction (commit or rollback), since the
 * per-key commit record is kept while any transaction is open.
 * Rows passed to put/append become the store's and rows it returns are shared: never mutate either.
 */
import type Database from 'better-sqlite3';
import type { RelationDef } from '../catalog/model.js';
import { ChangelogChunk, ChunkBuilder } from '../dynamic-table/chunk.js';
import { Op } from '../dynamic-table/changelog-op.js';
import { SQLSTATE, SqlError } from '../errors.js';
import type { Row } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import type { CatalogSnapshot, CommittedChanges, LogEntry, RowKey, Store, WriteTransaction } from './api.js';
import { catalogFromJson, catalogToJson } from './catalog-json.js';
import { RelationState, SERIALIZATION_FAILURE, type StoredKind } from './relation-state.js';
import { decodeRow, encodeRowTransient } from './row-codec.js';
import { encodeKey } from './row-key.js';
import { openStoreDatabase, StoreStatements, type SynchronousLevel } from './sqlite-schema.js';
import { StoreTransaction, type PendingRelation, type TransactionHost } from './store-transaction.js';

export interface SqliteStoreOptions {
  /** SQLite synchronous level: 'full' (default) fsyncs the WAL on every commit. */
  readonly synchronous?: SynchronousLevel;
}

const DEFAULT_CHUNK_SIZE = 1024;
const LOG_PAGE_SIZE = 1024;

/** Open (creating if needed) the store in `dataDir`. */
export function openSqliteStore(dataDir: string, opts: SqliteStoreOptions = {}): Store {
  return new SqliteStore(openStoreDatabase(dataDir, opts.synchronous ?? 'full'));
}

function storedKind(rel: RelationDef): StoredKind {
  return rel.kind === 'stream' ? 'stream' : 'table';
}

class SqliteStore implements Store, TransactionHost {
  onCommitted: ((changes: readonly CommittedChanges[]) => void) | undefined = undefined;
  private readonly stmts: StoreStatements;
  private readonly relations = new Map<number, RelationState>();
  private readonly openTransactions = new Set<StoreTransaction>();
  /** Relations whose `lastWrite` holds entries, to clear them cheaply. */
  private readonly trackedRelations = new Set<RelationState>();
  private readonly pkTypes = new WeakMap<RelationDef, SqlType[]>();
  private commitSeq = 0;
  private closed = false;
  private readonly writeCommit: (tx: StoreTransaction) => Map<number, number>;

  constructor(private readonly db: Database.Database) {
    this.stmts = new StoreStatements(db);
    this.writeCommit = db.transaction((tx: StoreTransaction) => this.writeTransaction(tx));
    this.load();
  }

  private load(): void {
    for (const m of this.stmts.allMeta.iterate()) {
      const kind: StoredKind = m.kind === 'stream' ? 'stream' : 'table';
      this.relations.set(m.rel, new RelationState(m.rel, kind, m.next_row_id, m.end_offset));
    }
    for (const s of this.stmts.allState.iterate()) {
      const state = this.relations.get(s.rel);
      if (state === undefined) throw new SqlError(SQLSTATE.internalError, `stored rows of unknown relation ${s.rel}`);
      state.rows.set(s.key, decodeRow(s.row));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, 'the store is closed');
  }

  // ------------------------------------------------------------ catalog

  loadCatalog(): CatalogSnapshot | null {
    this.assertOpen();
    const row = this.stmts.loadCatalog.get();
    return row === undefined ? null : catalogFromJson(row.snapshot);
  }

  saveCatalog(snapshot: CatalogSnapshot): void {
    this.assertOpen();
    this.stmts.saveCatalog.run(catalogToJson(snapshot));
  }

  // ------------------------------------------------------------ relations

  createRelation(rel: RelationDef): void {
    this.assertOpen();
    this.ensureRelation(rel);
  }

  ensureRelation(rel: RelationDef): RelationState {
    let state = this.relations.get(rel.oid);
    if (state === undefined) {
      this.stmts.insertMeta.run(rel.oid, storedKind(rel));
      state = new RelationState(rel.oid, storedKind(rel), 1, 0);
      this.relations.set(rel.oid, state);
    }
    return state;
  }

  dropRelation(relOid: number): void {
    this.assertOpen();
    this.db.transaction(() => {
      this.stmts.dropLog.run(relOid);
      this.stmts.dropState.run(relOid);
      this.stmts.dropMeta.run(relOid);
    })();
    const state = this.relations.get(relOid);
    if (state !== undefined) this.trackedRelations.delete(state);
    this.relations.delete(relOid);
  }

  committedState(oid: number): RelationState | undefined {
    return this.relations.get(oid);
  }

  keyOf(rel: RelationDef, row: Row): RowKey {
    const pk = rel.primaryKey;
    if (pk.length === 0) throw new SqlError(SQLSTATE.internalError, `relation "${rel.name}" has no primary key`);
    let types = this.pkTypes.get(rel);
    if (types === undefined) {
      types = pk.map((i) => rel.columns[i]!.type);
      this.pkTypes.set(rel, types);
    }
    if (pk.length === 1) return encodeKey([row[pk[0]!]!], types);
    return encodeKey(pk.map((i) => row[i]!), types);
  }

  // ------------------------------------------------------------ reads

  *scan(rel: RelationDef, chunkSize = DEFAULT_CHUNK_SIZE): Iterable<ChangelogChunk> {
    this.assertOpen();
    const width = rel.columns.length;
    const state = this.relations.get(rel.oid);
    if (state === undefined) return;
    const builder = new ChunkBuilder(width, chunkSize);
    if (state.kind === 'stream') {
      for (const e of this.readCommittedLog(rel.oid, 0)) {
        builder.append(Op.Insert, e.row);
        if (builder.length >= chunkSize) yield builder.build();
      }
    } else {
      const rows = Array.from(state.rows.values()); // a consistent snapshot while the caller iterates
      for (let i = 0; i < rows.length; i++) {
        builder.append(Op.Insert, rows[i]!);
        if (builder.length >= chunkSize) yield builder.build();
      }
    }
    if (builder.length > 0) yield builder.build();
  }

  readLog(relOid: number, fromOffset: number): Iterable<LogEntry> {
    this.assertOpen();
    return this.readCommittedLog(relOid, fromOffset);
  }

  /** Log entries from `fromOffset` up to the end offset as of the first pull, read page by page. */
  *readCommittedLog(relOid: number, fromOffset: number): Iterable<LogEntry> {
    const end = this.relations.get(relOid)?.endOffset ?? 0;
    let next = fromOffset;
    while (next < end) {
      const page = this.stmts.logPage.all(relOid, next, end, LOG_PAGE_SIZE);
      if (page.length === 0) return;
      for (const r of page) yield { offset: r.off, op: r.op as Op, row: decodeRow(r.row) };
      next = page[page.length - 1]!.off + 1;
    }
  }

  endOffset(relOid: number): number {
    this.assertOpen();
    return this.relations.get(relOid)?.endOffset ?? 0;
  }

  // ------------------------------------------------------------ transactions

  begin(): WriteTransaction {
    this.assertOpen();
    const tx = new StoreTransaction(this, this.commitSeq);
    this.openTransactions.add(tx);
    return tx;
  }

  commitTransaction(tx: StoreTransaction): Map<number, number> {
    this.assertOpen();
    if (tx.pending.size === 0) return new Map();
    this.checkConflicts(tx);
    const ends = this.writeCommit(tx); // throws -> SQLite rolled back, memory untouched
    const seq = ++this.commitSeq;
    const track = this.openTransactions.size > 1; // someone besides tx may still commit
    for (const p of tx.pending.values()) this.applyCommitted(p, ends.get(p.def.oid)!, seq, track);
    if (this.onCommitted) {
      const changes: CommittedChanges[] = [];
      for (const p of tx.pending.values()) {
        if (p.ops.length > 0) changes.push({ relOid: p.def.oid, from: ends.get(p.def.oid)! - p.ops.length, ops: p.ops, rows: p.rows });
      }
      this.onCommitted(changes);
    }
    return ends;
  }

  endTransaction(tx: StoreTransaction): void {
    this.openTransactions.delete(tx);
    if (this.openTransactions.size === 0) {
      for (const state of this.trackedRelations) state.lastWrite.clear();
      this.trackedRelations.clear();
    }
  }

  private checkConflicts(tx: StoreTransaction): void {
    for (const p of tx.pending.values()) {
      if (this.relations.get(p.def.oid) !== p.state) {
        throw new SqlError(SQLSTATE.undefinedTable, `relation "${p.def.name}" was dropped during the transaction`);
      }
      if (p.state.lastWrite.size === 0) continue;
      for (const key of p.overlay.keys()) {
        const committedAt = p.state.lastWrite.get(key);
        if (committedAt !== undefined && committedAt > tx.startSeq) {
          throw new SqlError(
            SERIALIZATION_FAILURE,
            `could not serialize access due to concurrent update of "${p.def.name}"`,
          );
        }
      }
    }
  }

  /** Runs inside the SQLite transaction: logs, state rows, counters. Returns the new end offsets. */
  private writeTransaction(tx: StoreTransaction): Map<number, number> {
    const s = this.stmts;
    const ends = new Map<number, number>();
    for (const p of tx.pending.values()) {
      const oid = p.def.oid;
      let offset = p.state.endOffset;
      for (let i = 0; i < p.ops.length; i++) s.insertLog.run(oid, offset++, p.ops[i]!, encodeRowTransient(p.rows[i]!));
      for (const [key, row] of p.overlay) {
        if (row === null) s.deleteState.run(oid, key);
        else s.upsertState.run(oid, key, encodeRowTransient(row));
      }
      s.updateMeta.run(p.state.nextRowId, offset, oid);
      ends.set(oid, offset);
    }
    return ends;
  }

  private applyCommitted(p: PendingRelation, endOffset: number, seq: number, track: boolean): void {
    const state = p.state;
    state.endOffset = endOffset;
    for (const [key, row] of p.overlay) {
      if (row === null) state.rows.delete(key);
      else state.rows.set(key, row);
      if (track) state.lastWrite.set(key, seq);
    }
    if (track && p.overlay.size > 0) this.trackedRelations.add(state);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.openTransactions.clear();
    this.db.close();
  }
}
