/**
 * Checkpoint crash test (issue 6): a writer inserts, updates and deletes continuously into tables and
 * a stream feeding views of every stateful kind, while Freshet checkpoints every few milliseconds;
 * the server is killed with SIGKILL at random moments and restarted on the same data dir. After each
 * restart the tables hold every acknowledged write (plus at most the one in flight at the kill),
 * every view equals PostgreSQL's answer over the same rows, and the derived streams hold each output
 * exactly once. Each server run writes until a checkpoint has completed, so every restart must
 * restore from one (freshet_recovery), not only rebuild.
 * FRESHET_CRASH_KILLS sets the number of kills (default 5, and 3 more with a slow checkpoint disk).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';
import { createDatabase, sharedPostgres } from '../support/postgres-server.js';
import {
  applyWrite,
  canonical,
  consolidate,
  DERIVED,
  DERIVED_EVENTS,
  loadPostgres,
  newModel,
  SCHEMA,
  VIEWS,
  WriteGenerator,
  writeSql,
  type Model,
  type Write,
} from './crash-workload.js';

const KILLS = Number(process.env.FRESHET_CRASH_KILLS ?? 5);

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  // A killed server ends the connection: the writer sees its query fail, the client must not throw.
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function rowsOf(c: pg.Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.query(sql)).rows as Record<string, unknown>[];
}

/** Tables as value arrays (sorted), to compare with the model and load into PostgreSQL. */
async function tablesOf(c: pg.Client): Promise<{ a: unknown[][]; b: unknown[][]; ev: unknown[][] }> {
  const q = async (sql: string) => (await c.query({ text: sql, rowMode: 'array' })).rows as unknown[][];
  return { a: await q('SELECT id, g, v FROM a ORDER BY id'), b: await q('SELECT id, g, w FROM b ORDER BY id'), ev: await q('SELECT ts, k, x FROM ev') };
}

function modelTables(m: Model): { a: string; b: string; evCount: number } {
  const t = (map: Map<number, [number, number]>) => JSON.stringify([...map].sort((x, y) => x[0] - y[0]).map(([id, [p, q]]) => [id, p, q]));
  return { a: t(m.a), b: t(m.b), evCount: m.ev.length };
}

/** The tables hold the acknowledged writes, or those plus the write in flight at the kill. */
function checkDurable(tables: { a: unknown[][]; b: unknown[][]; ev: unknown[][] }, acked: Model, inFlight: Write | undefined): string | null {
  const got = { a: JSON.stringify(tables.a), b: JSON.stringify(tables.b), evCount: tables.ev.length };
  const want = modelTables(acked);
  if (got.a === want.a && got.b === want.b && got.evCount === want.evCount) return null;
  if (inFlight) {
    const withIt: Model = { a: new Map(acked.a), b: new Map(acked.b), ev: [...acked.ev] };
    applyWrite(withIt, inFlight);
    const w2 = modelTables(withIt);
    if (got.a === w2.a && got.b === w2.b && got.evCount === w2.evCount) return null;
  }
  return `tables differ from the acknowledged writes: got ${JSON.stringify(got)}, want ${JSON.stringify(want)} (in flight: ${JSON.stringify(inFlight)})`;
}

async function checkViews(freshet: pg.Client, oracle: pg.Client, tables: { a: unknown[][]; b: unknown[][]; ev: unknown[][] }): Promise<string[]> {
  await loadPostgres(oracle, tables);
  const problems: string[] = [];
  for (const [name, [, pgQuery]] of Object.entries(VIEWS)) {
    const got = canonical(await rowsOf(freshet, `SELECT * FROM ${name}`));
    const want = canonical(await rowsOf(oracle, pgQuery));
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`view ${name}: got ${JSON.stringify(got.slice(0, 8))}… (${got.length}), want ${JSON.stringify(want.slice(0, 8))}… (${want.length})`);
  }
  for (const [name, d, cols] of [['big', DERIVED, ['id', 'v']], ['ev_copy', DERIVED_EVENTS, ['k', 'x']]] as const) {
    const consolidated = consolidate(await rowsOf(freshet, `SELECT * FROM ${name}`), cols);
    if (typeof consolidated === 'string') {
      problems.push(`stream ${name}: ${consolidated}`);
      continue;
    }
    const got = canonical(consolidated);
    const want = canonical(await rowsOf(oracle, d.postgres));
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`stream ${name} (consolidated): got ${got.length} rows, want ${want.length}: ${JSON.stringify(got.slice(0, 6))} vs ${JSON.stringify(want.slice(0, 6))}`);
  }
  return problems;
}

