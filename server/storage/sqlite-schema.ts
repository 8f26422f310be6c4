/**
 * The SQLite file behind the durable store: opening it (WAL, chosen synchronous level), its schema
 * and the prepared statements the store reuses. It owns SQL text only; the store decides what to write.
 *   catalog        one row: the CatalogSnapshot as JSON
 *   relation_meta  per relation: kind, next hidden row id, next log offset, folded offset
 *   relation_log   per relation and commit: first offset -> (entry count, log batch blob), the
 *                  replayable changelog (log-batch.ts); the source of truth for a table's rows
 *   query_progress per derived stream: the input positions its appended output covers (written in
 *                  the same transaction as that output, so recovery knows what was already emitted)
 *   relation_state per table: key -> encoded row, the current rows as of the folded offset; the rows
 *                  are the state plus the log entries from there on (state-fold.ts)
 * The layout is stamped in `PRAGMA user_version`; a file of another layout is refused, never guessed at.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLSTATE, SqlError } from '../errors.js';

export type SynchronousLevel = 'full' | 'normal';

export const DB_FILE_NAME = 'freshet.db';

/** `PRAGMA user_version` of this layout. 0 is a new file, or (with tables) the per-entry log of before. */
const LAYOUT_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS catalog (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_meta (
  rel INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  next_row_id INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  folded_offset INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_log (
  rel INTEGER NOT NULL,
  off INTEGER NOT NULL,
  n INTEGER NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY (rel, off)
);
CREATE TABLE IF NOT EXISTS query_progress (
  query INTEGER PRIMARY KEY,
  progress TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_state (
  rel INTEGER NOT NULL,
  key TEXT NOT NULL,
  row BLOB NOT NULL,
  PRIMARY KEY (rel, key)
) WITHOUT ROWID;
`;

export interface MetaRow {
  rel: number;
  kind: string;
  next_row_id: number;
  end_offset: number;
  folded_offset: number;
}

/** One commit's log entries of one relation: offsets `off` .. `off + n - 1`. */
export interface LogBatchRow {
  off: number;
  n: number;
  entries: Buffer;
}

export interface StateRow {
  rel: number;
  key: string;
  row: Buffer;
}

/** Rows written by one execution of `upsertStateMany` / `deleteStateMany`. */
export const STATE_ROWS_PER_STATEMENT = 128;

/** Prepared statements, created once per open database. */
export class StoreStatements {
  readonly loadCatalog: Database.Statement<[], { snapshot: string }>;
  readonly saveCatalog: Database.Statement<[string]>;
  readonly allMeta: Database.Statement<[], MetaRow>;
  readonly allState: Database.Statement<[], StateRow>;
  readonly insertMeta: Database.Statement<[number, string]>;
  readonly updateMeta: Database.Statement<[number, number, number]>;
  readonly updateFolded: Database.Statement<[number, number]>;
  readonly insertLog: Database.Statement<[number, number, number, Buffer]>;
  readonly upsertState: Database.Statement<[number, string, Buffer]>;
  readonly deleteState: Database.Statement<[number, string]>;
  /** (rel, key, row) x STATE_ROWS_PER_STATEMENT, flattened. */
  readonly upsertStateMany: Database.Statement<unknown[]>;
  /** rel, then STATE_ROWS_PER_STATEMENT keys. */
  readonly deleteStateMany: Database.Statement<unknown[]>;
  readonly logBatchStart: Database.Statement<[number, number], { off: number }>;
  readonly logPage: Database.Statement<[number, number, number, number], LogBatchRow>;
  readonly dropMeta: Database.Statement<[number]>;
  readonly dropLog: Database.Statement<[number]>;
  readonly dropState: Database.Statement<[number]>;
  readonly upsertProgress: Database.Statement<[number, string]>;
  readonly readProgress: Database.Statement<[number], { progress: string }>;
  readonly dropProgress: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.loadCatalog = db.prepare('SELECT snapshot FROM catalog WHERE id = 1');
    this.saveCatalog = db.prepare(
      'INSERT INTO catalog (id, snapshot) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot',
    );
    this.allMeta = db.prepare('SELECT rel, kind, next_row_id, end_offset, folded_offset FROM relation_meta');
    this.allState = db.prepare('SELECT rel, key, row FROM relation_state');
    this.insertMeta = db.prepare(
      'INSERT OR IGNORE INTO relation_meta (rel, kind, next_row_id, end_offset, folded_offset) VALUES (?, ?, 1, 0, 0)',
    );
    /** (next_row_id, end_offset, rel) */
    this.updateMeta = db.prepare('UPDATE relation_meta SET next_row_id = ?, end_offset = ? WHERE rel = ?');
    /** (folded_offset, rel) */
    this.updateFolded = db.prepare('UPDATE relation_meta SET folded_offset = ? WHERE rel = ?');
    /** (rel, off, n, entries) */
    this.insertLog = db.prepare('INSERT INTO relation_log (rel, off, n, entries) VALUES (?, ?, ?, ?)');
    this.upsertState = db.prepare(
      'INSERT INTO relation_state (rel, key, row) VALUES (?, ?, ?) ON CONFLICT (rel, key) DO UPDATE SET row = excluded.row',
    );
    this.deleteState = db.prepare('DELETE FROM relation_state WHERE rel = ? AND key = ?');
    this.upsertStateMany = db.prepare(
      `INSERT INTO relation_state (rel, key, row) VALUES ${Array(STATE_ROWS_PER_STATEMENT).fill('(?, ?, ?)').join(', ')} ` +
        'ON CONFLICT (rel, key) DO UPDATE SET row = excluded.row',
    );
    this.deleteStateMany = db.prepare(
      `DELETE FROM relation_state WHERE rel = ? AND key IN (${Array(STATE_ROWS_PER_STATEMENT).fill('?').join(', ')})`,
    );
    /** The first offset of the batch holding offset ? (rel, offset). */
    this.logBatchStart = db.prepare('SELECT off FROM relation_log WHERE rel = ? AND off <= ? ORDER BY off DESC LIMIT 1');
    /** Batches starting in [from, end), in offset order: (rel, from, end, limit). */
    this.logPage = db.prepare(
      'SELECT off, n, entries FROM relation_log WHERE rel = ? AND off >= ? AND off < ? ORDER BY off LIMIT ?',
    );
    this.dropMeta = db.prepare('DELETE FROM relation_meta WHERE rel = ?');
    this.dropLog = db.prepare('DELETE FROM relation_log WHERE rel = ?');
    this.dropState = db.prepare('DELETE FROM relation_state WHERE rel = ?');
    this.upsertProgress = db.prepare(
      'INSERT INTO query_progress (query, progress) VALUES (?, ?) ON CONFLICT (query) DO UPDATE SET progress = excluded.progress',
    );
    this.readProgress = db.prepare('SELECT progress FROM query_progress WHERE query = ?');
    this.dropProgress = db.prepare('DELETE FROM query_progress WHERE query = ?');
  }
}

/** Open (creating if needed) the store's database under `dataDir`. */
export function openStoreDatabase(dataDir: string, synchronous: SynchronousLevel): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  checkLayout(db);
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`user_version = ${LAYOUT_VERSION}`);
  })();
  return db;
}

/** Refuses a file written in another layout (an older Freshet's per-entry log, or a newer one). */
function checkLayout(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === LAYOUT_VERSION) return;
  const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relation_meta'").get() !== undefined;
  if (version === 0 && !hasTables) return;
  const file = db.name;
  db.close();
  throw new SqlError(
    SQLSTATE.objectNotInPrerequisiteState,
    `data file ${file} has storage layout ${version}, this Freshet reads layout ${LAYOUT_VERSION}: start on an empty data dir`,
  );
}
