/**
 * The SQLite file behind the durable store: opening it (WAL, chosen synchronous level), its schema
 * and the prepared statements the store reuses. It owns SQL text only; the store decides what to write.
 *   catalog        one row: the CatalogSnapshot as JSON
 *   relation_meta  per relation: kind, next hidden row id, next log offset
 *   relation_log   per relation: offset -> (op, encoded row), the replayable changelog
 *   relation_state per table: key -> encoded row, the current rows
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SynchronousLevel = 'full' | 'normal';

export const DB_FILE_NAME = 'freshet.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS catalog (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_meta (
  rel INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  next_row_id INTEGER NOT NULL,
  end_offset INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_log (
  rel INTEGER NOT NULL,
  off INTEGER NOT NULL,
  op INTEGER NOT NULL,
  row BLOB NOT NULL,
  PRIMARY KEY (rel, off)
) WITHOUT ROWID;
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
}

export interface LogRow {
  off: number;
  op: number;
  row: Buffer;
}

export interface StateRow {
  rel: number;
  key: string;
  row: Buffer;
}

/** Prepared statements, created once per open database. */
export class StoreStatements {
  readonly loadCatalog: Database.Statement<[], { snapshot: string }>;
  readonly saveCatalog: Database.Statement<[string]>;
  readonly allMeta: Database.Statement<[], MetaRow>;
  readonly allState: Database.Statement<[], StateRow>;
  readonly insertMeta: Database.Statement<[number, string]>;
  readonly updateMeta: Database.Statement<[number, number, number]>;
  readonly insertLog: Database.Statement<[number, number, number, Buffer]>;
  readonly upsertState: Database.Statement<[number, string, Buffer]>;
  readonly deleteState: Database.Statement<[number, string]>;
  readonly logPage: Database.Statement<[number, number, number, number], LogRow>;
  readonly dropMeta: Database.Statement<[number]>;
  readonly dropLog: Database.Statement<[number]>;
  readonly dropState: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.loadCatalog = db.prepare('SELECT snapshot FROM catalog WHERE id = 1');
    this.saveCatalog = db.prepare(
      'INSERT INTO catalog (id, snapshot) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot',
    );
    this.allMeta = db.prepare('SELECT rel, kind, next_row_id, end_offset FROM relation_meta');
    this.allState = db.prepare('SELECT rel, key, row FROM relation_state');
    this.insertMeta = db.prepare(
      'INSERT OR IGNORE INTO relation_meta (rel, kind, next_row_id, end_offset) VALUES (?, ?, 1, 0)',
    );
    /** (next_row_id, end_offset, rel) */
    this.updateMeta = db.prepare('UPDATE relation_meta SET next_row_id = ?, end_offset = ? WHERE rel = ?');
    this.insertLog = db.prepare('INSERT INTO relation_log (rel, off, op, row) VALUES (?, ?, ?, ?)');
    this.upsertState = db.prepare(
      'INSERT INTO relation_state (rel, key, row) VALUES (?, ?, ?) ON CONFLICT (rel, key) DO UPDATE SET row = excluded.row',
    );
    this.deleteState = db.prepare('DELETE FROM relation_state WHERE rel = ? AND key = ?');
    this.logPage = db.prepare(
      'SELECT off, op, row FROM relation_log WHERE rel = ? AND off >= ? AND off < ? ORDER BY off LIMIT ?',
    );
    this.dropMeta = db.prepare('DELETE FROM relation_meta WHERE rel = ?');
    this.dropLog = db.prepare('DELETE FROM relation_log WHERE rel = ?');
    this.dropState = db.prepare('DELETE FROM relation_state WHERE rel = ?');
  }
}

/** Open (creating if needed) the store's database under `dataDir`. */
export function openStoreDatabase(dataDir: string, synchronous: SynchronousLevel): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec(SCHEMA);
  return db;
}
