/**
 * Materialized views with WHERE subqueries ([NOT] EXISTS, IN, a one-row scalar subquery), which run
 * as joins: after random changes to both tables, each view equals its query run as a batch SELECT.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { Row } from '../../server/types/datum.js';
import { rows, run } from './engine-harness.js';

const VIEWS: Record<string, string> = {
  v_exists: 'SELECT id, x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.y = a.x AND b.z > 0)',
  v_not_exists: 'SELECT id, x FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.y = a.x)',
  v_in: 'SELECT id, x FROM a WHERE x IN (SELECT y FROM b WHERE z <> 0) AND id > 0',
  v_scalar: 'SELECT id, x FROM a WHERE x > (SELECT avg(y) FROM b)',
  v_uncorrelated_exists: 'SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE z > 3)',
};

const sortRows = (r: Row[]) => r.map((x) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();

const small = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
const change = fc.oneof(
  fc.record({ t: fc.constant('a' as const), id: fc.integer({ min: 1, max: 6 }), x: small, del: fc.boolean() }),
  fc.record({ t: fc.constant('b' as const), id: fc.integer({ min: 1, max: 6 }), x: small, z: fc.integer({ min: -1, max: 5 }), del: fc.boolean() }),
);

describe('materialized views with WHERE subqueries (run as joins)', function () {
  this.timeout(120_000);
  it('equal their batch query after every change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
        const dir = mkdtempSync(join(tmpdir(), 'freshet-subq-'));
        const engine = FreshetEngine.open(dir);
        try {
          const s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
          await run(s, 'CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (id int PRIMARY KEY, y int, z int)');
          await run(s, 'INSERT INTO a VALUES (1, 1), (2, 2); INSERT INTO b VALUES (1, 1, 5), (2, 2, -1)');
          for (const [name, q] of Object.entries(VIEWS)) await run(s, `CREATE MATERIALIZED VIEW ${name} AS ${q}`);
          for (const c of changes) {
            const z = c.t === 'b' ? `, ${c.z}` : '';
            const col = c.t === 'a' ? 'x' : 'y';
            if (c.del) await run(s, `DELETE FROM ${c.t} WHERE id = ${c.id}`);
            else await run(s, `INSERT INTO ${c.t} VALUES (${c.id}, ${c.x ?? 'NULL'}${z}) ON CONFLICT (id) DO UPDATE SET ${col} = excluded.${col}${c.t === 'b' ? ', z = excluded.z' : ''}`);
            for (const [name, q] of Object.entries(VIEWS)) {
              assert.deepEqual(sortRows(await rows(s, `SELECT * FROM ${name}`)), sortRows(await rows(s, q)), `${name} after ${JSON.stringify(c)}`);
            }
          }
        } finally {
          engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 20) },
    );
  });

  it('refuses NOT IN, whose NULL rules the join rewrite does not cover yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freshet-subq-'));
    const engine = FreshetEngine.open(dir);
    try {
      const s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
      await run(s, 'CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (id int PRIMARY KEY, y int, z int)');
      await assert.rejects(run(s, 'CREATE MATERIALIZED VIEW bad AS SELECT * FROM a WHERE x NOT IN (SELECT y FROM b)'), /subqueries in expressions are not supported/);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
