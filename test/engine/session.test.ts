/**
 * The engine without the wire: sessions run statements against a store in a temp dir, covering
 * transaction blocks, failed blocks, cross-session visibility, and catalog/data surviving a reopen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { failsWith, rows, run } from './engine-harness.js';

describe('engine sessions', () => {
  let dir: string;
  let engine: FreshetEngine;
  const open = (e: FreshetEngine) => e.openSession({ user: 'freshet', database: 'freshet', parameters: {} });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'freshet-engine-'));
    engine = await FreshetEngine.open(dir);
  });
  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a transaction block private until COMMIT, and ROLLBACK discards it', async () => {
    const a = open(engine);
    const b = open(engine);
    await run(a, 'CREATE TABLE t (id int PRIMARY KEY, v text)');
    await run(a, "BEGIN; INSERT INTO t VALUES (1, 'x')");
    assert.equal(a.transactionStatus(), 'T');
    assert.deepEqual(await rows(a, 'SELECT id, v FROM t'), [[1, 'x']]);
    assert.deepEqual(await rows(b, 'SELECT id, v FROM t'), []);
    await run(a, 'COMMIT');
    assert.deepEqual(await rows(b, 'SELECT id, v FROM t'), [[1, 'x']]);
    await run(a, "BEGIN; UPDATE t SET v = 'y' WHERE id = 1; ROLLBACK");
    assert.deepEqual(await rows(b, 'SELECT v FROM t'), [['x']]);
    assert.equal(a.transactionStatus(), 'I');
  });

  it('fails a block after an error and ignores commands until it ends; COMMIT then rolls back', async () => {
    const a = open(engine);
    await run(a, 'CREATE TABLE t (id int PRIMARY KEY)');
    await run(a, 'BEGIN; INSERT INTO t VALUES (1)');
    await failsWith(a, 'INSERT INTO t VALUES (1)', '23505');
    assert.equal(a.transactionStatus(), 'E');
    await failsWith(a, 'SELECT 1', '25P02');
    const [commit] = await run(a, 'COMMIT');
    assert.equal(commit!.tag, 'ROLLBACK');
    assert.deepEqual(await rows(a, 'SELECT count(*) FROM t'), [[0n]]);
  });

  it('makes a failed autocommit statement leave nothing behind', async () => {
    const a = open(engine);
    await run(a, 'CREATE TABLE t (id int PRIMARY KEY)');
    await failsWith(a, 'INSERT INTO t VALUES (1), (2), (1)', '23505');
    assert.deepEqual(await rows(a, 'SELECT count(*) FROM t'), [[0n]]);
  });

  it('rejects UPDATE and DELETE on a stream and keeps its rows in arrival order', async () => {
    const a = open(engine);
    await run(a, 'CREATE STREAM s (k int, v text)');
    await run(a, "INSERT INTO s VALUES (2, 'b'), (1, 'a'); INSERT INTO s VALUES (2, 'c')");
    await failsWith(a, 'UPDATE s SET v = NULL', '42809');
    await failsWith(a, 'DELETE FROM s', '42809');
    assert.deepEqual(await rows(a, 'SELECT k, v FROM s'), [[2, 'b'], [1, 'a'], [2, 'c']]);
  });

  it('brings back the catalog and every committed row after a reopen', async () => {
    const a = open(engine);
    await run(a, "CREATE TABLE t (id int PRIMARY KEY, v text DEFAULT 'd'); CREATE STREAM s (x bigint)");
    await run(a, "INSERT INTO t (id) VALUES (1); INSERT INTO t VALUES (2, 'two'); INSERT INTO s VALUES (10), (20)");
    await run(a, 'ALTER TABLE t RENAME TO t2');
    await engine.close();
    engine = await FreshetEngine.open(dir);
    const b = open(engine);
    assert.deepEqual(await rows(b, 'SELECT id, v FROM t2 ORDER BY id'), [[1, 'd'], [2, 'two']]);
    assert.deepEqual(await rows(b, 'SELECT x FROM s'), [[10n], [20n]]);
    await failsWith(b, 'SELECT * FROM t', '42P01');
  });
});
