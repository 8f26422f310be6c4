/**
 * Event time end to end in the engine: a stream WITH a WATERMARK under random batches of event times
 * (in order, out of order within the delay, late, NULL), windowed views with and without EMIT ON
 * WINDOW CLOSE. After every commit each view equals the batch query over the rows the stream
 * admitted (the closed-window view: only windows that end at or before the watermark), and the
 * late and NULL-time rows are exactly the ones counted. Then a long stream: operator state stays flat.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EngineSession } from '../../server/engine/api.js';
import type { Row } from '../../server/types/datum.js';
import { rows, run, sortedRows, withEngine } from './engine-harness.js';

const SEC = 1_000_000;
const DELAY_SEC = 3;
const BASE = Date.UTC(2024, 0, 1) * 1000;

const sortRows = sortedRows;
const ts = (micros: number) => `'${new Date(micros / 1000).toISOString().replace('T', ' ').replace('Z', '')}'::timestamp`;


const WINDOW = `TUMBLE(ev, t, INTERVAL '5' SECOND)`;
const VIEWS: Record<string, string> = {
  open_counts: `SELECT window_start, k, count(*) AS n, sum(v) AS s FROM ${WINDOW} GROUP BY window_start, k`,
  closed_counts: `SELECT window_start, window_end, count(*) AS n, max(v) AS top FROM ${WINDOW} GROUP BY window_start, window_end`,
};

/** An event: seconds after the base (fractional), or null for a missing event time. */
const event = fc.record({ at: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null, freq: 12 }), k: fc.integer({ min: 0, max: 2 }), v: fc.integer({ min: -5, max: 20 }) });
/** Batches drift forward: each batch's times are offset by a growing base, so windows close. */
const batches = fc.array(fc.array(event, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 10 });

