/**
 * Lazy folding of table rows into relation_state: a commit writes only its log batch; folds catch
 * relation_state up at a threshold and at close; open rebuilds rows as relation_state plus the log
 * after the folded offset. A "crash" before or during a fold is simulated by a fold probe that throws
 * (SQLite rolls the fold back, as it would after SIGKILL; crash.test.ts does the real kill).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { Store } from '../../server/storage/api.js';
import { decodeRow } from '../../server/storage/row-codec.js';
import { DB_FILE_NAME } from '../../server/storage/sqlite-schema.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../server/storage/sqlite-store.js';
import type { Row } from '../../server/types/datum.js';
import { EVENTS, ITEMS, TICKS } from './fixtures/relations.js';

const NEVER = Number.MAX_SAFE_INTEGER;
const crash = (): never => {
  throw new Error('simulated crash during a fold');
};

/** What the SQLite file says about a relation, read on a separate connection. */
function fileView(dir: string, oid: number): { end: number; folded: number; state: Map<string, Row> } {
  const db = new Database(path.join(dir, DB_FILE_NAME), { readonly: true });
  try {
    const meta = db.prepare('SELECT end_offset, folded_offset FROM relation_meta WHERE rel = ?').get(oid) as
      | { end_offset: number; folded_offset: number }
      | undefined;
    const state = new Map<string, Row>();
    for (const r of db.prepare('SELECT key, row FROM relation_state WHERE rel = ?').all(oid) as { key: string; row: Buffer }[]) {
      state.set(r.key, decodeRow(r.row));
    }
    return { end: meta?.end_offset ?? 0, folded: meta?.folded_offset ?? 0, state };
  } finally {
    db.close();
  }
}

function rowsOf(store: Store, rel = ITEMS): Row[] {
  const rows: Row[] = [];
  for (const chunk of store.scan(rel)) for (let i = 0; i < chunk.length; i++) rows.push(chunk.row(i));
  return rows.sort((a, b) => Number(a[0]) - Number(b[0]));
}

function logOf(store: Store, oid: number, from = 0): string[] {
  return Array.from(store.readLog(oid, from), (e) => `${e.offset} ${['+I', '-D', '-U', '+U'][e.op]} ${e.row.join(',')}`);
}

function putItems(store: Store, rows: Row[], deleteIds: number[] = []): void {
  const tx = store.begin();
  for (const row of rows) tx.put(ITEMS, store.keyOf(ITEMS, row), row);
  for (const id of deleteIds) tx.delete(ITEMS, store.keyOf(ITEMS, [id]));
  tx.commit();
}

const range = (n: number, f: (i: number) => Row): Row[] => Array.from({ length: n }, (_, i) => f(i));

