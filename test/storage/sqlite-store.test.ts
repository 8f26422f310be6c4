/**
 * The SQLite store: changelog ops, transaction visibility and atomicity, first-committer-wins conflicts,
 * streams, chunked scans, drop, and restart (close + reopen restores catalog, rows, log and counters).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { Numeric, withScale } from '../../server/types/numeric.js';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import { SqlError } from '../../server/errors.js';
import type { Store } from '../../server/storage/api.js';
import { openSqliteStore } from '../../server/storage/sqlite-store.js';
import { Interval, type Datum, type Row } from '../../server/types/datum.js';
import { arrayOf, scalar, T } from '../../server/types/sql-type.js';
import { EVENTS, ITEMS, PAIRS, TICKS } from './fixtures/relations.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-store-'));
}

function rowsOf(store: Store, rel = ITEMS): Row[] {
  const rows: Row[] = [];
  for (const chunk of store.scan(rel)) for (let i = 0; i < chunk.length; i++) rows.push(chunk.row(i));
  return rows.sort((a, b) => Number(a[0]) - Number(b[0]));
}

function logOf(store: Store, oid: number, from = 0): string[] {
  return Array.from(store.readLog(oid, from), (e) => `${e.offset} ${['+I', '-D', '-U', '+U'][e.op]} ${e.row.join(',')}`);
}

function put(tx: ReturnType<Store['begin']>, store: Store, row: Row): string {
  return tx.put(ITEMS, store.keyOf(ITEMS, row), row);
}

describe('sqlite store', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore(dir);
    for (const rel of [ITEMS, EVENTS, TICKS, PAIRS]) store.createRelation(rel);
  });

  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function reopen(): void {
    store.close();
    store = openSqliteStore(dir);
  }

  it('logs +I for inserts, -U/+U for replaces and -D for deletes, with offsets', () => {
    const tx = store.begin();
    put(tx, store, [1, 'a', 0]);
    put(tx, store, [2, 'b', 0]);
    assert.deepEqual(tx.commit(), new Map([[ITEMS.oid, 2]]));
    const tx2 = store.begin();
    put(tx2, store, [1, 'a2', 1]);
    assert.deepEqual(tx2.delete(ITEMS, store.keyOf(ITEMS, [2])), [2, 'b', 0]);
    assert.equal(tx2.delete(ITEMS, store.keyOf(ITEMS, [3])), undefined);
    assert.deepEqual(tx2.commit(), new Map([[ITEMS.oid, 5]]));
    assert.deepEqual(logOf(store, ITEMS.oid), ['0 +I 1,a,0', '1 +I 2,b,0', '2 -U 1,a,0', '3 +U 1,a2,1', '4 -D 2,b,0']);
    assert.deepEqual(logOf(store, ITEMS.oid, 3), ['3 +U 1,a2,1', '4 -D 2,b,0']);
    assert.equal(store.endOffset(ITEMS.oid), 5);
    assert.deepEqual(rowsOf(store), [[1, 'a2', 1]]);
  });

  it('shows a transaction its own writes and nobody else', () => {
    const seed = store.begin();
    put(seed, store, [1, 'committed', 0]);
    seed.commit();
    const tx = store.begin();
    const other = store.begin();
    put(tx, store, [2, 'mine', 1]);
    tx.delete(ITEMS, store.keyOf(ITEMS, [1]));
    assert.deepEqual(tx.get(ITEMS, store.keyOf(ITEMS, [2])), [2, 'mine', 1]);
    assert.equal(tx.get(ITEMS, store.keyOf(ITEMS, [1])), undefined);
    assert.deepEqual(Array.from(tx.scan(ITEMS), (k) => k.row), [[2, 'mine', 1]]);
    assert.equal(other.get(ITEMS, store.keyOf(ITEMS, [2])), undefined);
    assert.deepEqual(other.get(ITEMS, store.keyOf(ITEMS, [1])), [1, 'committed', 0]);
    assert.deepEqual(rowsOf(store), [[1, 'committed', 0]]);
    assert.equal(store.endOffset(ITEMS.oid), 1);
    tx.commit();
    assert.deepEqual(other.get(ITEMS, store.keyOf(ITEMS, [2])), [2, 'mine', 1]);
    assert.deepEqual(rowsOf(store), [[2, 'mine', 1]]);
    other.rollback();
  });

  it('leaves nothing after a rollback, also after a restart', () => {
    const tx = store.begin();
    put(tx, store, [1, 'x', 0]);
    tx.append(TICKS, [1]);
    tx.rollback();
    assert.deepEqual(rowsOf(store), []);
    assert.equal(store.endOffset(ITEMS.oid), 0);
    assert.equal(store.endOffset(TICKS.oid), 0);
    reopen();
    assert.deepEqual(rowsOf(store), []);
    assert.deepEqual(logOf(store, TICKS.oid), []);
    assert.throws(() => tx.commit(), (e: unknown) => e instanceof SqlError && e.code === '25000');
  });

  it('leaves nothing after a commit that fails part-way through writing', () => {
    const seed = store.begin();
    put(seed, store, [1, 'keep', 0]);
    seed.commit();
    const tx = store.begin();
    put(tx, store, [2, 'two', 1]);
    put(tx, store, [1, 'changed', 1]);
    tx.append(TICKS, [7]);
    put(tx, store, [3, { notADatum: true } as unknown as Datum, 1]); // fails to encode, after earlier rows were written
    assert.throws(() => tx.commit(), TypeError);
    const check = () => {
      assert.deepEqual(rowsOf(store), [[1, 'keep', 0]]);
      assert.deepEqual(logOf(store, ITEMS.oid), ['0 +I 1,keep,0']);
      assert.deepEqual(logOf(store, TICKS.oid), []);
      assert.equal(store.endOffset(TICKS.oid), 0);
    };
    check();
    reopen();
    check();
    const after = store.begin();
    put(after, store, [2, 'two', 2]);
    assert.deepEqual(after.commit(), new Map([[ITEMS.oid, 2]]));
  });

  it('fails the later committer of a conflicting key with 40001 and keeps none of its writes', () => {
    const t1 = store.begin();
    const t2 = store.begin();
    put(t1, store, [1, 'first', 1]);
    put(t2, store, [5, 'other', 2]);
    put(t2, store, [1, 'second', 2]);
    t2.append(TICKS, [2]);
    t1.commit();
    assert.throws(() => t2.commit(), (e: unknown) => e instanceof SqlError && e.code === '40001');
    assert.deepEqual(rowsOf(store), [[1, 'first', 1]]);
    assert.equal(store.endOffset(TICKS.oid), 0);
    // Disjoint keys commit, and a transaction begun after the commit does not conflict.
    const t3 = store.begin();
    const t4 = store.begin();
    put(t3, store, [2, 'two', 3]);
    put(t4, store, [3, 'three', 4]);
    t3.commit();
    t4.commit();
    const t5 = store.begin();
    put(t5, store, [1, 'later', 5]);
    t5.commit();
    assert.deepEqual(rowsOf(store), [[1, 'later', 5], [2, 'two', 3], [3, 'three', 4]]);
  });

  it('counts a delete as a conflicting write too', () => {
    const seed = store.begin();
    put(seed, store, [1, 'a', 0]);
    seed.commit();
    const t1 = store.begin();
    const t2 = store.begin();
    t1.delete(ITEMS, store.keyOf(ITEMS, [1]));
    put(t2, store, [1, 'b', 2]);
    t2.commit();
    assert.throws(() => t1.commit(), (e: unknown) => e instanceof SqlError && e.code === '40001');
    assert.deepEqual(rowsOf(store), [[1, 'b', 2]]);
  });

  it('appends to streams and scans their log in offset order; tables reject appends', () => {
    for (let i = 0; i < 3; i++) {
      const tx = store.begin();
      tx.append(TICKS, [i * 2]);
      tx.append(TICKS, [i * 2 + 1]);
      assert.deepEqual(tx.commit(), new Map([[TICKS.oid, i * 2 + 2]]));
    }
    const chunks = Array.from(store.scan(TICKS, 4));
    assert.deepEqual(chunks.map((c) => c.length), [4, 2]);
    assert.ok(chunks.every((c) => c.isInsertOnly()));
    assert.deepEqual(chunks.flatMap((c) => c.columns[0]), [0, 1, 2, 3, 4, 5]);
    const tx = store.begin();
    tx.append(TICKS, [6]);
    assert.deepEqual(Array.from(tx.scan(TICKS), (k) => `${k.key}:${String(k.row[0])}`), ['0:0', '1:1', '2:2', '3:3', '4:4', '5:5', '6:6']);
    assert.throws(() => tx.put(TICKS, null, [1]), SqlError);
    assert.throws(() => tx.append(ITEMS, [1, 'x', 1]), SqlError);
    tx.rollback();
  });

  it('scans a table in chunks of the requested size', () => {
    const tx = store.begin();
    for (let i = 0; i < 2500; i++) put(tx, store, [i, `v${i}`, 0]);
    tx.commit();
    const chunks = Array.from(store.scan(ITEMS, 1000));
    assert.deepEqual(chunks.map((c) => c.length), [1000, 1000, 500]);
    assert.equal(rowsOf(store).length, 2500);
  });

  it('keys composite primary keys and treats equal numbers of other kinds as the same key', () => {
    const tx = store.begin();
    const key = tx.put(PAIRS, store.keyOf(PAIRS, ['a', 1n, 'one']), ['a', 1n, 'one']);
    assert.equal(store.keyOf(PAIRS, ['a', 1, null]), key);
    assert.equal(store.keyOf(PAIRS, ['a', new Decimal('1.00'), null]), key);
    assert.notEqual(store.keyOf(PAIRS, ['a|', 1n, null]), store.keyOf(PAIRS, ['a', 1n, null]));
    assert.throws(() => store.keyOf(EVENTS, [1]));
    tx.commit();
  });

  it('restores catalog, rows, logs, end offsets and hidden row ids after a restart', () => {
    const snapshot = { relations: [ITEMS, EVENTS, TICKS, PAIRS], nextOid: 16400 };
    assert.equal(store.loadCatalog(), null);
    store.saveCatalog(snapshot);
    const tx = store.begin();
    const rich: Row = [7, 'ünïcödé', 1];
    put(tx, store, rich);
    put(tx, store, [8, null, 1]);
    const k1 = tx.put(EVENTS, null, [1]);
    const k2 = tx.put(EVENTS, null, [2]);
    tx.append(TICKS, [1]);
    tx.put(PAIRS, store.keyOf(PAIRS, ['x', 2n ** 62n, 'n']), ['x', 2n ** 62n, 'n']);
    tx.commit();
    const tx2 = store.begin();
    tx2.delete(ITEMS, store.keyOf(ITEMS, [8]));
    tx2.commit();
    const before = {
      items: rowsOf(store),
      itemsLog: logOf(store, ITEMS.oid),
      events: rowsOf(store, EVENTS),
      ticks: logOf(store, TICKS.oid),
      pairs: rowsOf(store, PAIRS),
    };
    reopen();
    const loaded = store.loadCatalog()!;
    assert.deepEqual(loaded, snapshot);
    assert.equal(loaded.relations[0]!.columns[0]!.type, T.int4, 'types come back as the shared instances');
    assert.ok(Object.isFrozen(loaded.relations[3]!.columns[1]!.type));
    assert.deepEqual(rowsOf(store), before.items);
    assert.deepEqual(logOf(store, ITEMS.oid), before.itemsLog);
    assert.deepEqual(rowsOf(store, EVENTS), before.events);
    assert.deepEqual(logOf(store, TICKS.oid), before.ticks);
    assert.deepEqual(rowsOf(store, PAIRS), before.pairs);
    assert.equal(store.endOffset(ITEMS.oid), 3);
    assert.equal(store.endOffset(TICKS.oid), 1);
    const tx3 = store.begin();
    const k3 = tx3.put(EVENTS, null, [3]);
    assert.ok(![k1, k2].includes(k3), `hidden row id ${k3} reused`);
    assert.deepEqual(tx3.get(PAIRS, store.keyOf(PAIRS, ['x', 2n ** 62n, null])), ['x', 2n ** 62n, 'n']);
    tx3.commit();
  });

  it('round-trips catalog types with modifiers and arrays', () => {
    const varchar10 = scalar('varchar', 14);
    const rel = { ...ITEMS, columns: [{ name: 'tags', type: arrayOf(varchar10), notNull: true, attnum: 1, defaultSql: "'{}'" }] };
    store.saveCatalog({ relations: [rel], nextOid: 16385 });
    reopen();
    const type = store.loadCatalog()!.relations[0]!.columns[0]!.type;
    assert.deepEqual(type, arrayOf(varchar10));
    assert.equal(type.element?.typmod, 14);
    assert.equal(store.loadCatalog()!.relations[0]!.columns[0]!.defaultSql, "'{}'");
  });

  it('persists every datum kind in table state and log', () => {
    const wide = { ...ITEMS, oid: 16390, name: 'wide', primaryKey: [0] };
    store.createRelation(wide);
    const row: Row = [1, [1n, null, [new Uint8Array([0, 255])]], new Interval(1, -2, 3.5e12), -0, NaN, withScale(new Numeric('-12.345'), 3)];
    const tx = store.begin();
    tx.put(wide, store.keyOf(wide, row), row);
    tx.commit();
    reopen();
    assert.deepStrictEqual(store.begin().get(wide, store.keyOf(wide, [1])), row);
    assert.deepStrictEqual(Array.from(store.readLog(wide.oid, 0))[0]!.row, row);
  });

  it('drops a relation durably', () => {
    const tx = store.begin();
    put(tx, store, [1, 'x', 0]);
    tx.append(TICKS, [1]);
    tx.commit();
    const pending = store.begin();
    put(pending, store, [2, 'y', 0]);
    store.dropRelation(ITEMS.oid);
    assert.throws(() => pending.commit(), (e: unknown) => e instanceof SqlError && e.code === '42P01');
    assert.deepEqual(rowsOf(store), []);
    assert.equal(store.endOffset(ITEMS.oid), 0);
    reopen();
    assert.deepEqual(rowsOf(store), []);
    assert.deepEqual(logOf(store, ITEMS.oid), []);
    assert.deepEqual(logOf(store, TICKS.oid), ['0 +I 1']);
    store.createRelation(ITEMS);
    const again = store.begin();
    put(again, store, [1, 'new', 1]);
    assert.deepEqual(again.commit(), new Map([[ITEMS.oid, 1]]));
  });

  it('returns changelog ops as Op values', () => {
    const tx = store.begin();
    put(tx, store, [1, 'a', 0]);
    tx.commit();
    assert.equal(Array.from(store.readLog(ITEMS.oid, 0))[0]!.op, Op.Insert);
  });
});
