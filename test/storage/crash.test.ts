/**
 * A real crash: a child process commits multi-relation transactions through the compiled store and
 * prints each acknowledged one; after N acknowledgements it is killed with SIGKILL. Reopening the store
 * must show every acknowledged transaction, whole, and no partial one. Two rounds: the second writer
 * resumes on the recovered store, so recovery followed by more writes is covered too.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import type { Store } from '../../server/storage/api.js';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../../server/storage/sqlite-schema.js';
import { openSqliteStore } from '../../server/storage/sqlite-store.js';
import type { Row } from '../../server/types/datum.js';
import { COUNTER_ID, ROWS_PER_TX } from './fixtures/crash-constants.js';
import { EVENTS, ITEMS, TICKS } from './fixtures/relations.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));
const ACKS_BEFORE_KILL = 150;
const TIMEOUT_MS = 45_000;

/**
 * Run the writer until it has acknowledged `acks` more transactions, SIGKILL it; returns the last ack.
 * `acks` Infinity: the writer is expected to SIGKILL itself (--die-in-fold).
 */
function runAndKill(dataDir: string, acks: number, flags: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dataDir, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let lastAck = -1;
    let pending = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer acknowledged only ${seen} transactions in ${TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, TIMEOUT_MS);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (m === null) continue;
        lastAck = Number(m[1]);
        if (++seen >= acks && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const diedAsPlanned = acks === Infinity && signal === 'SIGKILL';
      if (!killed && !diedAsPlanned) reject(new Error(`writer exited on its own (code ${code}, signal ${signal}): ${stderr}`));
      else resolve(lastAck);
    });
  });
}

/** Check the recovered store; returns the last committed transaction number. */
function checkRecovered(store: Store, lastAck: number): number {
  const byTx = new Map<number, Row[]>();
  let counter: Row | undefined;
  for (const chunk of store.scan(ITEMS)) {
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      if (row[0] === COUNTER_ID) counter = row;
      else byTx.set(row[2] as number, [...(byTx.get(row[2] as number) ?? []), row]);
    }
  }
  const last = Math.max(...byTx.keys());
  assert.ok(last >= lastAck, `acknowledged transaction ${lastAck} lost (last recovered ${last})`);
  assert.ok(last <= lastAck + 1, `recovered ${last} but only ${lastAck} was ever acknowledged`);
  for (let t = 0; t <= last; t++) {
    const rows = byTx.get(t) ?? [];
    assert.equal(rows.length, ROWS_PER_TX, `transaction ${t} has ${rows.length} of ${ROWS_PER_TX} rows`);
    for (const r of rows) assert.equal(r[1], `row ${t}.${(r[0] as number) - t * ROWS_PER_TX}`);
  }
  assert.equal(byTx.size, last + 1);
  assert.deepEqual(counter, [COUNTER_ID, String(last), last]);

  // Table log: per transaction ROWS_PER_TX inserts and the counter's +I (first) or -U/+U.
  const txCount = last + 1;
  assert.equal(store.endOffset(ITEMS.oid), txCount * ROWS_PER_TX + 1 + 2 * (txCount - 1));
  const ops = Array.from(store.readLog(ITEMS.oid, 0), (e) => e.op);
  assert.equal(ops.length, store.endOffset(ITEMS.oid));
  assert.equal(ops.filter((o) => o === Op.UpdateBefore).length, txCount - 1);

  // Stream log and the keyless table agree with the committed transactions.
  assert.deepEqual(Array.from(store.readLog(TICKS.oid, 0), (e) => e.row[0]), Array.from({ length: txCount }, (_, i) => i));
  const events = Array.from(store.begin().scan(EVENTS));
  assert.equal(events.length, txCount);
  assert.equal(new Set(events.map((e) => e.key)).size, txCount);
  return last;
}

describe('sqlite store crash recovery (SIGKILL)', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-crash-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged transaction whole, and nothing partial, across two kills', async () => {
    let expectedFirst = 0;
    for (let round = 0; round < 2; round++) {
      const lastAck = await runAndKill(dir, ACKS_BEFORE_KILL);
      assert.ok(lastAck >= expectedFirst + ACKS_BEFORE_KILL - 1);
      const store = openSqliteStore(dir);
      try {
        assert.equal(store.loadCatalog()?.relations.length, 3);
        const last = checkRecovered(store, lastAck);
        // A hidden row id handed out after recovery is new.
        const tx = store.begin();
        const keys = new Set(Array.from(tx.scan(EVENTS), (e) => e.key));
        assert.ok(!keys.has(tx.put(EVENTS, null, [-1])));
        tx.rollback();
        expectedFirst = last + 1;
      } finally {
        store.close();
      }
    }
  });
});

/** folded_offset and end_offset of a relation, read from the file on a separate connection. */
function offsetsInFile(dataDir: string, oid: number): { folded: number; end: number; stateRows: number } {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  try {
    const m = db.prepare('SELECT folded_offset AS folded, end_offset AS "end" FROM relation_meta WHERE rel = ?').get(oid) as { folded: number; end: number };
    const n = db.prepare('SELECT count(*) AS n FROM relation_state WHERE rel = ?').get(oid) as { n: number };
    return { ...m, stateRows: n.n };
  } finally {
    db.close();
  }
}

describe('sqlite store crash recovery around folds (SIGKILL)', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-crash-fold-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rebuilds every acknowledged transaction from the log when killed before any fold', async () => {
    const lastAck = await runAndKill(dir, 60, ['--fold-threshold', '1000000000']);
    const file = offsetsInFile(dir, ITEMS.oid);
    assert.equal(file.folded, 0);
    assert.equal(file.stateRows, 0);
    assert.ok(file.end > 60 * ROWS_PER_TX);
    const store = openSqliteStore(dir);
    try {
      checkRecovered(store, lastAck);
    } finally {
      store.close();
    }
  });

  it('keeps every acknowledged transaction when killed in the middle of a fold pass, twice', async () => {
    // About 8 table log entries per transaction; a pass starts once they outnumber 100 and the rows
    // (~6 per transaction). Round 0: passes finish within one commit; round 1: slices of about 16 keys
    // spread each pass over several commits, and the kill comes in the middle of the second pass.
    const rounds = [
      ['--die-in-fold', '3:20'],
      ['--fold-slice-keys', '0', '--die-in-fold', '2:40'],
    ];
    for (const [round, flags] of rounds.entries()) {
      const lastAck = await runAndKill(dir, Infinity, ['--fold-threshold', '100', ...flags]);
      const file = offsetsInFile(dir, ITEMS.oid);
      assert.ok(file.folded > 0 && file.folded < file.end, `round ${round}: folded ${file.folded} of ${file.end}`);
      const store = openSqliteStore(dir, { foldThreshold: 100 });
      try {
        checkRecovered(store, lastAck);
      } finally {
        store.close();
      }
    }
  });
});
