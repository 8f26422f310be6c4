/**
 * Differential test: each query runs on the planner (over in-memory tables) and on a real
 * PostgreSQL 15 with the same data; the text of every result value must be equal. Queries with a
 * top-level ORDER BY compare in order, others as multisets. Skipped when PostgreSQL is not installed.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { sharedPostgres, postgresAvailable, createDatabase } from '../support/postgres-server.js';
import { Numeric } from '../../server/types/numeric.js';
import { FakeDatabase, T } from './harness.js';
import { withScale } from '../../server/types/numeric.js';

const num = (s: string) => withScale(new Numeric(s), s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

const SETUP = [
  'CREATE TABLE t (a int4, b text, c numeric(10,2))',
  "INSERT INTO t VALUES (1, 'x', 1.50), (2, NULL, 2.25), (3, 'z', NULL), (NULL, 'w', 4.00), (2, 'x', 0.10)",
  'CREATE TABLE u (a int4, d text)',
  "INSERT INTO u VALUES (1, 'one'), (2, 'two'), (2, 'deux'), (5, 'five'), (NULL, 'null')",
  'CREATE TABLE e (x int4)',
];

function fake(): FakeDatabase {
  return new FakeDatabase()
    .table('t', { columns: [['a', T.int4], ['b', T.text], ['c', { kind: 'numeric', typmod: ((10 << 16) | 2) + 4 }]], rows: [
      [1, 'x', num('1.50')], [2, null, num('2.25')], [3, 'z', null], [null, 'w', num('4.00')], [2, 'x', num('0.10')],
    ] })
    .table('u', { columns: [['a', T.int4], ['d', T.text]], rows: [[1, 'one'], [2, 'two'], [2, 'deux'], [5, 'five'], [null, 'null']] })
    .table('e', { columns: [['x', T.int4]], rows: [] });
}

export const ORACLE_QUERIES: readonly string[] = [
  // filters, NULL logic, projections
  'SELECT * FROM t',
  'SELECT a, b FROM t WHERE a > 1',
  'SELECT a FROM t WHERE a > 1 OR b IS NULL',
  'SELECT a FROM t WHERE NOT (a > 1 AND b = \'x\')',
  'SELECT a, a > 1 AND b IS NOT NULL, a > 1 OR NULL, NOT (a = 2) FROM t',
  'SELECT a + 1 AS x, b || \'!\', -a, a * 2 - 1, a / 2, a % 2 FROM t',
  'SELECT c * 2, c + a, c / 3 FROM t',
  'SELECT CASE WHEN a > 1 THEN \'big\' WHEN a = 1 THEN \'one\' END FROM t',
  'SELECT CASE a WHEN 1 THEN 10 WHEN 2 THEN 20 ELSE 0 END FROM t',
  'SELECT COALESCE(b, \'none\'), NULLIF(a, 2), GREATEST(a, 2), LEAST(a, 2) FROM t',
  'SELECT a FROM t WHERE a BETWEEN 2 AND 3',
  'SELECT a FROM t WHERE a IN (1, 3)',
  'SELECT a, a NOT IN (1, NULL), a IN (1, NULL) FROM t',
  'SELECT b FROM t WHERE b LIKE \'%x%\' OR b ILIKE \'W\'',
  'SELECT a IS DISTINCT FROM 2, a IS NOT DISTINCT FROM NULL FROM t',
  'SELECT (a, b) = (2, \'x\'), (a, 1) < (2, 0) FROM t',
  'SELECT 1, \'lit\', NULL, 1.5, 2147483648, -2147483648',
  'SELECT $1::int + 1',
  // ORDER BY, LIMIT, OFFSET
  'SELECT a, b FROM t ORDER BY a',
  'SELECT a, b FROM t ORDER BY a DESC',
  'SELECT a, b FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST',
  'SELECT a, b FROM t ORDER BY b, a',
  'SELECT a AS k FROM t ORDER BY k DESC LIMIT 2',
  'SELECT a, b FROM t ORDER BY 2, 1 LIMIT 3 OFFSET 1',
  'SELECT a FROM t ORDER BY a + 0 DESC NULLS LAST OFFSET 2',
  'SELECT a FROM t ORDER BY -a LIMIT 0',
  // joins
  'SELECT t.a, t.b, u.d FROM t JOIN u ON t.a = u.a ORDER BY 1, 3',
  'SELECT t.a, t.b, u.d FROM t LEFT JOIN u ON t.a = u.a ORDER BY 1, 2, 3',
  'SELECT t.a, u.a, u.d FROM t RIGHT JOIN u ON t.a = u.a ORDER BY 2, 3, 1',
  'SELECT t.a, u.a, u.d FROM t FULL JOIN u ON t.a = u.a ORDER BY 1, 2, 3',
  'SELECT t.a, u.a FROM t LEFT JOIN u ON t.a < u.a ORDER BY 1, 2',
  'SELECT t.a, u.d FROM t LEFT JOIN u ON t.a = u.a AND u.d <> \'two\' ORDER BY 1, 2',
  'SELECT * FROM t JOIN u USING (a) ORDER BY a, d, b',
  'SELECT * FROM t FULL JOIN u USING (a) ORDER BY a, d, b',
  'SELECT * FROM t NATURAL JOIN u ORDER BY 1, 2, 4',
  'SELECT count(*) FROM t, u',
  'SELECT t.a, x FROM t CROSS JOIN e',
  'SELECT t.a, e.x FROM t LEFT JOIN e ON true ORDER BY 1',
  // aggregates
  'SELECT count(*), count(a), count(b), sum(a), avg(a), min(a), max(a) FROM t',
  'SELECT sum(c), avg(c), min(c), max(c) FROM t',
  'SELECT count(*), sum(x), avg(x), max(x) FROM e',
  'SELECT b, count(*), sum(a) FROM t GROUP BY b ORDER BY b',
  'SELECT a, count(DISTINCT b), string_agg(b, \',\' ORDER BY b), array_agg(c ORDER BY c) FROM t GROUP BY a ORDER BY a',
  'SELECT bool_and(a > 0), bool_or(a > 2), every(a < 10) FROM t',
  'SELECT stddev(a), variance(a), stddev_pop(a), var_pop(a), var_samp(c), stddev_samp(c) FROM t',
  'SELECT stddev(a::float8), variance(a::float8) FROM t',
  'SELECT a % 2 AS parity, count(*) FROM t GROUP BY 1 ORDER BY 1',
  'SELECT b, count(*) FROM t GROUP BY b HAVING count(*) > 1',
  'SELECT count(*) FILTER (WHERE a > 1), sum(a) FILTER (WHERE b IS NOT NULL) FROM t',
  'SELECT sum(a::int8), sum(a::float4), avg(a::float8) FROM t',
  'SELECT b, a FROM t GROUP BY b, a ORDER BY b, a',
  'SELECT count(*) FROM e GROUP BY x',
  'SELECT b, sum(a) FROM t GROUP BY ROLLUP (b) ORDER BY b',
  // DISTINCT
  'SELECT DISTINCT a FROM t ORDER BY a',
  'SELECT DISTINCT b FROM t',
  'SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC',
  // set operations
  'SELECT a FROM t UNION SELECT a FROM u ORDER BY 1',
  'SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY 1',
  'SELECT a FROM t INTERSECT SELECT a FROM u ORDER BY 1',
  'SELECT a FROM t INTERSECT ALL SELECT a FROM u ORDER BY 1',
  'SELECT a FROM u EXCEPT SELECT a FROM t ORDER BY 1',
  'SELECT a FROM u EXCEPT ALL SELECT a FROM t ORDER BY 1',
  'SELECT 1 AS n UNION SELECT 2.5 ORDER BY n DESC',
  // subqueries
  'SELECT a, (SELECT max(u.a) FROM u WHERE u.a < t.a) FROM t ORDER BY a',
  'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a) ORDER BY a',
  'SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a) ORDER BY a',
  'SELECT a FROM t WHERE a IN (SELECT a FROM u) ORDER BY a',
  'SELECT a, a NOT IN (SELECT a FROM u) FROM t ORDER BY a',
  'SELECT a, a NOT IN (SELECT a FROM u WHERE a IS NOT NULL) FROM t ORDER BY a',
  'SELECT a, a = ANY (SELECT a FROM u), a > ALL (SELECT a FROM u WHERE a IS NOT NULL) FROM t ORDER BY a',
  'SELECT (SELECT count(*) FROM u), (SELECT d FROM u WHERE a = 5)',
  'SELECT s.k, s.n FROM (SELECT a AS k, count(*) AS n FROM t GROUP BY a) s WHERE s.n > 1',
  'SELECT ARRAY(SELECT a FROM u WHERE a IS NOT NULL ORDER BY a)',
  'SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a), count(*) FROM t GROUP BY a ORDER BY a',
  // CTEs, VALUES, table functions
  'WITH big AS (SELECT a FROM t WHERE a > 1) SELECT count(*), sum(a) FROM big',
  'WITH x(n) AS (SELECT a FROM t), y AS (SELECT n FROM x WHERE n IS NOT NULL) SELECT * FROM y ORDER BY n',
  'VALUES (1, \'a\'), (2, NULL) ORDER BY 1 DESC',
  'SELECT * FROM (VALUES (1, 2.5), (3, NULL)) AS v(p, q) ORDER BY p',
  'SELECT * FROM generate_series(1, 5)',
  'SELECT g * 2 FROM generate_series(10, 1, -3) AS g',
  'SELECT * FROM generate_series(1, 3) a CROSS JOIN generate_series(1, 2) b ORDER BY 1, 2',
  'SELECT * FROM unnest(ARRAY[1, 2, NULL]) AS x',
  // WITH RECURSIVE
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r',
  'WITH RECURSIVE r(n) AS (SELECT a FROM t WHERE a IS NOT NULL UNION SELECT n % 2 FROM r) SELECT n FROM r ORDER BY n',
  'WITH RECURSIVE chain AS (SELECT 1 AS lvl, 1::int8 AS f UNION ALL SELECT lvl + 1, f * (lvl + 1) FROM chain WHERE lvl < 10) SELECT max(f), count(*) FROM chain',
  // set-returning functions in the select list, composite fields
  'SELECT a, generate_series(1, a) FROM t WHERE a IS NOT NULL ORDER BY 1, 2',
  "SELECT unnest(ARRAY[1, 2, 3]), unnest(ARRAY['a', 'b'])",
  'SELECT (information_schema._pg_expandarray(ARRAY[10, 20])).n, (information_schema._pg_expandarray(ARRAY[10, 20])).x',
  'SELECT (s.k).x, (s.k).n FROM (SELECT information_schema._pg_expandarray(ARRAY[5, 6]) AS k) s ORDER BY 2',
  // more expressions and shapes
  'SELECT 10 / 4, 10.0 / 4, 7 % 3, 2 ^ 10, -7 / 2, 1.5 + 1, 3 * 1.25',
  'SELECT CAST(c AS int), c::text, a::numeric / 3, a::text || b FROM t',
  'SELECT count(*) FROM t WHERE b IN (SELECT d FROM u)',
  'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND EXISTS (SELECT 1 FROM u u2 WHERE u2.d <> u.d AND u2.a = t.a)) ORDER BY a',
  'SELECT t1.a, t1.b FROM t t1 WHERE t1.a >= (SELECT avg(a) FROM t t2 WHERE t2.b = t1.b) ORDER BY 1',
  'SELECT x FROM (SELECT a AS x FROM t UNION ALL SELECT a FROM u) s WHERE x > 1 ORDER BY x',
  'SELECT a, b FROM t ORDER BY a LIMIT 2 OFFSET 10',
  "SELECT string_agg(DISTINCT b, '-'), array_agg(DISTINCT a) FROM t",
  'SELECT a, count(*) FROM t GROUP BY a ORDER BY count(*) DESC, a',
  'SELECT t.a FROM t LEFT JOIN u ON t.a = u.a WHERE u.a IS NULL ORDER BY 1',
  'SELECT * FROM t WHERE a = ANY (ARRAY[1, 2]) ORDER BY a, b',
  'SELECT max(b), min(c) FROM t GROUP BY a HAVING max(b) IS NOT NULL ORDER BY 1, 2',
  'SELECT DISTINCT ON (b) b, a FROM t ORDER BY b, a DESC',
  'SELECT a, b, sum(a) OVER (), avg(c) OVER (PARTITION BY b) FROM t ORDER BY a, b',
  'SELECT a, b FROM t GROUP BY CUBE (a, b) ORDER BY 1, 2',
  "SELECT a FROM t WHERE b ~ '^[xz]$' AND b !~* 'Z' ORDER BY 1",
  'SELECT b, count(*), sum(count(*)) OVER (), rank() OVER (ORDER BY count(*) DESC) FROM t GROUP BY b ORDER BY b',
  'SELECT 1 WHERE false',
  'SELECT count(*) FROM t HAVING count(*) > 0',
  'SELECT b FROM t GROUP BY b ORDER BY count(*) DESC, b',
  'SELECT a, b FROM t GROUP BY GROUPING SETS ((a), (b), ()) ORDER BY 1, 2',
  // LATERAL
  'SELECT t.a, x FROM t, LATERAL (SELECT u.d AS x FROM u WHERE u.a = t.a) s ORDER BY 1, 2',
  'SELECT t.a, s.x FROM t LEFT JOIN LATERAL (SELECT max(u.d) AS x FROM u WHERE u.a > t.a) s ON true ORDER BY 1',
  'SELECT t.a, g FROM t, generate_series(1, t.a) g ORDER BY 1, 2',
  "SELECT t.a, s.d FROM t LEFT JOIN LATERAL (SELECT d FROM u WHERE u.a = t.a) s ON s.d <> 'two' ORDER BY 1, 2",
  'SELECT t.a, s.n FROM t CROSS JOIN LATERAL (SELECT count(*) AS n FROM u WHERE u.a <= t.a) s ORDER BY 1',
  // breadth
  'SELECT upper(b), length(b), substr(b, 1, 1) FROM t',
  "SELECT a, CASE WHEN a IS NULL THEN 'null' ELSE a::text END FROM t",
  'SELECT coalesce(sum(x), 0) FROM e',
  'SELECT count(*) FROM t WHERE b IS NOT DISTINCT FROM NULL',
  'SELECT t.*, u.* FROM t, u WHERE t.a = u.a ORDER BY 1, 5',
  'SELECT a FROM t t1 WHERE a = (SELECT min(a) FROM t t2 WHERE t2.b = t1.b) ORDER BY 1',
  "SELECT 'a' || 1 || true, 1 || 'b'",
  'SELECT (SELECT a FROM u ORDER BY a LIMIT 1 OFFSET 1)',
  'SELECT * FROM t ORDER BY c DESC NULLS LAST, a LIMIT 3',
  'SELECT a, c, c > 1 FROM t WHERE c BETWEEN 0.5 AND 3',
  "SELECT b FROM t GROUP BY b HAVING b > 'w' ORDER BY 1",
  'SELECT sum(a) / count(a), sum(c) * 2 FROM t',
  'SELECT DISTINCT a % 2, b IS NULL FROM t ORDER BY 1, 2',
  'SELECT * FROM (SELECT a, b, row_number() OVER (PARTITION BY b ORDER BY a) rn FROM t) s WHERE rn = 1 ORDER BY a',
  'SELECT a, ntile(2) OVER (ORDER BY a), percent_rank() OVER (ORDER BY a), cume_dist() OVER (ORDER BY a) FROM t ORDER BY a',
  'SELECT generate_series(1, 3) AS g ORDER BY g DESC',
  "SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-03', '1 day')",
  'SELECT x FROM e UNION SELECT 1',
  'SELECT count(*) FROM (SELECT DISTINCT b FROM t) s',
  'SELECT a FROM t EXCEPT SELECT a FROM t WHERE a > 1 ORDER BY 1',
  "SELECT (SELECT string_agg(d, ',' ORDER BY d) FROM u WHERE u.a = t.a) FROM t ORDER BY a",
  'SELECT a FROM t WHERE a > ANY (ARRAY[1, NULL]) ORDER BY a',
  'SELECT a, sum(a) OVER (ORDER BY a RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t ORDER BY a',
  'SELECT b, string_agg(a::text, \'/\') OVER (PARTITION BY b ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t ORDER BY b, a',
  'SELECT a, b FROM t WHERE (a, b) IN ((1, \'x\'), (2, \'x\')) ORDER BY a',
  'SELECT a::float8 / 3, a::float4 * 1.5, 1e3, .5 FROM t ORDER BY a',
  // window functions
  'SELECT a, b, row_number() OVER (ORDER BY a, b) FROM t ORDER BY a, b',
  'SELECT a, rank() OVER (ORDER BY a), dense_rank() OVER (ORDER BY a) FROM t ORDER BY a',
  'SELECT b, a, sum(a) OVER (PARTITION BY b ORDER BY a) FROM t ORDER BY b, a',
  'SELECT a, lag(a) OVER (ORDER BY a), lead(a, 1, 0) OVER (ORDER BY a) FROM t ORDER BY a',
  'SELECT a, count(*) OVER (), sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t ORDER BY a',
  'SELECT a, first_value(b) OVER (ORDER BY a), last_value(b) OVER (ORDER BY a) FROM t WHERE a IS NOT NULL ORDER BY a, 2',
];

describe('planner vs PostgreSQL (oracle)', function () {
  this.timeout(120_000);
  let client: pg.Client | undefined;
  const db = fake();

  before(async function () {
    if (!postgresAvailable()) this.skip();
    const server = await sharedPostgres();
    const url = await createDatabase(server, 'plan_oracle');
    client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } });
    await client.connect();
    for (const s of SETUP) await client.query(s);
  });

  after(async () => {
    await client?.end();
  });

  for (const sql of ORACLE_QUERIES) {
    it(sql, async () => {
      const params = sql.includes('$1') ? ['41'] : [];
      const expected = (await client!.query({ text: sql, values: params, rowMode: 'array' })).rows as (string | null)[][];
      const actual = db.query(sql, params.map(Number), params.map(() => undefined));
      const ordered = /ORDER BY[^)]*$/i.test(sql);
      const norm = (rows: (string | null)[][]) => (ordered ? rows : [...rows].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
      assert.deepEqual(norm(actual), norm(expected));
    });
  }
});
