/**
 * SUBSCRIBE through node-postgres: a cursor over a subscription gives the snapshot, then each
 * committed change with its op, each epoch closed by a progress row; a client applying the changes
 * holds exactly what SELECT on the view returns. Also CREATE STREAM ... AS keeps the changelog.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';

type SubRow = { epoch: string; progress: boolean; op: string | null; region: string | null; total: number | null };

function apply(state: Map<string, number>, rows: SubRow[]): void {
  for (const r of rows) {
    if (r.progress) continue;
    const key = `${r.region}|${r.total}`;
    const delta = r.op === '+I' || r.op === '+U' ? 1 : -1;
    const n = (state.get(key) ?? 0) + delta;
    if (n === 0) state.delete(key);
    else state.set(key, n);
  }
}

function asMultiset(rows: { region: string; total: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(`${r.region}|${r.total}`, (m.get(`${r.region}|${r.total}`) ?? 0) + 1);
  return m;
}

describe('SUBSCRIBE with node-postgres', function () {
  this.timeout(60_000);
  let server: FreshetServer;
  let writer: pg.Client;
  let reader: pg.Client;

  before(async () => {
    server = await startFreshet({ extraArgs: ['--checkpoint-interval', '0'] });
    writer = new pg.Client({ connectionString: server.url });
    reader = new pg.Client({ connectionString: server.url });
    await writer.connect();
    await reader.connect();
    await writer.query('CREATE TABLE sub_orders (id int PRIMARY KEY, region text, amount int)');
    await writer.query("INSERT INTO sub_orders VALUES (1, 'east', 10), (2, 'west', 5)");
    await writer.query('CREATE MATERIALIZED VIEW sub_big AS SELECT region, amount * 2 AS total FROM sub_orders WHERE amount > 3');
  });

  after(async () => {
    await writer?.end();
    await reader?.end();
    await server?.stop();
  });

  it('sends the snapshot, then changes with ops and progress rows, and rebuilds the view', async () => {
    await reader.query('BEGIN');
    await reader.query('DECLARE c CURSOR FOR SUBSCRIBE sub_big');
    const first = (await reader.query<SubRow>("FETCH ALL c WITH (timeout = '0s')")).rows;
    assert.deepEqual(first.filter((r) => !r.progress).map((r) => [r.op, r.region, r.total]).sort(), [['+I', 'east', 20], ['+I', 'west', 10]]);
    assert.equal(first[first.length - 1]!.progress, true);
    const state = new Map<string, number>();
    apply(state, first);

    await writer.query("INSERT INTO sub_orders VALUES (3, 'east', 1), (4, 'north', 7)");
    await writer.query('UPDATE sub_orders SET amount = 12 WHERE id = 1');
    await writer.query('DELETE FROM sub_orders WHERE id = 2');
    const seen: SubRow[] = [];
    // Three commits touch the view: wait (with a timeout per FETCH) until three progress rows came.
    while (seen.filter((r) => r.progress).length < 3) {
      const batch = (await reader.query<SubRow>("FETCH ALL c WITH (timeout = '5s')")).rows;
      assert.ok(batch.length > 0, 'no changes arrived within the timeout');
      seen.push(...batch);
    }
    const ops = seen.filter((r) => !r.progress).map((r) => `${r.op} ${r.region} ${r.total}`);
    assert.deepEqual(ops, ['+I north 14', '-U east 20', '+U east 24', '-D west 10']);
    apply(state, seen);
    const now = (await writer.query<{ region: string; total: string }>('SELECT region, total::text AS total FROM sub_big')).rows;
    assert.deepEqual(state, asMultiset(now));
    await reader.query('COMMIT');
  });

  it('keeps an updating query as a changelog stream with CREATE STREAM ... AS', async () => {
    await writer.query('CREATE TABLE cs_t (id int PRIMARY KEY, v int)');
    await writer.query('INSERT INTO cs_t VALUES (1, 1)');
    await writer.query('CREATE STREAM cs_log AS SELECT id, v FROM cs_t');
    await writer.query('UPDATE cs_t SET v = 2 WHERE id = 1');
    await writer.query('DELETE FROM cs_t WHERE id = 1');
    const rows = (await writer.query('SELECT id, v, op FROM cs_log')).rows.map((r: { id: number; v: number; op: string }) => `${r.op} ${r.id} ${r.v}`);
    assert.deepEqual(rows, ['+I 1 1', '-U 1 1', '+U 1 2', '-D 1 2']);
    await assert.rejects(writer.query('INSERT INTO cs_log VALUES (9, 9, \'+I\')'), /cannot insert into stream "cs_log"/);
  });
  it('holds a committed subscription\'s epochs until a checkpoint covers them', async () => {
    await writer.query('CREATE TABLE cm_t (id int PRIMARY KEY, v int)');
    await writer.query('CREATE MATERIALIZED VIEW cm_v AS SELECT id, v FROM cm_t');
    await reader.query('BEGIN');
    await reader.query('DECLARE cm CURSOR FOR SUBSCRIBE cm_v WITH (committed = true)');
    await writer.query('INSERT INTO cm_t VALUES (1, 10)');
    // No checkpoint has covered these epochs: nothing may arrive yet.
    assert.deepEqual((await reader.query<SubRow>("FETCH ALL cm WITH (timeout = '0s')")).rows, []);
    await writer.query('CHECKPOINT');
    const got: SubRow[] = [];
    while (!got.some((r) => !r.progress)) {
      const batch = (await reader.query<SubRow>("FETCH ALL cm WITH (timeout = '5s')")).rows;
      assert.ok(batch.length > 0, 'committed rows did not arrive after CHECKPOINT');
      got.push(...batch);
    }
    const [{ epoch }] = (await writer.query<{ epoch: string }>("SELECT max(epoch) AS epoch FROM pg_catalog.freshet_checkpoints WHERE status = 'complete'")).rows as [{ epoch: string }];
    assert.ok(got.every((r) => BigInt(String(r.epoch)) <= BigInt(epoch)), 'a row of an epoch after the checkpoint was sent');
    await reader.query('COMMIT');
  });
});
