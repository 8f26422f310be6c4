/**
 * Processing time (issue 5): PROCTIME() stamps each row with the time Freshet processed it. A sink
 * and a SUBSCRIBE may use it (their output leaves as it is computed); a materialized view and a
 * derived stream refuse it with 0A000 (their rows must be the same when rebuilt or replayed).
 */
import assert from 'node:assert/strict';
import { failsWith, rows, run, withEngine } from './engine-harness.js';

const WINDOW_US = 10_000_000n;

describe('PROCTIME() in continuous queries', function () {
  this.timeout(60_000);

  it('windows a SUBSCRIBE by processing time: every row in exactly one 10-second window around now', async () => {
    await withEngine(async (s, engine) => {
      const writer = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
      await run(s, 'CREATE STREAM clicks (user_id int)');
      await run(s, 'BEGIN');
      await run(s, "DECLARE c CURSOR FOR SUBSCRIBE (SELECT user_id, window_start, count(*) AS n FROM TUMBLE((SELECT *, PROCTIME() AS p FROM clicks), p, INTERVAL '10' SECOND) GROUP BY user_id, window_start) WITH (progress = false)");
      const before = BigInt(Date.now()) * 1000n;
      await run(writer, 'INSERT INTO clicks VALUES (1), (2), (1)');
      await run(writer, 'INSERT INTO clicks VALUES (1)');
      const after = BigInt(Date.now()) * 1000n;
      const changes = await rows(s, "FETCH ALL c WITH (timeout = '0s')");
      await run(s, 'COMMIT');
      // Consolidate the changelog: per (user, window) the last count wins, retractions remove it.
      const counts = new Map<string, bigint>();
      for (const [, , op, user, start, n] of changes as [bigint, boolean, string, number, number, bigint][]) {
        const key = `${user}@${start}`;
        if (op === '+I' || op === '+U') counts.set(key, n);
        else counts.delete(key);
      }
      let total = 0n;
      for (const [key, n] of counts) {
        const start = BigInt(key.split('@')[1]!);
        assert.equal(start % WINDOW_US, 0n, `window ${key} not aligned to 10 s`);
        assert.ok(start + WINDOW_US > before && start <= after, `window ${key} is not around the time of the inserts`);
        total += n;
      }
      assert.equal(total, 4n);
    });
  });

  it('lets a sink use it, and refuses it in a view and a derived stream', async () => {
    await withEngine(async (s, engine) => {
      await run(s, 'CREATE STREAM clicks (user_id int)');
      await run(s, "CREATE SINK per_window AS SELECT user_id, window_start, count(*) FROM TUMBLE((SELECT *, PROCTIME() AS p FROM clicks), p, INTERVAL '10' SECOND) GROUP BY user_id, window_start WITH (connector = 'blackhole')");
      await run(s, 'INSERT INTO clicks VALUES (1), (2)');
      const sink = engine.catalog.relations().find((r) => r.name === 'per_window')!;
      assert.ok((engine.views.sinkRows.get(sink.oid) ?? 0) >= 2);
      await failsWith(s, 'CREATE MATERIALIZED VIEW v AS SELECT user_id, PROCTIME() AS p FROM clicks', '0A000');
      await failsWith(s, 'CREATE STREAM d AS SELECT user_id, PROCTIME() AS p FROM clicks', '0A000');
      // now() stays refused everywhere a continuous query runs: only PROCTIME() is processing time.
      await failsWith(s, "CREATE SINK n AS SELECT user_id, now() FROM clicks WITH (connector = 'blackhole')", '0A000');
      assert.deepEqual(await rows(s, 'SELECT count(*) FROM clicks WHERE PROCTIME() IS NOT NULL'), [[2n]]);
    });
  });
});