describe('event time: watermarks, EMIT ON WINDOW CLOSE, late rows (engine)', function () {
  this.timeout(180_000);

  it('views equal the batch query over the admitted rows after every commit', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (bs) => {
        await withEngine(async (s) => {
          await run(s, `CREATE STREAM ev (k int, v int, t timestamp, WATERMARK FOR t AS t - INTERVAL '${DELAY_SEC}' SECOND)`);
          await run(s, `CREATE MATERIALIZED VIEW open_counts AS ${VIEWS.open_counts}`);
          await run(s, `CREATE MATERIALIZED VIEW closed_counts AS ${VIEWS.closed_counts} EMIT ON WINDOW CLOSE`);
          let maxTime = -Infinity;
          let late = 0;
          let nulls = 0;
          for (let b = 0; b < bs.length; b++) {
            const drift = b * 4 * SEC;
            const values: string[] = [];
            // The watermark the INSERT is checked against: the one committed before it.
            const watermark = maxTime - DELAY_SEC * SEC;
            let batchMax = maxTime;
            for (const e of bs[b]!) {
              const t = e.at === null ? null : BASE + drift + e.at * SEC - 20 * SEC;
              if (t === null) nulls++;
              else if (t < watermark) late++;
              else batchMax = Math.max(batchMax, t);
              values.push(`(${e.k}, ${e.v}, ${t === null ? 'NULL' : ts(t)})`);
            }
            await run(s, `INSERT INTO ev VALUES ${values.join(', ')}`);
            maxTime = batchMax;
            assert.deepEqual(sortRows(await rows(s, 'SELECT * FROM open_counts')), sortRows(await rows(s, VIEWS.open_counts)), `open_counts after batch ${b}`);
            const closedBatch = `${VIEWS.closed_counts} HAVING window_end <= (SELECT max(t) FROM ev) - INTERVAL '${DELAY_SEC}' SECOND`;
            assert.deepEqual(sortRows(await rows(s, 'SELECT * FROM closed_counts')), sortRows(await rows(s, closedBatch)), `closed_counts after batch ${b}`);
            const [counters] = await rows(s, "SELECT late_rows, null_time_rows FROM freshet_watermarks WHERE relname = 'ev'");
            assert.deepEqual(counters, [BigInt(late), BigInt(nulls)], `drop counters after batch ${b}`);
          }
        });
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 25) },
    );
  });

  it('keeps operator state flat on a long stream (closed windows are dropped)', async () => {
    await withEngine(async (s) => {
      await run(s, `CREATE STREAM ev (k int, v int, t timestamp, WATERMARK FOR t AS t - INTERVAL '1' SECOND)`);
      await run(s, `CREATE MATERIALIZED VIEW open_counts AS ${VIEWS.open_counts}`);
      await run(s, `CREATE MATERIALIZED VIEW closed_counts AS ${VIEWS.closed_counts} EMIT ON WINDOW CLOSE`);
      const stateRows = async () => new Map((await rows(s, "SELECT relname, state_rows FROM freshet_watermarks WHERE relkind <> 'stream'")).map((r) => [r[0] as string, Number(r[1])]));
      const peaks = new Map<string, number>();
      // 200 transactions of 500 events, 100 per second of event time: 1,000 seconds, 200 windows.
      for (let tx = 0; tx < 200; tx++) {
        const first = tx * 500;
        await run(s, `INSERT INTO ev SELECT i % 3, i % 7, TIMESTAMP '2024-01-01' + (i * INTERVAL '10 milliseconds') FROM generate_series(${first}, ${first + 499}) AS g(i)`);
        if (tx % 20 === 19) {
          for (const [name, n] of await stateRows()) peaks.set(name, Math.max(peaks.get(name) ?? 0, n));
        }
      }
      // One or two open windows of 5 s at a time (x 3 keys for open_counts), never the 200 seen.
      assert.ok((peaks.get('open_counts') ?? Infinity) <= 6, `open_counts state ${peaks.get('open_counts')}`);
      assert.ok((peaks.get('closed_counts') ?? Infinity) <= 2, `closed_counts state ${peaks.get('closed_counts')}`);
      const [[closed]] = await rows(s, 'SELECT count(*) FROM closed_counts');
      assert.equal(closed, 199n);
      const [[windows]] = await rows(s, 'SELECT count(DISTINCT window_start) FROM open_counts');
      assert.equal(windows, 200n);
    });
  });
});

describe('event time: an idle input stops holding back a UNION of streams', function () {
  this.timeout(60_000);

  it('closes windows by the active stream once the other has been quiet for watermark_idle_timeout', async () => {
    await withEngine(async (s) => {
      for (const name of ['busy', 'quiet']) {
        await run(s, `CREATE STREAM ${name} (v int, t timestamp, WATERMARK FOR t AS t) WITH (watermark_idle_timeout = '200 milliseconds')`);
      }
      await run(s, `CREATE MATERIALIZED VIEW per_window AS SELECT window_start, count(*) AS n FROM TUMBLE((SELECT * FROM busy UNION ALL SELECT * FROM quiet), t, INTERVAL '10' SECOND) GROUP BY window_start EMIT ON WINDOW CLOSE`);
      await run(s, "INSERT INTO quiet VALUES (1, '2024-01-01 00:00:01')");
      await run(s, "INSERT INTO busy VALUES (1, '2024-01-01 00:00:02')");
      // busy moves on; quiet's watermark (00:00:01) holds the union back until quiet counts as idle.
      await run(s, "INSERT INTO busy VALUES (2, '2024-01-01 00:00:30')");
      assert.deepEqual(await rows(s, 'SELECT * FROM per_window'), [], 'a window closed while the quiet stream still counted');
      const started = Date.now();
      let closed: Row[] = [];
      while (closed.length === 0) {
        if (Date.now() - started > 10_000) assert.fail('the idle stream held the watermark back for 10 s');
        await new Promise((r) => setImmediate(r));
        // Each commit is an epoch, where each input's idleness is looked at again.
        await run(s, "INSERT INTO busy VALUES (3, '2024-01-01 00:00:35')");
        closed = await rows(s, 'SELECT * FROM per_window ORDER BY window_start');
      }
      assert.ok(Date.now() - started >= 100, 'closed before the idle timeout could have passed');
      assert.equal(closed[0]![1], 2n);
    });
  });
});

