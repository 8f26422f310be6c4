/**
 * Interval joins through the engine: materialized views over two watermarked streams (so the join
 * runs as an IntervalJoin and evicts as the watermarks advance) equal their defining query run as a
 * batch SELECT after every insert, with rows arriving out of order within, and late beyond, the
 * streams' watermark delay (late rows are dropped at the stream, for both).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { Row } from '../../server/types/datum.js';
import { rows, run } from '../engine/engine-harness.js';

const VIEWS: Record<string, string> = {
  within: "SELECT a.id, a.t, a.v, b.t AS bt, b.w FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '3' MINUTE AND a.t",
  around: "SELECT a.v, b.w FROM a, b WHERE a.id = b.id AND b.t > a.t - INTERVAL '2' MINUTE AND a.t + INTERVAL '1' MINUTE > b.t AND a.v <> b.w",
  keyless: "SELECT a.t, b.t AS bt FROM a JOIN b ON a.t BETWEEN b.t AND b.t + INTERVAL '1' MINUTE",
};

const render = (rs: readonly Row[]) => rs.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();

/** A timestamp literal `minutes` after 2024-01-01 00:00. */
function at(minutes: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + minutes * 60_000);
  return `'${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

describe('interval joins in materialized views', () => {
  const insert = fc.record({
    stream: fc.constantFrom('a', 'b'),
    id: fc.integer({ min: 0, max: 1 }),
    // one clock for both streams, so their rows meet; each row a little before or after it (late or not)
    tick: fc.integer({ min: 0, max: 1 }),
    offset: fc.integer({ min: -3, max: 1 }),
    v: fc.integer({ min: 0, max: 2 }),
  });

  it('equal their batch query after every insert while the watermarks evict state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(insert, { minLength: 1, maxLength: 40 }), async (inserts) => {
        const dir = mkdtempSync(join(tmpdir(), 'freshet-ij-'));
        const engine = await FreshetEngine.open(dir);
        try {
          const s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
          await run(s, "CREATE STREAM a (id int, t timestamp, v int, WATERMARK FOR t AS t - INTERVAL '2' MINUTE)");
          await run(s, "CREATE STREAM b (id int, t timestamp, w int, WATERMARK FOR t AS t - INTERVAL '2' MINUTE)");
          for (const [name, q] of Object.entries(VIEWS)) await run(s, `CREATE MATERIALIZED VIEW ${name} AS ${q}`);
          let clock = 0;
          for (const c of inserts) {
            clock += c.tick;
            const time = clock + c.offset;
            await run(s, `INSERT INTO ${c.stream} VALUES (${c.id}, ${at(time)}, ${c.v})`);
            for (const [name, q] of Object.entries(VIEWS)) {
              assert.deepEqual(render(await rows(s, `SELECT * FROM ${name}`)), render(await rows(s, q)), `${name} after ${JSON.stringify(c)}`);
            }
          }
        } finally {
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 30) },
    );
  });
});
