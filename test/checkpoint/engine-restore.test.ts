/**
 * Checkpoint and restore in one process (issue 6): CHECKPOINT snapshots every running query (full the
 * first time, then only what changed), a reopened engine restores the queries from it and replays the
 * tables' logs from the saved offsets, so views equal their batch query; a derived stream's output is
 * never appended twice; a damaged newest checkpoint (bytes flipped, or a truncated blob) is detected,
 * reported and skipped for the one before it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { EngineSession } from '../../server/engine/api.js';
import { rows, run, sortedRows } from '../engine/engine-harness.js';

const VIEWS: Record<string, string> = {
  agg: 'SELECT g, count(*) AS n, sum(v) AS s, max(v) AS hi FROM a GROUP BY g',
  joined: 'SELECT a.id, b.w FROM a JOIN b ON a.g = b.g',
  padded: 'SELECT a.id AS aid, b.id AS bid FROM a LEFT JOIN b ON a.id = b.id',
  top2: 'SELECT id, v FROM a ORDER BY v DESC, id LIMIT 2',
  groups: 'SELECT DISTINCT g FROM b',
  plain: 'SELECT id, v * 2 AS v2 FROM a WHERE v > 3',
};

function session(engine: FreshetEngine): EngineSession {
  return engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
}

async function checkViews(s: EngineSession, label: string): Promise<void> {
  for (const [name, q] of Object.entries(VIEWS)) {
    assert.deepEqual(sortedRows(await rows(s, `SELECT * FROM ${name}`)), sortedRows(await rows(s, q)), `${label}: view ${name}`);
  }
}

async function setUp(s: EngineSession): Promise<void> {
  await run(s, 'CREATE TABLE a (id int PRIMARY KEY, g int, v int); CREATE TABLE b (id int PRIMARY KEY, g int, w int)');
  await run(s, 'INSERT INTO a VALUES (1, 1, 5), (2, 1, 7), (3, 2, 1), (4, 3, 9); INSERT INTO b VALUES (1, 1, 10), (2, 2, 20), (5, 3, 30)');
  // Rows that no later change touches: the incremental checkpoints must not write them again.
  await run(s, 'INSERT INTO a SELECT i, 10 + i % 7, i % 5 FROM generate_series(100, 299) AS i; INSERT INTO b SELECT i, 20 + i % 3, i FROM generate_series(100, 149) AS i');
  for (const [name, q] of Object.entries(VIEWS)) await run(s, `CREATE MATERIALIZED VIEW ${name} AS ${q}`);
  await run(s, 'CREATE STREAM big AS SELECT id, v FROM a WHERE v > 6');
}

describe('checkpoints: restore in process', function () {
  this.timeout(60_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'freshet-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('restores every view from the last checkpoint and replays the changes after it', async () => {
    let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    let s = session(engine);
    await setUp(s);
    await run(s, 'CHECKPOINT');
    const first = await rows(s, "SELECT id, status, operators FROM pg_catalog.freshet_checkpoints WHERE status = 'complete'");
    assert.equal(first.length, 1);
    const fullOps = await rows(s, 'SELECT DISTINCT kind FROM pg_catalog.freshet_checkpoint_operators');
    assert.deepEqual(fullOps, [['full']]);
    // One changed row: the next checkpoint writes only what changed.
    await run(s, 'UPDATE a SET v = 8 WHERE id = 3');
    await run(s, 'CHECKPOINT');
    const sizes = await rows(s, "SELECT checkpoint_id, sum(entries)::int, min(kind), max(kind) FROM pg_catalog.freshet_checkpoint_operators WHERE operator <> 'progress' GROUP BY 1 ORDER BY 1");
    assert.equal(sizes[1]![2], 'incremental');
    const [fullEntries, incrEntries] = [sizes[0]![1] as number, sizes[1]![1] as number];
    assert.ok(fullEntries > 400 && incrEntries < 30, `full checkpoint wrote ${fullEntries} entries, the incremental one after one update ${incrEntries}`);
    // Changes after the last checkpoint: replayed from the log at restart.
    await run(s, 'DELETE FROM a WHERE id = 1; INSERT INTO a VALUES (6, 2, 11); UPDATE b SET g = 1 WHERE id = 5; INSERT INTO b VALUES (6, 4, 1)');
    const bigBefore = await rows(s, 'SELECT * FROM big');
    await checkViews(s, 'before restart');
    await engine.close();

    engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    s = session(engine);
    const rec = await rows(s, 'SELECT checkpoint_id, restored_queries, rebuilt_queries FROM pg_catalog.freshet_recovery');
    assert.deepEqual(rec, [[2n, Object.keys(VIEWS).length + 1, 0]]);
    await checkViews(s, 'after restart');
    assert.deepEqual(sortedRows(await rows(s, 'SELECT * FROM big')), sortedRows(bigBefore), 'the derived stream appended nothing twice');
    // Maintenance goes on after the restore, and the next checkpoint is incremental on the restored one.
    await run(s, 'INSERT INTO a VALUES (7, 1, 100); DELETE FROM b WHERE id = 2');
    await checkViews(s, 'after more changes');
    await run(s, 'CHECKPOINT');
    const bases = await rows(s, "SELECT DISTINCT kind, base_checkpoint_id FROM pg_catalog.freshet_checkpoint_operators WHERE checkpoint_id = 3 AND operator <> 'progress'");
    assert.deepEqual(bases, [['incremental', 2n]]);
    await engine.close();
  });

  it('appends a derived stream output exactly once when it was committed after the last checkpoint', async () => {
    let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    let s = session(engine);
    await setUp(s);
    await run(s, 'CHECKPOINT');
    await run(s, 'INSERT INTO a VALUES (10, 1, 50), (11, 1, 2); UPDATE a SET v = 60 WHERE id = 10');
    const before = sortedRows(await rows(s, 'SELECT * FROM big'));
    await engine.close();
    engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    s = session(engine);
    assert.deepEqual(sortedRows(await rows(s, 'SELECT * FROM big')), before);
    await run(s, 'INSERT INTO a VALUES (12, 1, 70)');
    const twelve = await rows(s, 'SELECT id, v, op FROM big WHERE id = 12');
    assert.deepEqual(twelve, [[12, 70, '+I']]);
    await engine.close();
  });

  it('appends a derived stream over a view exactly once after a restore, even for output after the checkpoint', async () => {
    let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    let s = session(engine);
    await setUp(s);
    await run(s, 'CREATE STREAM agg_changes AS SELECT g, n, s FROM agg');
    await run(s, 'CHECKPOINT');
    // Output appended after the checkpoint: the restore replays these changes, and must not append them again.
    await run(s, 'INSERT INTO a VALUES (30, 1, 1), (31, 2, 2); DELETE FROM a WHERE id = 2; UPDATE a SET g = 3 WHERE id = 3');
    await engine.close();
    engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    s = session(engine);
    await run(s, 'INSERT INTO a VALUES (32, 1, 4)');
    // The stream's changelog, consolidated, is the view's rows: every change appended once.
    const consolidated = new Map<string, number>();
    for (const [g, n, sum, op] of await rows(s, 'SELECT g, n, s, op FROM agg_changes')) {
      const key = JSON.stringify([g, String(n), String(sum)]);
      consolidated.set(key, (consolidated.get(key) ?? 0) + (op === '+I' || op === '+U' ? 1 : -1));
    }
    const got = [...consolidated].filter(([, c]) => c !== 0).map(([k, c]) => `${k} x${c}`).sort();
    const want = (await rows(s, 'SELECT g, n, s FROM agg')).map((r) => `${JSON.stringify([r[0], String(r[1]), String(r[2])])} x1`).sort();
    assert.deepEqual(got, want);
    await engine.close();
  });

  it('replays a derived stream from its log start when no checkpoint holds it, without emitting its first row again', async () => {
    let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    let s = session(engine);
    await run(s, 'CREATE TABLE e (id int PRIMARY KEY)');
    // An ungrouped aggregate emits its row over no rows at the first barrier: appended at CREATE.
    await run(s, 'CREATE STREAM counts AS SELECT count(*) AS n FROM e');
    await engine.close();
    engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
    s = session(engine);
    await run(s, 'INSERT INTO e VALUES (1), (2)');
    assert.deepEqual(await rows(s, 'SELECT n, op FROM counts'), [[0n, '+I'], [0n, '-U'], [2n, '+U']]);
    await engine.close();
  });

  for (const damage of ['flip', 'truncate'] as const) {
    it(`skips a damaged newest checkpoint (${damage}) and restores the one before`, async () => {
      let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
      let s = session(engine);
      await setUp(s);
      await run(s, 'CHECKPOINT');
      await run(s, 'INSERT INTO a VALUES (20, 2, 3)');
      await run(s, 'CHECKPOINT');
      await run(s, 'INSERT INTO a VALUES (21, 3, 4)');
      await engine.close();

      const db = new Database(join(dir, 'checkpoints.db'));
      const blob = db.prepare("SELECT query_oid, operator_id, state FROM operator_state WHERE checkpoint_id = 2 AND operator_id <> 'progress' AND state IS NOT NULL ORDER BY length(state) DESC LIMIT 1").get() as { query_oid: number; operator_id: string; state: Buffer };
      const bad = Buffer.from(blob.state);
      const damaged = damage === 'flip' ? (bad[Math.floor(bad.length / 2)]! ^= 0xff, bad) : bad.subarray(0, Math.floor(bad.length / 2));
      db.prepare('UPDATE operator_state SET state = ? WHERE checkpoint_id = 2 AND query_oid = ? AND operator_id = ?').run(damaged, blob.query_oid, blob.operator_id);
      db.close();

      engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
      s = session(engine);
      const rec = await rows(s, 'SELECT checkpoint_id, skipped_checkpoints FROM pg_catalog.freshet_recovery');
      assert.equal(rec[0]![0], 1n);
      assert.match(String(rec[0]![1]), /^2: /);
      const status = await rows(s, 'SELECT status FROM pg_catalog.freshet_checkpoints WHERE id = 2');
      assert.deepEqual(status, [['damaged']]);
      await checkViews(s, `after restoring past a ${damage}d checkpoint`);
      await engine.close();
    });
  }
});
