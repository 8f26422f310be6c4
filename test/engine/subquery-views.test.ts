/**
 * Materialized views with subqueries ([NOT] EXISTS, [NOT] IN, <> ALL, scalar subqueries over
 * aggregates or plain rows, uncorrelated or correlated by equalities; in WHERE, select lists and
 * GROUP BY), which run as joins: after random changes to both tables, each view equals its query run
 * as a batch SELECT (the subplan evaluated per row, a different code path).
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
  v_not_in: 'SELECT id, x FROM a WHERE x NOT IN (SELECT y FROM b)',
  v_not_in_correlated: 'SELECT id, x NOT IN (SELECT y FROM b WHERE b.z = a.id) AS f FROM a',
  v_in_item: 'SELECT id, x IN (SELECT y FROM b WHERE z > 0) AS f, x <> ALL (SELECT z FROM b) AS g FROM a',
  v_scalar_correlated: 'SELECT id, (SELECT count(*) FROM b WHERE b.y = a.x) AS n, (SELECT max(z) + 1 FROM b WHERE b.y = a.x) AS m FROM a',
  v_scalar_row: 'SELECT id, (SELECT y FROM b WHERE b.id = a.x) AS y FROM a',
  v_exists_item: 'SELECT id, EXISTS (SELECT 1 FROM b WHERE b.y = a.x) OR x IS NULL AS e FROM a',
  v_group_by_subquery: 'SELECT (SELECT count(*) FROM b WHERE b.y = a.x) AS n, count(*) AS c, sum((SELECT min(z) FROM b WHERE b.id = a.id)) AS s FROM a GROUP BY (SELECT count(*) FROM b WHERE b.y = a.x)',
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
        const engine = await FreshetEngine.open(dir);
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
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.FRESHET_ORACLE_RUNS ?? 20) },
    );
  });

  it('refuses a correlation that is not an equality, naming what views keep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freshet-subq-'));
    const engine = await FreshetEngine.open(dir);
    try {
      const s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
      await run(s, 'CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (id int PRIMARY KEY, y int, z int)');
      await assert.rejects(run(s, 'CREATE MATERIALIZED VIEW bad AS SELECT * FROM a WHERE x NOT IN (SELECT y FROM b WHERE b.z < a.id)'), /subquery cannot be kept current in a materialized view/);
      await assert.rejects(run(s, 'CREATE MATERIALIZED VIEW bad AS SELECT * FROM a WHERE x > ANY (SELECT y FROM b)'), /> ANY \(subquery\) cannot be kept current/);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
