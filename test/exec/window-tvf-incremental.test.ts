/**
 * TUMBLE and HOP in continuous queries: random transactions of inserts, deletes and updates (times
 * before 1970, on window boundaries, NULL) go through the dataflow with a barrier after each; the
 * output must equal the same query run in batch after every one. Then the same through the engine:
 * materialized views over TUMBLE/HOP against their defining query as a batch SELECT after every change.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { T } from '../../server/types/sql-type.js';
import { rows, run } from '../engine/engine-harness.js';
import type { Columns } from './changelog-harness.js';
import { checkRandomTransactionsAgainstBatch } from './random-transactions.js';

const SEC = 1_000_000;
const COLUMNS: Columns = [['k', T.int4], ['v', T.int4], ['ts', T.timestamp], ['tz', T.timestamptz]];

/** Times around the epoch and around window edges (seconds -12 .. 25, some fractional), or NULL. */
const time = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.integer({ min: -12, max: 25 }).map((s) => s * SEC) },
  { weight: 2, arbitrary: fc.integer({ min: -12 * SEC, max: 25 * SEC }) },
);
const row: fc.Arbitrary<Row> = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.option(fc.integer({ min: -3, max: 9 }), { nil: null }), time, time)
  .map((r): Datum[] => r);

function checkAgainstBatch(sql: string, numRuns = 60): void {
  checkRandomTransactionsAgainstBatch(sql, COLUMNS, row, numRuns);
}

describe('window table functions in continuous queries equal their batch result at every barrier', () => {
  it('TUMBLE rows (update pairs kept or split by NULL times)', () => {
    checkAgainstBatch("SELECT * FROM TUMBLE(t, ts, INTERVAL '10' SECOND) WHERE v IS DISTINCT FROM 0");
  });

  it('TUMBLE grouped by window: count, sum, max', () => {
    checkAgainstBatch("SELECT window_start, window_end, count(*), sum(v), max(v) FROM TUMBLE(t, ts, INTERVAL '10' SECOND) GROUP BY window_start, window_end");
  });

  it('TUMBLE on timestamptz, grouped by key and window', () => {
    checkAgainstBatch("SELECT k, window_end, count(v), min(v) FROM TUMBLE(t, tz, INTERVAL '7' SECOND) AS w GROUP BY k, window_end");
  });

  it('HOP rows, with size % slide != 0', () => {
    checkAgainstBatch("SELECT k, ts, window_start, window_end FROM HOP(t, ts, INTERVAL '4' SECOND, INTERVAL '10' SECOND)");
  });

  it('HOP grouped by window: count, sum, max', () => {
    checkAgainstBatch("SELECT window_start, count(*), sum(v), max(v) FROM HOP(t, ts, INTERVAL '5' SECOND, INTERVAL '15' SECOND) GROUP BY window_start");
  });
});

describe('materialized views over TUMBLE and HOP (engine)', function () {
  this.timeout(120_000);
  const VIEWS: Record<string, string> = {
    wv_tumble: "SELECT window_start, window_end, count(*) AS n, sum(v) AS total, max(v) AS top FROM TUMBLE(wt, ts, INTERVAL '10' SECOND) GROUP BY window_start, window_end",
    wv_hop: "SELECT k, window_start, window_end, count(*) AS n, min(v) AS low FROM HOP(wt, ts, INTERVAL '4' SECOND, INTERVAL '10' SECOND) GROUP BY k, window_start, window_end",
    wv_rows: "SELECT id, v, window_start FROM TUMBLE(wt, ts, INTERVAL '3' SECOND) WHERE v > 0",
  };
  const render = (r: Row[]) => r.map((x) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();
  const literal = (micros: number | null) => (micros === null ? 'NULL' : `'epoch'::timestamp + ${micros} * INTERVAL '1 microsecond'`);
  const change = fc.record({
    id: fc.integer({ min: 1, max: 6 }),
    k: fc.integer({ min: 0, max: 2 }),
    v: fc.option(fc.integer({ min: -2, max: 9 }), { nil: null }),
    ts: time,
    del: fc.boolean(),
  });

  it('equal their batch query after every insert, update and delete', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
        const dir = mkdtempSync(join(tmpdir(), 'freshet-wtvf-'));
        const engine = await FreshetEngine.open(dir);
        try {
          const s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
          await run(s, 'CREATE TABLE wt (id int PRIMARY KEY, k int, v int, ts timestamp)');
          await run(s, `INSERT INTO wt VALUES (1, 0, 1, ${literal(0)}), (2, 1, 5, ${literal(-3 * SEC)})`);
          for (const [name, q] of Object.entries(VIEWS)) await run(s, `CREATE MATERIALIZED VIEW ${name} AS ${q}`);
          for (const c of changes) {
            if (c.del) await run(s, `DELETE FROM wt WHERE id = ${c.id}`);
            else {
              await run(s, `INSERT INTO wt VALUES (${c.id}, ${c.k}, ${c.v ?? 'NULL'}, ${literal(c.ts)})
                ON CONFLICT (id) DO UPDATE SET k = excluded.k, v = excluded.v, ts = excluded.ts`);
            }
            for (const [name, q] of Object.entries(VIEWS)) {
              assert.deepEqual(render(await rows(s, `SELECT * FROM ${name}`)), render(await rows(s, q)), `${name} after ${JSON.stringify(c)}`);
            }
          }
        } finally {
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 15) },
    );
  });
});
