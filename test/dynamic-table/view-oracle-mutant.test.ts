/**
 * The view oracle must catch a wrong view and shrink it to a short script: the side under test here is
 * PostgreSQL with one planted bug (reads of a view lose a row once it has three), and the check must
 * fail with a report that holds the statements to replay and the row only PostgreSQL has.
 */
import assert from 'node:assert/strict';
import { createDatabase, postgresAvailable, sharedPostgres } from '../support/postgres-server.js';
import { checkViews } from './oracle-check.js';
import { PostgresEngine, type Outcome, type OracleEngine } from './oracle-engines.js';
import type { ViewStyle } from './oracle-render.js';

/** PostgreSQL whose view reads drop their first row when there are at least three. */
class LossyViewReads implements OracleEngine {
  readonly label = 'lossy PostgreSQL';
  readonly viewStyle: ViewStyle = 'plain';
  constructor(private readonly inner: PostgresEngine) {}

  async run(sql: string): Promise<Outcome> {
    const outcome = await this.inner.run(sql);
    if (/^SELECT \* FROM v\d+$/.test(sql) && outcome.kind === 'ok' && outcome.rows.length >= 3) {
      return { ...outcome, rows: outcome.rows.slice(1) };
    }
    return outcome;
  }

  created(): void {
    // PostgresEngine.reset() drops the whole schema.
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

describe('view oracle: catches and shrinks a planted wrong view', function () {
  this.timeout(180_000);
  let oracle: PostgresEngine | undefined;
  let subject: LossyViewReads | undefined;

  before(async function () {
    if (!postgresAvailable()) this.skip();
    const server = await sharedPostgres();
    oracle = await PostgresEngine.open('PostgreSQL', await createDatabase(server, 'view_oracle_mutant_a'));
    subject = new LossyViewReads(await PostgresEngine.open('PostgreSQL', await createDatabase(server, 'view_oracle_mutant_b')));
  });

  after(async () => {
    await oracle?.close();
    await subject?.close();
  });

  it('fails with a replayable script of a few statements', async () => {
    const { failure } = await checkViews(oracle!, subject!, { numRuns: 200, seed: 42 });
    assert.ok(failure !== null, 'the oracle did not notice a view read that loses a row');
    if (process.env.FRESHET_ORACLE_VERBOSE === '1') console.log(failure);
    assert.match(failure, /FRESHET_ORACLE_SEED=42 FRESHET_ORACLE_PATH=\S+/);
    assert.match(failure, /^CREATE TABLE t1 \(id int/m);
    assert.match(failure, /^CREATE VIEW v1 AS SELECT /m);
    assert.match(failure, /^SELECT \* FROM v\d+;$/m);
    assert.match(failure, /-- only in PostgreSQL:\n-- {3}\S/);
    const statements = failure.split('\n').filter((l) => /^(CREATE|INSERT|UPDATE|DELETE)/.test(l));
    // Shrunk: tables, one view, and the inserts that give it three rows.
    assert.ok(statements.length <= 8, `not shrunk:\n${failure}`);

    // The printed seed and path replay exactly the shrunk case.
    const path = /FRESHET_ORACLE_PATH=(\S+)/.exec(failure)![1]!;
    const replay = await checkViews(oracle!, subject!, { numRuns: 200, seed: 42, path });
    // fast-check runs the case at the path first and may then try a few more shrinks that pass.
    assert.ok(replay.stats.cases >= 1 && replay.stats.cases <= 5, `replayed ${replay.stats.cases} cases`);
    assert.equal(replay.failure?.split('\n\n')[1], failure.split('\n\n')[1]);
  });
});
