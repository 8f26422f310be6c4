/**
 * SESSION windows end to end in the engine: materialized views over a table under random inserts,
 * updates and deletes (which merge and split sessions), and over a stream WITH WATERMARK under random
 * appends (in order, out of order within the delay, late), each equal after every commit to the batch
 * SELECT (the closed-only view: the sessions ending at or before the watermark). Then a long stream:
 * the state of the session window and of the aggregate over it stays flat.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EngineSession } from '../../server/engine/api.js';
import type { Row } from '../../server/types/datum.js';
import { rows, run, sortedRows, withEngine } from './engine-harness.js';

const SEC = 1_000_000;
const BASE = Date.UTC(2024, 0, 1) * 1000;

const sortRows = sortedRows;
const ts = (micros: number | null) => (micros === null ? 'NULL' : `'${new Date(micros / 1000).toISOString().replace('T', ' ').replace('Z', '')}'::timestamp`);


async function assertViews(s: EngineSession, views: Record<string, string>, context: string): Promise<void> {
  for (const [name, q] of Object.entries(views)) {
    assert.deepEqual(sortRows(await rows(s, `SELECT * FROM ${name}`)), sortRows(await rows(s, q)), `${name} ${context}`);
  }
}

describe('SESSION windows in materialized views (engine)', function () {
  this.timeout(300_000);

  it('over a table: equal to the batch query after every insert, update and delete', async () => {
    const window = `SESSION(st, t, INTERVAL '5' SECOND)`;
    const views: Record<string, string> = {
      st_per_key: `SELECT k, window_start, window_end, count(*) AS n, sum(v) AS total FROM ${window} GROUP BY k, window_start, window_end`,
      st_all: `SELECT window_start, window_end, count(*) AS n, max(v) AS top FROM ${window} GROUP BY window_start, window_end`,
      st_rows: `SELECT id, window_start, window_end FROM ${window} WHERE v > 0`,
    };
    const change = fc.record({
      id: fc.integer({ min: 1, max: 8 }),
      k: fc.integer({ min: 0, max: 2 }),
      v: fc.integer({ min: -2, max: 9 }),
      at: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 10 }),
      del: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), async (txs) => {
        await withEngine(async (s) => {
          await run(s, 'CREATE TABLE st (id int PRIMARY KEY, k int, v int, t timestamp)');
          await run(s, `INSERT INTO st VALUES (1, 0, 1, ${ts(BASE)}), (2, 1, 5, ${ts(BASE + 4 * SEC)})`);
          for (const [name, q] of Object.entries(views)) await run(s, `CREATE MATERIALIZED VIEW ${name} AS ${q}`);
          for (let n = 0; n < txs.length; n++) {
            // One transaction per batch of changes: the views see them as one epoch.
            const statements = txs[n]!.map((c) =>
              c.del
                ? `DELETE FROM st WHERE id = ${c.id}`
                : `INSERT INTO st VALUES (${c.id}, ${c.k}, ${c.v}, ${ts(c.at === null ? null : BASE + c.at * SEC)}) ON CONFLICT (id) DO UPDATE SET k = excluded.k, v = excluded.v, t = excluded.t`,
            );
            await run(s, `BEGIN; ${statements.join('; ')}; COMMIT`);
            await assertViews(s, views, `after transaction ${n + 1}: ${JSON.stringify(txs[n])}`);
          }
        });
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 15) },
    );
  });

  it('over a stream with a watermark: updating and closed-only views equal the batch query after every append', async () => {
    const DELAY = 3;
    const GAP = 4;
    const window = `SESSION(ev, t, INTERVAL '${GAP}' SECOND)`;
    const open = `SELECT k, window_start, window_end, count(*) AS n, sum(v) AS total FROM ${window} GROUP BY k, window_start, window_end`;
    const closed = `SELECT k, window_start, window_end, count(*) AS n FROM ${window} GROUP BY k, window_start, window_end`;
    const event = fc.record({ at: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 15 }), k: fc.integer({ min: 0, max: 2 }), v: fc.integer({ min: -5, max: 20 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 10 }), async (batches) => {
        await withEngine(async (s) => {
          await run(s, `CREATE STREAM ev (k int, v int, t timestamp, WATERMARK FOR t AS t - INTERVAL '${DELAY}' SECOND)`);
          await run(s, `CREATE MATERIALIZED VIEW ev_open AS ${open}`);
          await run(s, `CREATE MATERIALIZED VIEW ev_closed AS ${closed} EMIT ON WINDOW CLOSE`);
          for (let b = 0; b < batches.length; b++) {
            // Batches drift forward 3 s each; times within a batch spread over 12 s, some late.
            const values = batches[b]!.map((e) => `(${e.k}, ${e.v}, ${ts(e.at === null ? null : BASE + (b * 3 + e.at) * SEC)})`);
            await run(s, `INSERT INTO ev VALUES ${values.join(', ')}`);
            await assertViews(
              s,
              {
                ev_open: open,
                ev_closed: `${closed} HAVING window_end <= (SELECT max(t) FROM ev) - INTERVAL '${DELAY}' SECOND`,
              },
              `after batch ${b}`,
            );
          }
        });
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 15) },
    );
  });

  it('keeps state flat on a long stream (closed sessions leave the state)', async () => {
    await withEngine(async (s) => {
      await run(s, `CREATE STREAM clicks (user_id int, t timestamp, WATERMARK FOR t AS t - INTERVAL '1' SECOND)`);
      const sessions = `SELECT user_id, window_start, window_end, count(*) AS n FROM SESSION(clicks, t, INTERVAL '2' SECOND) GROUP BY user_id, window_start, window_end`;
      await run(s, `CREATE MATERIALIZED VIEW user_sessions AS ${sessions}`);
      await run(s, `CREATE MATERIALIZED VIEW user_sessions_closed AS ${sessions} EMIT ON WINDOW CLOSE`);
      const stateRows = async () => new Map((await rows(s, "SELECT relname, state_rows FROM freshet_watermarks WHERE relname LIKE 'user_sessions%'")).map((r) => [r[0] as string, Number(r[1])]));
      const peaks = new Map<string, number>();
      // 200 transactions of 500 ticks from 5 users, 100 ticks per second of event time; clicks stop
      // for 3 s (more than the gap) every 10 s, so each user has a new session every 10 s: 100 each.
      for (let tx = 0; tx < 200; tx++) {
        const first = tx * 500;
        await run(
          s,
          `INSERT INTO clicks SELECT i % 5, TIMESTAMP '2024-01-01' + (i * INTERVAL '10 milliseconds') FROM generate_series(${first}, ${first + 499}) AS g(i) WHERE i % 1000 < 700`,
        );
        for (const [name, n] of await stateRows()) peaks.set(name, Math.max(peaks.get(name) ?? 0, n));
      }
      // Only the open sessions are held: their rows (at most 7 s of clicks, 700) and groups, never
      // the 70,000 clicks seen.
      for (const name of ['user_sessions', 'user_sessions_closed']) {
        const peak = peaks.get(name) ?? Infinity;
        assert.ok(peak <= 720, `${name} state ${peak}`);
      }
      const [[total, count]] = await rows(s, 'SELECT sum(n)::int8, count(*) FROM user_sessions');
      assert.equal(total, 70_000n);
      assert.equal(count, 500n);
      const [[closed]] = await rows(s, 'SELECT count(*) FROM user_sessions_closed');
      // All but the last 5, which end after the watermark.
      assert.equal(closed, 495n);
    });
  });
});
