/**
 * The SQLite file behind the default checkpoint backend (`checkpoints.db` under the data dir, WAL,
 * apart from the table store's file): opening it, its layout and the prepared statements. It owns SQL
 * text only; sqlite-backend.ts decides what to write.
 *   checkpoint      per checkpoint: status, start/completion times, failure, totals, source positions blob
 *   operator_state  per checkpoint and operator: full or incremental, its base, counts, the state blob
 *                   (NULL once pruned while the row stays for the report)
 *   meta            the highest checkpoint id ever begun
 * A file that is not a database (or whose header is corrupt) is moved aside and a new one started.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLSTATE, SqlError } from '../errors.js';
import type { CheckpointStatus } from './api.js';

export const CHECKPOINT_DB_FILE_NAME = 'checkpoints.db';

const LAYOUT_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoint (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  completed_at INTEGER,
  failure TEXT,
  operator_count INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  sources BLOB
);
CREATE TABLE IF NOT EXISTS operator_state (
  checkpoint_id INTEGER NOT NULL,
  query_oid INTEGER NOT NULL,
  operator_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  base_id INTEGER,
  upsert_count INTEGER NOT NULL,
  delete_count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  state BLOB,
  PRIMARY KEY (checkpoint_id, query_oid, operator_id)
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export interface CheckpointRow {
  id: number;
  status: CheckpointStatus;
  started_at: number;
  completed_at: number | null;
  failure: string | null;
  operator_count: number;
  bytes: number;
}

export interface OperatorStateMetaRow {
  checkpoint_id: number;
  query_oid: number;
  operator_id: string;
  kind: 'full' | 'incremental';
  base_id: number | null;
  upsert_count: number;
  delete_count: number;
  bytes: number;
}

export interface StateBlobRow {
  kind: 'full' | 'incremental';
  base_id: number | null;
  state: Buffer | null;
}

export type SynchronousLevel = 'full' | 'normal';

export class CheckpointStatements {
  readonly lastId: Database.Statement<[], { value: number }>;
  readonly setLastId: Database.Statement<[number]>;
  readonly insertPending: Database.Statement<[number, number]>;
  /** (completed_at, operator_count, bytes, sources, id) */
  readonly markComplete: Database.Statement<[number, number, number, Buffer, number]>;
  /** (failure, id): only a pending checkpoint fails. */
  readonly markFailed: Database.Statement<[string, number]>;
  /** (failure, id): only a complete checkpoint becomes damaged. */
  readonly markDamaged: Database.Statement<[string, number]>;
  /** (failure): every checkpoint left pending by a process that ended. */
  readonly failLeftoverPending: Database.Statement<[string]>;
  readonly checkpoint: Database.Statement<[number], CheckpointRow>;
  readonly allCheckpoints: Database.Statement<[], CheckpointRow>;
  readonly completeIdsNewestFirst: Database.Statement<[], { id: number }>;
  readonly newestCompleteId: Database.Statement<[], { id: number | null }>;
  readonly sources: Database.Statement<[number], { sources: Buffer | null }>;
  readonly allOperatorMeta: Database.Statement<[], OperatorStateMetaRow>;
  readonly operatorMetaOf: Database.Statement<[number], OperatorStateMetaRow>;
  /** (checkpoint_id, query_oid, operator_id): whether a state row exists, without reading its blob. */
  readonly hasState: Database.Statement<[number, number, string], { present: number }>;
  /** (checkpoint_id, query_oid, operator_id) */
  readonly stateBlob: Database.Statement<[number, number, string], StateBlobRow>;
  /** (checkpoint_id, query_oid, operator_id, kind, base_id, upsert_count, delete_count, bytes, state) */
  readonly insertOperatorState: Database.Statement<[number, number, string, string, number | null, number, number, number, Buffer]>;
  readonly deleteCheckpoint: Database.Statement<[number]>;
  readonly deleteOperatorStates: Database.Statement<[number]>;
  /** (checkpoint_id, query_oid, operator_id) */
  readonly dropStateBlob: Database.Statement<[number, number, string]>;
  readonly markRetired: Database.Statement<[number]>;
  readonly dropSourcesBlob: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.lastId = db.prepare("SELECT value FROM meta WHERE name = 'last_checkpoint_id'");
    this.setLastId = db.prepare(
      "INSERT INTO meta (name, value) VALUES ('last_checkpoint_id', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
    );
    this.insertPending = db.prepare("INSERT INTO checkpoint (id, status, started_at) VALUES (?, 'pending', ?)");
    this.markComplete = db.prepare(
      "UPDATE checkpoint SET status = 'complete', completed_at = ?, operator_count = ?, bytes = ?, sources = ? WHERE id = ? AND status = 'pending'",
    );
    this.markFailed = db.prepare("UPDATE checkpoint SET status = 'failed', failure = ? WHERE id = ? AND status = 'pending'");
    this.markDamaged = db.prepare("UPDATE checkpoint SET status = 'damaged', failure = ? WHERE id = ? AND status = 'complete'");
    this.failLeftoverPending = db.prepare("UPDATE checkpoint SET status = 'failed', failure = ? WHERE status = 'pending'");
    const columns = 'id, status, started_at, completed_at, failure, operator_count, bytes';
    this.checkpoint = db.prepare(`SELECT ${columns} FROM checkpoint WHERE id = ?`);
    this.allCheckpoints = db.prepare(`SELECT ${columns} FROM checkpoint ORDER BY id`);
    this.completeIdsNewestFirst = db.prepare("SELECT id FROM checkpoint WHERE status = 'complete' ORDER BY id DESC");
    this.newestCompleteId = db.prepare("SELECT max(id) AS id FROM checkpoint WHERE status = 'complete'");
    this.sources = db.prepare('SELECT sources FROM checkpoint WHERE id = ?');
    const meta = 'checkpoint_id, query_oid, operator_id, kind, base_id, upsert_count, delete_count, bytes';
    this.allOperatorMeta = db.prepare(`SELECT ${meta} FROM operator_state ORDER BY checkpoint_id, query_oid, operator_id`);
    this.operatorMetaOf = db.prepare(`SELECT ${meta} FROM operator_state WHERE checkpoint_id = ? ORDER BY query_oid, operator_id`);
    this.hasState = db.prepare(
      'SELECT 1 AS present FROM operator_state WHERE checkpoint_id = ? AND query_oid = ? AND operator_id = ?',
    );
    this.stateBlob = db.prepare(
      'SELECT kind, base_id, state FROM operator_state WHERE checkpoint_id = ? AND query_oid = ? AND operator_id = ?',
    );
    this.insertOperatorState = db.prepare(
      `INSERT INTO operator_state (${meta}, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteCheckpoint = db.prepare('DELETE FROM checkpoint WHERE id = ?');
    this.deleteOperatorStates = db.prepare('DELETE FROM operator_state WHERE checkpoint_id = ?');
    this.dropStateBlob = db.prepare(
      'UPDATE operator_state SET state = NULL WHERE checkpoint_id = ? AND query_oid = ? AND operator_id = ?',
    );
    this.markRetired = db.prepare("UPDATE checkpoint SET status = 'retired' WHERE id = ? AND status = 'complete'");
    this.dropSourcesBlob = db.prepare('UPDATE checkpoint SET sources = NULL WHERE id = ?');
  }
}

/** True for SQLite's "this is not a (sound) database" errors. */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export interface OpenedCheckpointDatabase {
  readonly db: Database.Database;
  /** What was wrong with the file found there, if anything. */
  readonly problems: readonly string[];
}

/** Open (creating if needed) `checkpoints.db` under `dataDir`; a corrupt file is moved aside. */
export function openCheckpointDatabase(dataDir: string, synchronous: SynchronousLevel): OpenedCheckpointDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, CHECKPOINT_DB_FILE_NAME);
  try {
    return { db: openFile(file, synchronous), problems: [] };
  } catch (e) {
    if (!isCorruptionError(e)) throw e;
    const aside = `${file}.damaged-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
    const problem = `${file} was not a sound SQLite database (${(e as Error).message}); moved to ${aside}, starting without checkpoints`;
    return { db: openFile(file, synchronous), problems: [problem] };
  }
}

function openFile(file: string, synchronous: SynchronousLevel): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    checkLayout(db);
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${LAYOUT_VERSION}`);
    })();
    return db;
  } catch (e) {
    if (db.open) db.close();
    throw e;
  }
}

/** Refuses a file written in another layout; it is never guessed at. */
function checkLayout(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === LAYOUT_VERSION) return;
  const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint'").get() !== undefined;
  if (version === 0 && !hasTables) return;
  throw new SqlError(
    SQLSTATE.objectNotInPrerequisiteState,
    `checkpoint file ${db.name} has layout ${version}, this Freshet reads layout ${LAYOUT_VERSION}: move it away to start without checkpoints`,
  );
}
