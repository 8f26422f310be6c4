/**
 * The stream and subscription checks of the view oracle must catch a wrong changelog: the side under
 * test is Freshet with one planted bug in what the oracle reads back (a stream replay, or a
 * subscription replay, loses a row once it has three), and the check must fail naming that output,
 * with a script that creates the stream and declares the cursor. Not shrunk (to stay fast).
 */
import assert from 'node:assert/strict';
import { createDatabase, postgresAvailable, sharedPostgres } from '../support/postgres-server.js';
import { checkViews } from './oracle-check.js';
import type { DerivedChecks, DerivedReadings, Replayed } from './oracle-derived.js';
import { FreshetEngine, PostgresEngine, type OracleEngine, type Outcome } from './oracle-engines.js';
import type { ViewStyle } from './oracle-render.js';

type Lossy = 'stream' | 'subscription';

function loseFirstRow(r: Replayed): Replayed {
  return r.kind === 'rows' && r.rows.length >= 3 ? { ...r, rows: r.rows.slice(1) } : r;
}

/** Freshet whose stream or subscription replay drops its first row when it has at least three. */
class LossyDerived implements OracleEngine {
  readonly label = 'Freshet';
  readonly viewStyle: ViewStyle = 'materialized';
  readonly derived: DerivedChecks;
  constructor(private readonly inner: FreshetEngine, lossy: Lossy) {
    const real = inner.derived;
    this.derived = {
      scriptAfterView: (view, query) => real.scriptAfterView(view, query),
      viewCreated: (view, query) => real.viewCreated(view, query),
      read: async (view): Promise<DerivedReadings> => {
        const { stream, subscription } = await real.read(view);
        return lossy === 'stream'
          ? { stream: stream === null ? null : loseFirstRow(stream), subscription }
          : { stream, subscription: loseFirstRow(subscription) };
      },
    };
  }

  run(sql: string): Promise<Outcome> {
    return this.inner.run(sql);
  }

  created(kind: 'table' | 'view' | 'stream', name: string): void {
    this.inner.created(kind, name);
  }

  reset(): Promise<void> {
    return this.inner.reset();
  }

  restart(): Promise<void> {
    return this.inner.restart();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('view oracle: catches a planted wrong stream or subscription replay', function () {
  this.timeout(180_000);
  let oracle: PostgresEngine | undefined;
  let freshet: FreshetEngine | undefined;

  before(async function () {
    if (!postgresAvailable()) this.skip();
    const server = await sharedPostgres();
    oracle = await PostgresEngine.open('PostgreSQL', await createDatabase(server, 'view_oracle_derived_mutant'));
    freshet = await FreshetEngine.start();
  });

  after(async () => {
    await oracle?.close();
    await freshet?.close();
  });

  it('skips the stream of a view whose own output has a column named op, and still checks its subscription', async () => {
    const f = freshet!;
    await f.reset();
    for (const sql of ['CREATE TABLE t1 (id int, s text)', "INSERT INTO t1 VALUES (1, 'x')", 'CREATE MATERIALIZED VIEW v1 AS SELECT id, s AS op FROM t1']) {
      assert.equal((await f.run(sql)).kind, 'ok', sql);
    }
    f.created('table', 't1');
    f.created('view', 'v1');
    assert.equal(await f.derived.viewCreated('v1', 'SELECT id, s AS op FROM t1'), null);
    assert.equal(f.derived.streamsSkipped, 1);
    assert.equal((await f.run("INSERT INTO t1 VALUES (2, '+I')")).kind, 'ok');
    const { stream, subscription } = await f.derived.read('v1');
    assert.equal(stream, null);
    assert.deepEqual(subscription.kind === 'rows' ? [subscription.columns, subscription.rows] : subscription,
      [['id', 'op'], ['["1","x"]', '["2","+I"]']]);
    await f.reset();
  });

  const cases: { lossy: Lossy; names: RegExp; finalLine: RegExp }[] = [
    { lossy: 'stream', names: /disagree at step \d+ of \d+: the stream replay of v\d+_log/, finalLine: /^SELECT \* FROM v\d+_log;$/m },
    { lossy: 'subscription', names: /disagree at step \d+ of \d+: the subscription replay of SUBSCRIBE v\d+/, finalLine: /^-- FETCH ALL v\d+_c WITH \(timeout = '0s'\);$/m },
  ];
  for (const { lossy, names, finalLine } of cases) {
    it(`names the ${lossy} replay and prints its script`, async () => {
      const { failure } = await checkViews(oracle!, new LossyDerived(freshet!, lossy), { numRuns: 200, seed: 42, shrink: false });
      assert.ok(failure !== null, `the oracle did not notice a ${lossy} replay that loses a row`);
      if (process.env.FRESHET_ORACLE_VERBOSE === '1') console.log(failure);
      assert.match(failure, names);
      assert.match(failure, /^CREATE MATERIALIZED VIEW v1 AS SELECT /m);
      assert.match(failure, /^CREATE STREAM v1_log AS SELECT /m);
      assert.match(failure, /^-- on a second connection, inside one BEGIN: DECLARE v1_c CURSOR FOR SUBSCRIBE v1;/m);
      assert.match(failure, finalLine);
      assert.match(failure, /-- only in PostgreSQL:\n-- {3}\S/);
      // Shrinking is the other mutant test's concern (view-oracle-mutant.test.ts).
    });
  }
});
