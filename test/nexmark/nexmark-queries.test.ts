/**
 * Nexmark q0..q22 against the PostgreSQL oracle. E events (FRESHET_NEXMARK_EVENTS, default 3,000)
 * from a fixed seed; PostgreSQL holds the first half in schema `backfill` and all of them in schema
 * `all_events`, as tables, and runs each query on them: bench/nexmark/postgres/qN.sql where it
 * exists, else the Freshet text. Freshet gets the first half, then CREATE MATERIALIZED VIEW
 * nexmark_qN AS <queries/qN.sql> (the view must equal the oracle over `backfill`), then the second
 * half in several transactions (the view must equal the oracle over `all_events`); equal means
 * equal as multisets of rows. A query file with `-- status: needs ...` is
 * skipped, its reason in the test's title; one with `-- status: fails: ...` must still fail, so the
 * line is removed once the engine is fixed.
 */
import assert from 'node:assert/strict';
import { NEXMARK_EVENT_KINDS, type NexmarkEventKind } from '../../server/connectors/nexmark/schemas.js';
import type { Datum } from '../../server/types/datum.js';
import { createDatabase, postgresAvailable, sharedPostgres } from '../support/postgres-server.js';
import { FreshetSide } from './freshet-side.js';
import { concatColumns, oracleSlices, type EventSlice } from './nexmark-events.js';
import { PostgresSide } from './postgres-side.js';
import { NEXMARK_QUERY_NUMBERS, readNexmarkQuery, type NexmarkQuery } from './query-files.js';
import { compareResults } from './result-compare.js';

const EVENTS = Number(process.env.FRESHET_NEXMARK_EVENTS ?? 3000);
/** Transactions the second half of the events arrives in. */
const LATER_TRANSACTIONS = 5;

function columnsOf(slices: readonly EventSlice[]): Record<NexmarkEventKind, Datum[][]> {
  const columns = {} as Record<NexmarkEventKind, Datum[][]>;
  for (const kind of NEXMARK_EVENT_KINDS) columns[kind] = concatColumns(slices, kind);
  return columns;
}

describe('Nexmark queries q0..q22 against PostgreSQL', function () {
  this.timeout(120_000);
  let postgres: PostgresSide | undefined;
  let initial: EventSlice;
  let later: EventSlice[];

  before(async function () {
    if (!postgresAvailable()) {
      console.log('    PostgreSQL is not installed: the Nexmark oracle is skipped');
      this.skip();
    }
    assert.ok(Number.isInteger(EVENTS) && EVENTS >= 2, `FRESHET_NEXMARK_EVENTS must be an integer >= 2, got ${EVENTS}`);
    ({ initial, later } = oracleSlices(EVENTS, LATER_TRANSACTIONS));
    postgres = await PostgresSide.open(await createDatabase(await sharedPostgres(), 'nexmark_queries'));
    await postgres.load('backfill', columnsOf([initial]));
    await postgres.load('all_events', columnsOf([initial, ...later]));
  });

  after(async () => {
    await postgres?.close();
  });

  /** Null when Freshet's view equals the oracle after backfill and after the later transactions, else why not. */
  async function differenceFromOracle(query: NexmarkQuery): Promise<string | null> {
    const pg = postgres!;
    const freshet = await FreshetSide.open();
    try {
      await freshet.append(initial);
      await freshet.run(`CREATE MATERIALIZED VIEW nexmark_${query.name} AS ${query.freshet}`);
      const read = `SELECT * FROM nexmark_${query.name}`;
      const afterBackfill = compareResults(await freshet.run(read), await pg.query('backfill', query.postgres), await pg.columnTypes('backfill', query.postgres));
      if (afterBackfill !== null) return `after backfill: ${afterBackfill}`;
      for (const slice of later) await freshet.append(slice);
      const atEnd = compareResults(await freshet.run(read), await pg.query('all_events', query.postgres), await pg.columnTypes('all_events', query.postgres));
      return atEnd === null ? null : `after ${later.length} more transactions: ${atEnd}`;
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      await freshet.close();
    }
  }

  for (const n of NEXMARK_QUERY_NUMBERS) {
    const query = readNexmarkQuery(n);
    if (query.status !== null && !query.status.startsWith('fails:')) {
      it.skip(`${query.name}: ${query.status}`, () => {});
      continue;
    }
    if (query.status !== null) {
      it(`${query.name}: still ${query.status.length > 90 ? query.status.slice(0, 87) + '...' : query.status}`, async () => {
        const difference = await differenceFromOracle(query);
        assert.notEqual(difference, null, `${query.name} now equals the oracle: remove the "-- status:" line from bench/nexmark/queries/${query.name}.sql`);
        console.log(`      ${query.name}: ${difference}`);
      });
      continue;
    }
    it(`${query.name}: the view equals PostgreSQL after backfill and after ${LATER_TRANSACTIONS} more transactions`, async () => {
      const difference = await differenceFromOracle(query);
      assert.equal(difference, null, `${query.name}: ${difference}`);
    });
  }
});