async function crashRun(label: string, seed: number, kills: number, extraArgs: string[]): Promise<{ restoredRestarts: number; writes: number }> {
  const oracleUrl = await createDatabase(await sharedPostgres(), `ckpt_crash_${label}`);
  const oracle = await connect(oracleUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-ckpt-crash-'));
  let server: FreshetServer | undefined;
  const gen = new WriteGenerator(seed);
  const acked = newModel();
  let writes = 0;
  let restoredRestarts = 0;
  try {
    server = await startFreshet({ dataDir, extraArgs });
    let client = await connect(server.url);
    for (const ddl of SCHEMA) await client.query(ddl);
    for (const [name, [def]] of Object.entries(VIEWS)) await client.query(`CREATE MATERIALIZED VIEW ${name} AS ${def}`);
    await client.query(DERIVED.ddl);
    await client.query(DERIVED_EVENTS.ddl);
    for (let k = 0; k < kills; k++) {
      // Write until the kill, which comes after a random number of acknowledged writes.
      const killAfter = 20 + ((seed * 31 + k * 17) % 60);
      let inFlight: Write | undefined;
      const completeSoFar = async (): Promise<number> =>
        Number((await rowsOf(client, "SELECT coalesce(max(id), 0) AS n FROM pg_catalog.freshet_checkpoints WHERE status = 'complete'"))[0]!['n']);
      const before = await completeSoFar();
      const deadline = Date.now() + 20_000;
      // Write until the kill: a random number of writes, and at least until a checkpoint completed
      // in this run of the server (so the restart has one to restore from; the kill still lands
      // at a random point of later checkpoints and writes).
      for (let i = 0; i < killAfter || (await completeSoFar()) <= before; i++) {
        if (Date.now() > deadline) throw new Error(`${label}: no checkpoint completed within 20 s of writes`);
        const w = gen.next();
        await client.query(writeSql(w));
        applyWrite(acked, w);
        writes++;
      }
      // The kill lands while a write is in flight.
      inFlight = gen.next();
      const pending = client.query(writeSql(inFlight)).then(() => true, () => false);
      await server.kill9();
      const inFlightAcked = await pending;
      if (inFlightAcked) {
        applyWrite(acked, inFlight);
        inFlight = undefined;
      }
      await client.end().catch(() => undefined);
      server = await startFreshet({ dataDir, extraArgs });
      client = await connect(server.url);
      const recovery = (await rowsOf(client, 'SELECT checkpoint_id, restored_queries, rebuilt_queries FROM pg_catalog.freshet_recovery'))[0];
      if (recovery && recovery['checkpoint_id'] !== null && Number(recovery['restored_queries']) > 0) restoredRestarts++;
      const tables = await tablesOf(client);
      const durable = checkDurable(tables, acked, inFlight);
      assert.equal(durable, null, `${label}, after kill ${k + 1}: ${durable}`);
      if (inFlight) {
        // It committed after all (or not): the model follows the tables.
        if (JSON.stringify(tables.a) !== modelTables(acked).a || JSON.stringify(tables.b) !== modelTables(acked).b || tables.ev.length !== acked.ev.length) applyWrite(acked, inFlight);
      }
      const problems = await checkViews(client, oracle, tables);
      assert.deepEqual(problems, [], `${label}, after kill ${k + 1} (recovery ${JSON.stringify(recovery)}):\n${problems.join('\n')}\n${server.output().slice(-2000)}`);
    }
    await client.end();
    return { restoredRestarts, writes };
  } finally {
    await server?.stop();
    await oracle.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('checkpoints: kill -9 at random moments, views exact after every restart', function () {
  this.timeout(600_000);

  it(`restores views from checkpoints taken every 20 ms (${KILLS} kills)`, async () => {
    const r = await crashRun('fast', 11, KILLS, ['--checkpoint-interval', '20ms']);
    assert.equal(r.restoredRestarts, KILLS, `only ${r.restoredRestarts} of ${KILLS} restarts restored from a checkpoint`);
  });

  it(`stays exact with a slow checkpoint disk (${Math.max(1, Math.ceil(KILLS / 2))} kills)`, async () => {
    const kills = Math.max(1, Math.ceil(KILLS / 2));
    const r = await crashRun('slow', 23, kills, ['--checkpoint-interval', '10ms', '--checkpoint-write-delay', '4ms']);
    assert.equal(r.restoredRestarts, kills, `only ${r.restoredRestarts} of ${kills} restarts restored from a checkpoint`);
  });
});