describe('event time: malformed records (COPY ... ON_ERROR ignore)', () => {
  async function copy(s: EngineSession, sql: string, data: string): Promise<string> {
    const [parsed] = s.parse(sql);
    const result = await s.execute(await s.prepare(parsed!, []), []);
    assert.equal(result.kind, 'copyIn');
    if (result.kind !== 'copyIn') throw new Error('not COPY');
    result.sink.write(Buffer.from(data));
    return result.sink.finish();
  }

  it('skips and counts rows whose event time does not parse, and the stream goes on', async () => {
    await withEngine(async (s) => {
      await run(s, `CREATE STREAM ev (k int, v int, t timestamp, WATERMARK FOR t AS t - INTERVAL '1' SECOND)`);
      await run(s, `CREATE MATERIALIZED VIEW n AS SELECT count(*) AS c FROM ev`);
      const data = '1,1,2024-01-01 00:00:01\n2,2,not a time\n3,x,2024-01-01 00:00:02\n4,4,\n5,5,2024-01-01 00:00:03\n';
      await assert.rejects(copy(s, 'COPY ev FROM STDIN WITH (FORMAT csv)', data), /invalid input syntax/);
      assert.equal(await copy(s, 'COPY ev FROM STDIN WITH (FORMAT csv, ON_ERROR ignore)', data), 'COPY 2');
      assert.deepEqual(await rows(s, 'SELECT c FROM n'), [[2n]]);
      assert.deepEqual(
        await rows(s, "SELECT late_rows, null_time_rows, malformed_rows FROM freshet_watermarks WHERE relname = 'ev'"),
        [[0n, 1n, 2n]],
      );
    });
  });
});

describe('event time: a window join keeps state only for open windows', function () {
  this.timeout(60_000);

  it('equals the batch query and its state stays flat on long streams', async () => {
    await withEngine(async (s) => {
      for (const name of ['clicks', 'views']) {
        await run(s, `CREATE STREAM ${name} (u int, t timestamp, WATERMARK FOR t AS t - INTERVAL '1' SECOND)`);
      }
      const query = `SELECT c.window_start, c.n AS clicks, v.n AS views FROM
        (SELECT window_start, count(*) AS n FROM TUMBLE(clicks, t, INTERVAL '5' SECOND) GROUP BY window_start) AS c
        JOIN (SELECT window_start, count(*) AS n FROM TUMBLE(views, t, INTERVAL '5' SECOND) GROUP BY window_start) AS v
        ON c.window_start = v.window_start`;
      await run(s, `CREATE MATERIALIZED VIEW per_window AS ${query}`);
      let peak = 0;
      for (let tx = 0; tx < 100; tx++) {
        const first = tx * 300;
        // Both streams advance at the same pace (the join's watermark is the slower one's).
        for (const [name, every] of [['clicks', 1], ['views', 3]] as const) {
          await run(s, `INSERT INTO ${name} SELECT i % 5, TIMESTAMP '2024-01-01' + (i * INTERVAL '10 milliseconds') FROM generate_series(${first}, ${first + 299}) AS g(i) WHERE i % ${every} = 0`);
        }
        const [[state]] = await rows(s, "SELECT state_rows FROM freshet_watermarks WHERE relname = 'per_window'");
        peak = Math.max(peak, Number(state));
      }
      assert.deepEqual(sortRows(await rows(s, 'SELECT * FROM per_window')), sortRows(await rows(s, query)));
      // Two aggregates and the join hold a couple of open windows each, not the ~60 windows seen.
      assert.ok(peak <= 16, `state rows peaked at ${peak}`);
    });
  });
});
