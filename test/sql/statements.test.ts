/** Statement parsing: queries (FROM, joins, grouping, set operations, CTEs) and every statement kind. */
import assert from 'node:assert/strict';
import { parseStatements } from '../../server/sql/parse.js';
import type { Statement } from '../../server/sql/ast.js';
import { matchesFragment } from './fragment.js';

function parse(sql: string): Statement {
  const all = parseStatements(sql);
  assert.equal(all.length, 1, sql);
  return all[0]!.statement;
}

const col = (column: string, table?: string) => (table ? { kind: 'columnRef', table, column } : { kind: 'columnRef', column });
const num = (text: string) => ({ kind: 'literal', value: { type: 'number', text } });
const str = (value: string) => ({ kind: 'literal', value: { type: 'string', value } });
const tbl = (name: string, extra: object = {}) => ({ kind: 'table', name: { name }, ...extra });
const select = (body: object, rest: object = {}) => ({ kind: 'query', query: { kind: 'query', body: { kind: 'select', ...body }, ...rest } });

const cases: [string, unknown][] = [
  ['SELECT DISTINCT a AS x, b y, "C" FROM t', select({ distinct: 'all', items: [{ expr: col('a'), alias: 'x' }, { expr: col('b'), alias: 'y' }, { expr: col('C'), alias: undefined }], from: [tbl('t')] })],
  ['SELECT DISTINCT ON (a) a FROM t', select({ distinct: { on: [col('a')] } })],
  ['SELECT *, t.* FROM s.t AS x (p, q)', select({ items: [{ expr: { kind: 'star' } }, { expr: { kind: 'star', table: 't' } }], from: [{ kind: 'table', name: { schema: 's', name: 't' }, alias: 'x', columnAliases: ['p', 'q'] }] })],
  ['SELECT 1 FROM a JOIN b ON a.x = b.x LEFT JOIN c USING (x) NATURAL JOIN d CROSS JOIN e FULL OUTER JOIN f ON true RIGHT JOIN g ON true', select({
    from: [{ kind: 'join', joinType: 'right', natural: false, right: tbl('g'), left: { kind: 'join', joinType: 'full', right: tbl('f'), left: {
      kind: 'join', joinType: 'cross', right: tbl('e'), left: { kind: 'join', joinType: 'inner', natural: true, right: tbl('d'), left: {
        kind: 'join', joinType: 'left', using: ['x'], right: tbl('c'), left: { kind: 'join', joinType: 'inner', natural: false, left: tbl('a'), right: tbl('b'), on: { kind: 'binary', op: '=' } },
      } },
    } } }],
  })],
  ['SELECT 1 FROM a, b', select({ from: [tbl('a'), tbl('b')] })],
  ['SELECT 1 FROM (SELECT 1) s(z)', select({ from: [{ kind: 'subquery', alias: 's', columnAliases: ['z'], query: { kind: 'query' } }] })],
  ['SELECT 1 FROM (VALUES (1, 2)) v(a, b)', select({ from: [{ kind: 'values', rows: [[num('1'), num('2')]], alias: 'v', columnAliases: ['a', 'b'] }] })],
  ['SELECT 1 FROM generate_series(1, 3) AS g(x)', select({ from: [{ kind: 'function', call: { kind: 'func', name: 'generate_series', args: [num('1'), num('3')] }, alias: 'g', columnAliases: ['x'] }] })],
  ['SELECT 1 FROM pg_catalog.generate_series(1, 3) s', select({ from: [{ kind: 'function', call: { name: 'generate_series', schema: 'pg_catalog' }, alias: 's' }] })],
  ["SELECT 1 FROM TUMBLE(bids, ts, INTERVAL '10' SECOND)", select({ from: [{ kind: 'function', call: { name: 'tumble', args: [col('bids'), col('ts'), { kind: 'typedLiteral', intervalUnit: 'second' }] } }] })],
  ['SELECT 1 FROM a, LATERAL (SELECT 1) l', select({ from: [tbl('a'), { kind: 'subquery', lateral: true, alias: 'l' }] })],
  ['SELECT a FROM t WHERE a > 1 GROUP BY a, ROLLUP (b, (c, d)), CUBE (e), GROUPING SETS ((a), (b, c), ()) HAVING count(*) > 1', select({
    where: { kind: 'binary', op: '>' },
    groupBy: [
      { kind: 'expr', expr: col('a') },
      { kind: 'rollup', sets: [[col('b')], [col('c'), col('d')]] },
      { kind: 'cube', sets: [[col('e')]] },
      { kind: 'groupingSets', sets: [[col('a')], [col('b'), col('c')], []] },
    ],
    having: { kind: 'binary', op: '>' },
  })],
  ['SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b)', select({ windows: [{ name: 'w', spec: { partitionBy: [col('a')], orderBy: [{ expr: col('b'), direction: 'asc' }] } }] })],
  ['SELECT a FROM t ORDER BY 1 DESC NULLS LAST, b ASC NULLS FIRST, c LIMIT 10 OFFSET 5', select({}, {
    orderBy: [{ expr: num('1'), direction: 'desc', nulls: 'last' }, { expr: col('b'), direction: 'asc', nulls: 'first' }, { expr: col('c'), direction: 'asc', nulls: undefined }],
    limit: num('10'), offset: num('5'),
  })],
  ['SELECT 1 LIMIT ALL', select({}, { limit: undefined })],
  ['SELECT 1 OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY', select({}, { limit: num('3'), offset: num('2') })],
  ['SELECT 1 FETCH NEXT ROW ONLY', select({}, { limit: num('1') })],
  ['SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT (SELECT 4 ORDER BY 1 LIMIT 1)', { kind: 'query', query: { body: {
    kind: 'setOp', op: 'except', all: false,
    left: { kind: 'setOp', op: 'union', all: true, left: { kind: 'select' }, right: { kind: 'setOp', op: 'intersect', all: false } },
    right: { kind: 'nested', query: { orderBy: [{ expr: num('1') }], limit: num('1') } },
  } } }],
  ['(SELECT 1) UNION SELECT 2 ORDER BY 1', { kind: 'query', query: { body: { kind: 'setOp', op: 'union', left: { kind: 'select' } }, orderBy: [{ expr: num('1') }] } }],
  ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r', { kind: 'query', query: {
    with: { recursive: true, ctes: [{ name: 'r', columnNames: ['n'], query: { body: { kind: 'setOp', op: 'union', all: true } } }] },
    body: { kind: 'select', from: [tbl('r')] },
  } }],
  ["VALUES (1, 'a'), (2, 'b')", { kind: 'query', query: { body: { kind: 'values', rows: [[num('1'), str('a')], [num('2'), str('b')]] } } }],
  ['TABLE t', select({ items: [{ expr: { kind: 'star' } }], from: [tbl('t')] })],
  ['SELECT FROM t', select({ items: [], from: [tbl('t')] })],
  // DML
  ["INSERT INTO s.t (a, b) VALUES (1, DEFAULT), (2, 'x')", { kind: 'insert', table: { schema: 's', name: 't' }, columns: ['a', 'b'], source: {
    kind: 'query', body: { kind: 'values', rows: [[num('1'), { kind: 'func', name: 'default', args: [] }], [num('2'), str('x')]] },
  } }],
  ['INSERT INTO t SELECT * FROM u', { kind: 'insert', columns: undefined, source: { kind: 'query', body: { kind: 'select', from: [tbl('u')] } } }],
  ['INSERT INTO t DEFAULT VALUES RETURNING id', { kind: 'insert', source: { kind: 'defaultValues' }, returning: [{ expr: col('id') }] }],
  ['INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING', { kind: 'insert', onConflict: { target: [], action: { kind: 'nothing' } } }],
  ['INSERT INTO t AS x (id, v) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v WHERE x.v < 3 RETURNING *, id AS i', {
    kind: 'insert', alias: 'x', columns: ['id', 'v'],
    onConflict: { target: ['id'], action: { kind: 'update', set: [{ column: 'v', value: col('v', 'excluded') }], where: { kind: 'binary', op: '<' } } },
    returning: [{ expr: { kind: 'star' } }, { expr: col('id'), alias: 'i' }],
  }],
  ["UPDATE t AS x SET a = 1, b = b || 'x' FROM u WHERE x.id = u.id RETURNING x.id", {
    kind: 'update', table: { name: 't' }, alias: 'x', set: [{ column: 'a', value: num('1') }, { column: 'b' }], from: [tbl('u')], where: { kind: 'binary', op: '=' }, returning: [{ expr: col('id', 'x') }],
  }],
  ['UPDATE t SET a = DEFAULT, b = 2', { kind: 'update', set: [{ column: 'a', value: { kind: 'func', name: 'default', args: [] } }, { column: 'b' }] }],
  ['UPDATE t SET a = 1', { kind: 'update', alias: undefined, from: [], where: undefined, returning: undefined }],
  ['DELETE FROM t x WHERE x.a = 1 RETURNING *', { kind: 'delete', table: { name: 't' }, alias: 'x', where: { kind: 'binary' }, returning: [{ expr: { kind: 'star' } }] }],
  // DDL
  ["CREATE TABLE IF NOT EXISTS s.T (id int PRIMARY KEY, name varchar(20) NOT NULL DEFAULT 'x' UNIQUE, v numeric(10,2) NULL, PRIMARY KEY (id, name), CONSTRAINT u1 UNIQUE (v)) WITH (connector = 'kafka', Partitions = 3, compact = true)", {
    kind: 'createTable', name: { schema: 's', name: 't' }, ifNotExists: true,
    columns: [
      { name: 'id', type: { name: 'int4', modifiers: [], arrayBounds: 0 }, notNull: false, primaryKey: true, unique: false, default: undefined },
      { name: 'name', type: { name: 'varchar', modifiers: [20] }, notNull: true, primaryKey: false, unique: true, default: str('x') },
      { name: 'v', type: { name: 'numeric', modifiers: [10, 2] }, notNull: false },
    ],
    constraints: [{ kind: 'primaryKey', columns: ['id', 'name'] }, { kind: 'unique', columns: ['v'], name: 'u1' }],
    with: [{ key: 'connector', value: 'kafka' }, { key: 'partitions', value: 3 }, { key: 'compact', value: true }],
  }],
  ['CREATE TABLE t (a int DEFAULT 1 + 2 NOT NULL)', { kind: 'createTable', columns: [{ default: { kind: 'binary', op: '+' }, notNull: true }], with: [] }],
  ['CREATE TABLE t AS SELECT 1', { kind: 'createTableAs', name: { name: 't' }, ifNotExists: false, columnNames: undefined, query: { kind: 'query' } }],
  ['CREATE TABLE t (a, b) AS SELECT 1, 2', { kind: 'createTableAs', columnNames: ['a', 'b'] }],
  ["CREATE STREAM IF NOT EXISTS bids (auction bigint, price numeric, ts timestamp) WITH (watermark = 'ts')", {
    kind: 'createStream', name: { name: 'bids' }, ifNotExists: true, columns: [{ name: 'auction', type: { name: 'int8' } }, { name: 'price' }, { name: 'ts' }],
    with: [{ key: 'watermark', value: 'ts' }], asQuery: undefined,
  }],
  ["CREATE STREAM s WITH (k = 'v') AS SELECT * FROM bids", { kind: 'createStream', columns: [], with: [{ key: 'k', value: 'v' }], asQuery: { body: { kind: 'select' } } }],
  ['CREATE MATERIALIZED VIEW IF NOT EXISTS mv (a) AS SELECT 1', { kind: 'createView', materialized: true, ifNotExists: true, orReplace: false, columnNames: ['a'] }],
  ['CREATE OR REPLACE VIEW v AS SELECT 1', { kind: 'createView', materialized: false, orReplace: true }],
  ['DROP TABLE IF EXISTS a, s.b CASCADE', { kind: 'drop', objectType: 'table', names: [{ name: 'a' }, { schema: 's', name: 'b' }], ifExists: true, cascade: true }],
  ['DROP STREAM s RESTRICT', { kind: 'drop', objectType: 'stream', cascade: false, ifExists: false }],
  ['DROP VIEW v', { kind: 'drop', objectType: 'view' }],
  ['DROP MATERIALIZED VIEW mv', { kind: 'drop', objectType: 'materializedView' }],
  ['DROP SOURCE src', { kind: 'drop', objectType: 'source' }],
  ['ALTER TABLE IF EXISTS t RENAME TO u', { kind: 'alterRename', objectType: 'table', ifExists: true, name: { name: 't' }, newName: 'u', column: undefined }],
  ['ALTER STREAM s RENAME COLUMN a TO b', { kind: 'alterRename', objectType: 'stream', column: 'a', newName: 'b' }],
  ['ALTER TABLE t RENAME a TO "B"', { kind: 'alterRename', column: 'a', newName: 'B' }],
  // COPY
  ['COPY t FROM STDIN', { kind: 'copyFrom', table: { name: 't' }, format: 'text', header: false, delimiter: undefined }],
  [`COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL 'x', QUOTE '"', ESCAPE '\\')`, {
    kind: 'copyFrom', columns: ['a', 'b'], format: 'csv', header: true, delimiter: ';', null: 'x', quote: '"', escape: '\\',
  }],
  ['COPY t FROM STDIN (FORMAT csv, HEADER)', { kind: 'copyFrom', format: 'csv', header: true }],
  ['COPY t FROM STDIN WITH CSV HEADER', { kind: 'copyFrom', format: 'csv', header: true }],
  ["COPY t FROM STDIN DELIMITER AS '|' NULL AS ''", { kind: 'copyFrom', format: 'text', delimiter: '|', null: '' }],
  // session
  ['SET search_path = public, "Pg"', { kind: 'set', name: 'search_path', value: ['public', 'Pg'], local: false }],
  ['SET SESSION DateStyle TO ISO', { kind: 'set', name: 'datestyle', value: ['iso'], local: false }],
  ['SET LOCAL statement_timeout = 0', { kind: 'set', name: 'statement_timeout', value: ['0'], local: true }],
  ["SET extra_float_digits = -3", { kind: 'set', name: 'extra_float_digits', value: ['-3'] }],
  ['SET x TO DEFAULT', { kind: 'set', name: 'x', value: 'default' }],
  ["SET TIME ZONE 'UTC'", { kind: 'set', name: 'timezone', value: ['UTC'] }],
  ["SET NAMES 'UTF8'", { kind: 'set', name: 'client_encoding', value: ['UTF8'] }],
  ["SET application_name = 'PostgreSQL JDBC Driver'", { kind: 'set', name: 'application_name', value: ['PostgreSQL JDBC Driver'] }],
  ['RESET ALL', { kind: 'reset', name: 'all' }],
  ['RESET search_path', { kind: 'reset', name: 'search_path' }],
  ['SHOW ALL', { kind: 'show', name: 'all' }],
  ['SHOW server_version', { kind: 'show', name: 'server_version' }],
  ['SHOW TRANSACTION ISOLATION LEVEL', { kind: 'show', name: 'transaction_isolation' }],
  ['SHOW TIME ZONE', { kind: 'show', name: 'timezone' }],
  ['BEGIN', { kind: 'transaction', action: 'begin', modes: undefined }],
  ['BEGIN WORK', { kind: 'transaction', action: 'begin' }],
  ['BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY', { kind: 'transaction', action: 'begin', modes: ['isolation level repeatable read', 'read only'] }],
  ['START TRANSACTION READ WRITE', { kind: 'transaction', action: 'begin', modes: ['read write'] }],
  ['COMMIT', { kind: 'transaction', action: 'commit' }],
  ['END TRANSACTION', { kind: 'transaction', action: 'commit' }],
  ['ROLLBACK', { kind: 'transaction', action: 'rollback' }],
  ['ABORT', { kind: 'transaction', action: 'rollback' }],
  ['SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED', { kind: 'setSessionCharacteristics', modes: ['isolation level read committed'] }],
  ['EXPLAIN SELECT 1', { kind: 'explain', options: [], statement: { kind: 'query' } }],
  ['EXPLAIN (FORMAT GRAPH, VERBOSE) SELECT 1', { kind: 'explain', options: ['format graph', 'verbose'], statement: { kind: 'query' } }],
  ['EXPLAIN ANALYZE VERBOSE INSERT INTO t VALUES (1)', { kind: 'explain', options: ['analyze', 'verbose'], statement: { kind: 'insert' } }],
  ['DISCARD ALL', { kind: 'discard', what: 'all' }],
];

describe('sql/parse: statements', () => {
  for (const [text, expected] of cases) {
    it(text, () => matchesFragment(parse(text), expected));
  }

  it('reports PostgreSQL statements Freshet lacks as 0A000, not syntax errors', () => {
    for (const sql of [
      'CREATE INDEX i ON t (a)', 'GRANT SELECT ON t TO bob', 'VACUUM', 'DROP INDEX i', 'ALTER TABLE t ADD COLUMN b int', 'COPY t TO STDOUT',
      'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'SELECT 1 INTO t2', 'SAVEPOINT s', 'ROLLBACK TO SAVEPOINT s', 'SET TRANSACTION READ ONLY',
      'SELECT @ -5',
    ]) {
      assert.throws(() => parseStatements(sql), (e: { code?: string }) => e.code === '0A000', sql);
    }
  });
});