describe('sqlite store: lazy fold of table rows', () => {
  let dir: string;
  let store: Store;

  const open = (opts: SqliteStoreOptions = {}): Store => (store = openSqliteStore(dir, opts));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-fold-'));
  });

  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('recovers committed rows from the log alone when no fold ever ran (crash between commit and fold)', () => {
    open({ foldThreshold: NEVER, foldProbe: crash });
    for (const rel of [ITEMS, EVENTS, TICKS]) store.createRelation(rel);
    putItems(store, range(10, (i) => [i, `v${i}`, 0]));
    putItems(store, [[5, 'five', 1], [11, 'eleven', 1]], [3, 7]);
    const tx = store.begin();
    const hidden = [tx.put(EVENTS, null, [1]), tx.put(EVENTS, null, [2])];
    tx.append(TICKS, [9]);
    tx.delete(EVENTS, hidden[0]!);
    tx.commit();
    const expected = { items: rowsOf(store), log: logOf(store, ITEMS.oid), events: rowsOf(store, EVENTS) };
    store.close(); // its fold "crashes": the file keeps only the log

    const file = fileView(dir, ITEMS.oid);
    assert.deepEqual([file.folded, file.end, file.state.size], [0, 15, 0]);
    open();
    assert.deepEqual(rowsOf(store), expected.items);
    assert.deepEqual(logOf(store, ITEMS.oid), expected.log);
    assert.deepEqual(logOf(store, ITEMS.oid, 11), expected.log.slice(11), 'read from inside a commit');
    assert.deepEqual(rowsOf(store, EVENTS), expected.events);
    assert.deepEqual(logOf(store, TICKS.oid), ['0 +I 9']);
    const after = store.begin();
    assert.ok(!hidden.includes(after.put(EVENTS, null, [3])), 'a hidden row id is not handed out twice');
    after.rollback();

    store.close(); // this time the fold at close succeeds
    const folded = fileView(dir, ITEMS.oid);
    assert.deepEqual([folded.folded, folded.end], [15, 15]);
    assert.deepEqual([...folded.state.values()].sort((a, b) => Number(a[0]) - Number(b[0])), expected.items);
    open();
    assert.deepEqual(rowsOf(store), expected.items);
  });

  it('starts a pass at the threshold and writes it with the next commit', () => {
    open({ foldThreshold: 10 });
    store.createRelation(ITEMS);
    putItems(store, range(4, (i) => [i, 'a', 0]));
    putItems(store, range(4, (i) => [i + 4, 'a', 0]));
    putItems(store, range(4, (i) => [i, 'b', 1])); // 8 more entries (-U/+U): 16 >= 10, and >= 8 rows
    assert.deepEqual(fileView(dir, ITEMS.oid).folded, 0, 'a pass starts in memory only');
    putItems(store, [], [0]); // this commit carries the pass's slice: all 8 keys
    const file = fileView(dir, ITEMS.oid);
    assert.deepEqual([file.folded, file.end, file.state.size], [16, 17, 8]);
    assert.deepEqual(file.state.get(store.keyOf(ITEMS, [2])), [2, 'b', 1]);
    const expected = rowsOf(store);
    assert.equal(expected.length, 7);
    store.close();
    open();
    assert.deepEqual(rowsOf(store), expected);
  });

  it('spreads a long pass over several commits, and reopens right in the middle of it', () => {
    open({ foldThreshold: 100, foldSliceMinKeys: 256, foldProbe: (pass) => (pass > 1 ? crash() : undefined) });
    store.createRelation(ITEMS);
    putItems(store, range(1000, (i) => [i, 'a', i])); // a pass of 1000 keys starts
    const folded: number[] = [];
    const stateRows: number[] = [];
    for (let c = 0; c < 4; c++) {
      putItems(store, [[2000 + c, 'b', c]]); // each commit writes 256 + 2 keys of the pass
      const file = fileView(dir, ITEMS.oid);
      folded.push(file.folded);
      stateRows.push(file.state.size);
    }
    assert.deepEqual(folded, [0, 0, 0, 1000]);
    assert.deepEqual(stateRows, [258, 516, 774, 1000]);
    putItems(store, range(300, (i) => [i, 'c', -i]), [999]); // 601 entries: no new pass yet (1004 rows)
    const expected = rowsOf(store);
    store.close(); // its fold fails: the file keeps pass 1 and the log after it
    assert.equal(fileView(dir, ITEMS.oid).folded, 1000);
    open();
    assert.deepEqual(rowsOf(store), expected);
  });

  it('folds hundreds of inserts, updates and deletes (many rows per statement) to exactly the committed rows', () => {
    open({ foldThreshold: NEVER });
    store.createRelation(ITEMS);
    putItems(store, range(700, (i) => [i, 'a', i]));
    store.close();
    open({ foldThreshold: NEVER });
    putItems(
      store,
      range(300, (i) => [i * 2, 'b', -i]),
      Array.from({ length: 333 }, (_, i) => 100 + i * 2 + 1),
    );
    putItems(store, range(5, (i) => [1000 + i, 'c', 0]));
    const expected = rowsOf(store);
    store.close();
    const file = fileView(dir, ITEMS.oid);
    assert.equal(file.folded, file.end);
    assert.deepEqual([...file.state.values()].sort((a, b) => Number(a[0]) - Number(b[0])), expected);
    open();
    assert.deepEqual(rowsOf(store), expected);
  });

  it('writes a pass of several sorted runs (thousands of keys) to exactly the committed rows', () => {
    open({ foldThreshold: 100 });
    store.createRelation(ITEMS);
    putItems(store, range(5000, (i) => [(i * 7919) % 10_007, 'a', i])); // a pass of 5000 keys: 3 runs
    let commits = 0;
    while (fileView(dir, ITEMS.oid).folded === 0) {
      putItems(store, [[20_000 + commits, 'b', commits]]); // keys outside the pass
      commits++;
    }
    assert.ok(commits > 3, `a pass of 5000 keys took ${commits} commits`);
    const expected = rowsOf(store);
    const file = fileView(dir, ITEMS.oid);
    assert.equal(file.folded, 5000);
    assert.deepEqual([...file.state.values()].sort((a, b) => Number(a[0]) - Number(b[0])), expected.filter((r) => Number(r[0]) < 20_000));
    store.close();
    open();
    assert.deepEqual(rowsOf(store), expected);
  });

  it('rolls back a commit whose fold slice fails, whole; the next commit carries the slice again', () => {
    let armed = true;
    open({ foldThreshold: 10, foldProbe: (_pass, rows) => (armed && rows >= 3 ? crash() : undefined) });
    store.createRelation(ITEMS);
    putItems(store, range(12, (i) => [i, 'first', 0])); // pass 1 starts: 12 keys
    assert.throws(() => putItems(store, [[20, 'second', 1]]), /simulated crash/);
    assert.equal(store.endOffset(ITEMS.oid), 12);
    assert.equal(store.begin().get(ITEMS, store.keyOf(ITEMS, [20])), undefined);
    const file = fileView(dir, ITEMS.oid);
    assert.deepEqual([file.folded, file.end, file.state.size], [0, 12, 0], 'neither the log batch nor the slice remains');
    armed = false;
    putItems(store, [[20, 'second', 1]]);
    const after = fileView(dir, ITEMS.oid);
    assert.deepEqual([after.folded, after.end, after.state.size], [12, 13, 12]);
    const expected = rowsOf(store);
    store.close();
    open();
    assert.deepEqual(rowsOf(store), expected);
  });

  it('refuses a data file of another storage layout', () => {
    const db = new Database(path.join(dir, DB_FILE_NAME));
    db.exec('CREATE TABLE relation_meta (rel INTEGER PRIMARY KEY, kind TEXT NOT NULL, next_row_id INTEGER NOT NULL, end_offset INTEGER NOT NULL)');
    db.close();
    assert.throws(() => openSqliteStore(dir), /storage layout 0, this Freshet reads layout 2/);
    fs.rmSync(path.join(dir, DB_FILE_NAME));
    open();
  });

  it('always reopens to the committed rows, logs and offsets, whatever folds ran, failed or were cut short (property)', () => {
    type Write = { kind: 'put'; id: number; v: number } | { kind: 'del'; id: number } | { kind: 'event' } | { kind: 'tick' };
    const write: fc.Arbitrary<Write> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 12 }), v: fc.integer({ min: -5, max: 5 }) }),
      fc.record({ kind: fc.constant('del' as const), id: fc.integer({ min: 0, max: 12 }) }),
      fc.constant<Write>({ kind: 'event' }),
      fc.constant<Write>({ kind: 'tick' }),
    );
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('tx' as const), writes: fc.array(write, { maxLength: 8 }), commit: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), closeFoldFails: fc.boolean() }) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        (threshold, sliceKeys, failingWrites, steps) => {
          const caseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-fold-prop-'));
          let closeFails = false;
          let writes = 0;
          // The n-th state write of the case fails once for each n in failingWrites (its commit fails whole).
          const probe = (): void => {
            if (closeFails || failingWrites.includes(++writes)) crash();
          };
          let s = openSqliteStore(caseDir, { foldThreshold: threshold, foldSliceMinKeys: sliceKeys, foldProbe: probe });
          try {
            for (const rel of [ITEMS, EVENTS, TICKS]) s.createRelation(rel);
            const items = new Map<number, Row>();
            let events = 0;
            let ticks = 0;
            let itemsLog: string[] = [];
            const check = () => {
              assert.deepEqual(rowsOf(s), [...items.values()].sort((a, b) => Number(a[0]) - Number(b[0])));
              assert.deepEqual(logOf(s, ITEMS.oid), itemsLog);
              assert.equal(rowsOf(s, EVENTS).length, events);
              assert.equal(s.endOffset(TICKS.oid), ticks);
            };
            for (const st of steps) {
              if (st.kind === 'reopen') {
                closeFails = st.closeFoldFails;
                s.close();
                closeFails = false;
                s = openSqliteStore(caseDir, { foldThreshold: threshold, foldSliceMinKeys: sliceKeys, foldProbe: probe });
                check();
                continue;
              }
              const tx = s.begin();
              const mine = new Map(items);
              const log: string[] = [];
              let offset = itemsLog.length;
              let ev = 0;
              let tk = 0;
              for (const w of st.writes) {
                if (w.kind === 'put') {
                  const row: Row = [w.id, `v${w.v}`, w.v];
                  const old = mine.get(w.id);
                  tx.put(ITEMS, s.keyOf(ITEMS, row), row);
                  if (old === undefined) log.push(`${offset++} +I ${row.join(',')}`);
                  else log.push(`${offset++} -U ${old.join(',')}`, `${offset++} +U ${row.join(',')}`);
                  mine.set(w.id, row);
                } else if (w.kind === 'del') {
                  const old = mine.get(w.id);
                  tx.delete(ITEMS, s.keyOf(ITEMS, [w.id]));
                  if (old !== undefined) log.push(`${offset++} -D ${old.join(',')}`);
                  mine.delete(w.id);
                } else if (w.kind === 'event') {
                  tx.put(EVENTS, null, [ev++]);
                } else {
                  tx.append(TICKS, [tk++]);
                }
              }
              if (!st.commit) {
                tx.rollback();
                continue;
              }
              try {
                tx.commit();
              } catch (err) {
                assert.match(String(err), /simulated crash/);
                check();
                continue;
              }
              items.clear();
              for (const [k, v] of mine) items.set(k, v);
              itemsLog = [...itemsLog, ...log];
              events += ev;
              ticks += tk;
              check();
            }
            s.close();
            s = openSqliteStore(caseDir);
            check();
          } finally {
            s.close();
            fs.rmSync(caseDir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 100 },
    );
    open(); // for afterEach
  });
});
