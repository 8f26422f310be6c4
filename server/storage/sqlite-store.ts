/**
 * The durable Store on SQLite: one WAL-mode database file under the data dir holds the catalog, every
 * relation's changelog log and every table's rows; tables' rows are also kept in memory (loaded at open)
 * so gets and scans never touch SQLite. A commit writes ONE log batch per relation (its entries, with
 * keys), the counters and a slice of the running fold pass in ONE SQLite transaction, and only then
 * updates memory, so a failed commit leaves nothing behind. relation_state catches up with the log in
 * those slices (state-fold.ts); open rebuilds the rows as relation_state plus the log after the folded
 * offset (log-replay.ts).
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
import { encodeLogBatchTransient } from './log-batch.js';
import { readLogBatches } from './log-pages.js';
import { decodeRow } from './row-codec.js';
import { encodeKey } from './row-key.js';
import { openStoreDatabase, StoreStatements, type SynchronousLevel } from './sqlite-schema.js';
import { replayUnfolded } from './log-replay.js';
import { DEFAULT_FOLD_THRESHOLD, DEFAULT_SLICE_MIN_KEYS, StateFolder, type FoldProbe, type SliceProgress } from './state-fold.js';
import { StoreTransaction, type PendingRelation, type TransactionHost } from './store-transaction.js';

export interface SqliteStoreOptions {
  /** SQLite synchronous level: 'full' (default) fsyncs the WAL on every commit. */
  readonly synchronous?: SynchronousLevel;
  /**
   * Start a fold pass once this many table log entries are unfolded, and at least as many as the
   * tables hold rows (default 65,536); the pass then rides along with the next commits.
   */
  readonly foldThreshold?: number;
  /** Keys of a running pass every commit writes at least, besides two per table entry it logs (default 32). */
  readonly foldSliceMinKeys?: number;
  /** Crash tests only: called inside fold writes after every statement (state-fold.ts FoldProbe). */
  readonly foldProbe?: FoldProbe;
}

const DEFAULT_CHUNK_SIZE = 1024;

/** What a commit's SQLite transaction wrote: new end offsets, and the fold pass's progress. */
interface WrittenCommit {
  readonly ends: Map<number, number>;
  readonly slice: SliceProgress | null;
}

/** Open (creating if needed) the store in `dataDir`. */
export function openSqliteStore(dataDir: string, opts: SqliteStoreOptions = {}): Store {
  return new SqliteStore(openStoreDatabase(dataDir, opts.synchronous ?? 'full'), opts);
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
  private readonly writeCommit: (tx: StoreTransaction) => WrittenCommit;
  private readonly folder: StateFolder;

  constructor(private readonly db: Database.Database, opts: SqliteStoreOptions) {
    try {
      this.stmts = new StoreStatements(db);
      this.writeCommit = db.transaction((tx: StoreTransaction) => this.writeTransaction(tx));
      this.folder = new StateFolder(
        db,
        this.stmts,
        opts.foldThreshold ?? DEFAULT_FOLD_THRESHOLD,
        opts.foldSliceMinKeys ?? DEFAULT_SLICE_MIN_KEYS,
        opts.foldProbe,
      );
      this.load();
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Rows = relation_state + the log after each table's folded offset. */
  private load(): void {
    for (const m of this.stmts.allMeta.iterate()) {
      const kind: StoredKind = m.kind === 'stream' ? 'stream' : 'table';
      this.relations.set(m.rel, new RelationState(m.rel, kind, m.next_row_id, m.end_offset, m.folded_offset));
    }
    for (const s of this.stmts.allState.iterate()) {
      const state = this.relations.get(s.rel);
      if (state === undefined) throw new SqlError(SQLSTATE.internalError, `stored rows of unknown relation ${s.rel}`);
      state.rows.set(s.key, decodeRow(s.row));
    }
    for (const state of this.relations.values()) this.folder.noteUnfolded(replayUnfolded(this.stmts, state));
    this.folder.startPassIfDue(this.relations);
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
      state = new RelationState(rel.oid, storedKind(rel), 1, 0, 0);
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
      this.stmts.dropProgress.run(relOid);
      this.stmts.dropProgress.run(-relOid); // a stream's watermark counters
    })();
    const state = this.relations.get(relOid);
    if (state !== undefined) {
      this.trackedRelations.delete(state);
      this.folder.forget(state);
    }
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

  /** Log entries from `fromOffset` up to the end offset as of the first pull, read batch by batch. */
  *readCommittedLog(relOid: number, fromOffset: number): Iterable<LogEntry> {
    const end = this.relations.get(relOid)?.endOffset ?? 0;
    for (const batch of readLogBatches(this.stmts, relOid, fromOffset, end)) {
      const { ops, rows } = batch.entries;
      for (let i = Math.max(0, fromOffset - batch.from); i < ops.length; i++) {
        const offset = batch.from + i;
        if (offset >= end) return;
        yield { offset, op: ops[i]!, row: rows[i]! };
      }
    }
  }

  queryProgress(queryOid: number): string | undefined {
    this.assertOpen();
    return this.stmts.readProgress.get(queryOid)?.progress;
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
    if (tx.pending.size === 0 && tx.progress.size === 0) return new Map();
    this.checkConflicts(tx);
    const { ends, slice } = this.writeCommit(tx); // throws -> SQLite rolled back, memory untouched
    if (slice !== null) this.folder.sliceCommitted(slice);
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
    this.folder.startPassIfDue(this.relations);
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

  /**
   * Runs inside the SQLite transaction: one log batch per relation and its counters, then the running
   * fold pass's next slice of relation_state (state-fold.ts).
   */
  private writeTransaction(tx: StoreTransaction): WrittenCommit {
    const s = this.stmts;
    const ends = new Map<number, number>();
    for (const [query, progress] of tx.progress) s.upsertProgress.run(query, progress);
    let tableEntries = 0;
    for (const p of tx.pending.values()) {
      const oid = p.def.oid;
      const from = p.state.endOffset;
      const n = p.ops.length;
      const isTable = p.state.kind === 'table';
      if (n > 0) s.insertLog.run(oid, from, n, encodeLogBatchTransient(p.ops, isTable ? p.keys : null, p.rows));
      if (isTable) tableEntries += n;
      s.updateMeta.run(p.state.nextRowId, from + n, oid);
      ends.set(oid, from + n);
    }
    return { ends, slice: this.folder.writeSlice(tableEntries) };
  }

  private applyCommitted(p: PendingRelation, endOffset: number, seq: number, track: boolean): void {
    const state = p.state;
    state.endOffset = endOffset;
    for (const [key, row] of p.overlay) {
      if (row === null) state.rows.delete(key);
      else state.rows.set(key, row);
      state.unfolded.add(key);
      if (track) state.lastWrite.set(key, seq);
    }
    if (state.kind === 'table') this.folder.noteUnfolded(p.ops.length);
    if (track && p.overlay.size > 0) this.trackedRelations.add(state);
  }

  /** Folds what is unfolded (so the next open need not replay it), then closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.openTransactions.clear();
    try {
      this.folder.foldAll(this.relations);
    } catch {
      // Nothing is lost: the log stays the truth and the next open replays it.
    } finally {
      this.db.close();
    }
  }
}
