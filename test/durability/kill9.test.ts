/**
 * Crash durability: writers insert into a table with a primary key and into a stream (autocommit and
 * BEGIN/COMMIT blocks), the server is killed with SIGKILL after N acknowledgements while writes are in
 * flight, restarted on the same data dir, and must hold every acknowledged write and no half-applied
 * transaction. Two crash cycles. The same writer and check run against PostgreSQL (immediate shutdown,
 * a plain table in place of the stream) to validate the test itself.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres } from '../support/postgres-server.js';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';
import { checkRecovered, newLedger, runWriter, type Ledger } from './crash-writer.js';

const WRITERS = 2;
const ACKS_BEFORE_CRASH = 200;
const CYCLES = 2;

interface CrashTarget {
  /** DDL for the append-only relation: a stream on Freshet, a table without a key on PostgreSQL. */
  readonly eventsDdl: string;
  url(): string;
  /** Kill the server while writers are running (data kept). */
  crash(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

async function freshetTarget(): Promise<CrashTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-kill9-'));
  let server: FreshetServer | null;
  try {
    server = await startFreshet({ dataDir });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    eventsDdl: 'CREATE STREAM dur_events (id int, txn int)',
    url: () => server!.url,
    crash: async () => {
      await server!.kill9();
    },
    restart: async () => {
      server = null;
      server = await startFreshet({ dataDir });
    },
    dispose: async () => {
      if (server !== null) await server.stop();
      server = null;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<CrashTarget> {
  const server = await startPostgres({ durableCommits: true });
  return {
    eventsDdl: 'CREATE TABLE dur_events (id int, txn int)',
    url: () => server.url,
    crash: () => server.crash(),
    restart: () => server.restart(),
    dispose: () => server.stop(),
  };
}

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs the writers until ACKS_BEFORE_CRASH more acknowledgements, crashes the server, waits for the writers. */
async function writeAndCrash(target: CrashTarget, ledger: Ledger, cycle: number): Promise<void> {
  const goal = ledger.acks + ACKS_BEFORE_CRASH;
  let reached!: () => void;
  const goalReached = new Promise<void>((resolve) => { reached = resolve; });
  const onAck = (): void => { if (ledger.acks >= goal) reached(); };
  const writers = Array.from({ length: WRITERS }, (_, w) => runWriter(target.url(), w, cycle, ledger, onAck));
  // If every writer fails before the goal (server broken), stop waiting for acknowledgements.
  const allFailed = Promise.all(writers).then((errors) => {
    throw new Error(`writers stopped after ${ledger.acks} acknowledgements, before the crash: ${errors.map((e) => e.message).join('; ')}`);
  });
  await Promise.race([goalReached, allFailed]);
  await target.crash();
  // Each writer must have been stopped by the crash, not by an SQL error of its own (which would
  // also mean fewer writes in flight at the crash than the test claims).
  for (const error of await Promise.all(writers)) {
    const code = (error as { code?: unknown }).code;
    const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
    assert.ok(sqlstate === null || sqlstate.startsWith('57P'), `a writer failed with an SQL error before the crash: ${sqlstate} ${error.message}`);
  }
}

for (const [engineName, makeTarget] of [['PostgreSQL', postgresTarget], ['Freshet', freshetTarget]] as const) {
  describe(`crash durability (kill -9) on ${engineName}`, function () {
    this.timeout(120_000);
    let target: CrashTarget | null = null;

    after(async () => {
      await target?.dispose();
    });

    it('keeps every acknowledged write and no half-applied transaction across crashes', async () => {
      target = await makeTarget();
      await exec(target.url(), 'CREATE TABLE dur_kv (id int PRIMARY KEY, txn int NOT NULL, v text NOT NULL)');
      await exec(target.url(), target.eventsDdl);
      const ledger = newLedger();
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await writeAndCrash(target, ledger, cycle);
        await target.restart();
        const problems = await checkRecovered(target.url(), ledger);
        assert.deepEqual(problems, [], `after crash ${cycle + 1} (${ledger.acks} acknowledgements so far)`);
      }
      // The recovered server takes new writes on both relations.
      await exec(target.url(), "INSERT INTO dur_kv VALUES (-1, 0, 'after'); INSERT INTO dur_events VALUES (-1, 0)");
      assert.ok(ledger.ackedTxns.size > 0, 'no transaction was acknowledged');
    });
  });
}
