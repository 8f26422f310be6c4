/**
 * The built-in Nexmark source (CREATE SOURCE ... WITH (connector = 'nexmark')): every Nexmark query
 * that runs, as a materialized view fed epoch by epoch from the sources, equals the same query run as
 * a batch SELECT over the sources' rows (regenerated from the seed, another code path); a blackhole
 * sink counts what it drops; a realtime source generates by itself; writes and wrong DDL are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { EngineSession } from '../../server/engine/api.js';
import type { Row } from '../../server/types/datum.js';
import { NEXMARK_QUERY_NUMBERS, readNexmarkQuery } from '../nexmark/query-files.js';
import { failsWith, rows, run } from './engine-harness.js';

const EVENTS = 6_000;
const sortRows = (r: Row[]) => r.map((x) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : typeof v === 'object' && v !== null && !Array.isArray(v) ? String(v) : v))).sort();

async function withEngine(autostart: boolean, f: (s: EngineSession, engine: FreshetEngine) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'freshet-nexmark-source-'));
  const engine = await FreshetEngine.open(dir, { sourcesAutostart: autostart });
  try {
    await f(engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} }), engine);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createSources(s: EngineSession, extra = ''): Promise<void> {
  for (const kind of ['person', 'auction', 'bid']) {
    await run(s, `CREATE SOURCE ${kind} WITH (connector = 'nexmark', type = '${kind}', max_events = '${EVENTS}', seed = '7', event_rate = '50'${extra})`);
  }
}

describe('Nexmark source (CREATE SOURCE ... connector nexmark)', function () {
  this.timeout(120_000);

  it('feeds every runnable Nexmark query as a view that equals its batch SELECT', async () => {
    await withEngine(false, async (s, engine) => {
      await createSources(s, ", pace = 'max'");
      const queries = NEXMARK_QUERY_NUMBERS.map(readNexmarkQuery).filter((q) => q.status === null);
      assert.ok(queries.length >= 20, `only ${queries.length} queries run`);
      for (const q of queries) await run(s, `CREATE MATERIALIZED VIEW nexmark_${q.name} AS ${q.freshet}`);
      engine.sources.drain();
      const [[bids]] = await rows(s, 'SELECT count(*) FROM bid');
      assert.equal(bids, BigInt((EVENTS / 50) * 46));
      for (const q of queries) {
        assert.deepEqual(sortRows(await rows(s, `SELECT * FROM nexmark_${q.name}`)), sortRows(await rows(s, q.freshet)), q.name);
      }
    });
  });

  it('counts what a blackhole sink drops, and EMIT ON WINDOW CLOSE closes windows by the source watermark', async () => {
    await withEngine(false, async (s, engine) => {
      await createSources(s, ", pace = 'max', watermark_delay = '1 second'");
      await run(s, "CREATE SINK all_bids AS SELECT auction, price FROM bid WITH (connector = 'blackhole')");
      await run(s, "CREATE MATERIALIZED VIEW per_window AS SELECT window_start, count(*) AS n FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start EMIT ON WINDOW CLOSE");
      engine.sources.drain();
      const sink = engine.catalog.lookup(undefined, 'all_bids')!;
      assert.equal(engine.views.sinkRows.get(sink.oid), (EVENTS / 50) * 46);
      assert.deepEqual(await rows(s, 'SELECT * FROM all_bids'), []);
      // 6,000 events at 50/s: 120 s of event time, 12 windows; the watermark (119.98 s - 1 s) closes 11.
      const closed = await rows(s, 'SELECT n FROM per_window ORDER BY window_start');
      assert.equal(closed.length, 11);
      const batch = await rows(s, "SELECT count(*) FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start ORDER BY window_start");
      assert.deepEqual(closed, batch.slice(0, 11));
    });
  });

  it('generates by itself at event_rate when autostarted', async () => {
    await withEngine(true, async (s) => {
      await run(s, "CREATE SOURCE bid WITH (connector = 'nexmark', type = 'bid', event_rate = '2000')");
      await run(s, 'CREATE MATERIALIZED VIEW n AS SELECT count(*) AS c FROM bid');
      const deadline = Date.now() + 10_000;
      let count = 0n;
      while (count < 100n) {
        if (Date.now() > deadline) assert.fail(`the source generated ${count} bids in 10 s`);
        await new Promise((r) => setImmediate(r));
        count = (await rows(s, 'SELECT c FROM n'))[0]![0] as bigint;
      }
    });
  });

  it('refuses writes to a source and wrong options', async () => {
    await withEngine(false, async (s) => {
      await createSources(s);
      await failsWith(s, 'INSERT INTO bid SELECT * FROM bid', '42809');
      await failsWith(s, 'DROP STREAM bid', '42809');
      await failsWith(s, "CREATE SOURCE x WITH (connector = 'kafka')", '0A000');
      await failsWith(s, "CREATE SOURCE x WITH (connector = 'nexmark', type = 'dog')", '22023');
      await failsWith(s, "CREATE SOURCE x WITH (connector = 'nexmark', type = 'bid', max_events = '-1')", '22023');
      await failsWith(s, "CREATE SOURCE x WITH (connector = 'nexmark', type = 'bid', colour = 'red')", '22023');
      await failsWith(s, "CREATE SINK y AS SELECT * FROM bid WITH (connector = 'postgres')", '0A000');
      await run(s, 'DROP SOURCE person');
      await failsWith(s, 'SELECT * FROM person', '42P01');
    });
  });
});
