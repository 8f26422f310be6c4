/**
 * The correctness oracle of materialized views: fast-check builds random schemas, DML and view
 * definitions; Freshet runs them with CREATE MATERIALIZED VIEW, PostgreSQL 15 with plain CREATE VIEW
 * (its answer is always the query over current data), and after every step every view must agree,
 * and so must each view's stream (CREATE STREAM <view>_log, its changelog replayed) and SUBSCRIBE
 * cursor (its changes applied) on Freshet.
 * Env: FRESHET_ORACLE_RUNS (cases, default 100), FRESHET_ORACLE_SEED, FRESHET_ORACLE_PATH (replay a
 * shrunk case), FRESHET_ORACLE_SELFCHECK=1 (PostgreSQL against PostgreSQL: checks the generator),
 * FRESHET_ORACLE_RESTARTS=1 (some steps kill -9 Freshet and restart it on its data dir).
 */
import assert from 'node:assert/strict';
import { createDatabase, postgresAvailable, sharedPostgres } from '../support/postgres-server.js';
import { checkViews } from './oracle-check.js';
import { FreshetEngine, PostgresEngine, type OracleEngine } from './oracle-engines.js';

const runs = Number(process.env.FRESHET_ORACLE_RUNS ?? 100);
// CI runs one fixed seed, so a red build always replays; by hand each run explores a new one.
const seedText = process.env.FRESHET_ORACLE_SEED ?? (process.env.CI ? '7' : undefined);
const seed = seedText === undefined ? undefined : Number(seedText);
const replayPath = process.env.FRESHET_ORACLE_PATH;
const selfCheck = process.env.FRESHET_ORACLE_SELFCHECK === '1';
const restarts = process.env.FRESHET_ORACLE_RESTARTS === '1';
const verbose = selfCheck || process.env.FRESHET_ORACLE_VERBOSE === '1';
/**
 * Time for the cases and the shrinking of a failure (a case takes ~0.1 s); when it runs out, the
 * smallest failing case found so far is reported.
 */
const timeLimitMs = Math.max(60_000, runs * 1_000);

describe(`materialized views equal their query on PostgreSQL (view oracle${selfCheck ? ', self-check: PostgreSQL vs PostgreSQL' : ''})`, function () {
  this.timeout(timeLimitMs + 60_000);
  let oracle: OracleEngine | undefined;
  let subject: OracleEngine | undefined;
  let freshet: FreshetEngine | undefined;

  before(async function () {
    if (!postgresAvailable()) this.skip();
    const server = await sharedPostgres();
    oracle = await PostgresEngine.open('PostgreSQL', await createDatabase(server, 'view_oracle'));
    if (selfCheck) {
      subject = await PostgresEngine.open('PostgreSQL (second database)', await createDatabase(server, 'view_oracle_subject'));
    } else {
      freshet = await FreshetEngine.start();
      subject = freshet;
    }
  });

  after(async () => {
    await oracle?.close();
    await subject?.close();
  });

  it(`every view matches after every INSERT / UPDATE / DELETE / CREATE (${runs} cases)`, async () => {
    const { stats, failure } = await checkViews(oracle!, subject!, {
      numRuns: runs,
      restarts,
      ...(seed === undefined ? {} : { seed }),
      ...(replayPath === undefined ? {} : { path: replayPath }),
      timeLimitMs,
    });
    if (verbose) {
      const skipped = freshet === undefined ? '' : `, ${freshet.derived.streamsSkipped} streams skipped (op column clash)`;
      console.log(`      view oracle: ${stats.summary()}${skipped}`);
    }
    if (failure !== null) {
      const restarts = freshet !== undefined && freshet.restarts.length > 0
        ? `\nFreshet was restarted between cases because: ${freshet.restarts.slice(0, 3).join('; ')}` : '';
      assert.fail(failure + restarts);
    }
    if (selfCheck) {
      // Both sides are PostgreSQL: the generator must only write views PostgreSQL accepts.
      assert.deepEqual(stats.refusedViews, [], `the generator wrote views PostgreSQL refuses:\n${stats.refusedViews.join('\n')}`);
    }
    assert.ok(stats.viewComparisons > 0, `no view was compared: ${stats.summary()}`);
  });
});
