/** Binder behaviour: errors with SQLSTATE and position, result field names and parameter typing. */
import assert from 'node:assert/strict';
import { SqlError } from '../../server/errors.js';
import { bindQuery, bindScalar, runQuery } from '../../server/plan/api.js';
import type { SqlType } from '../../server/types/sql-type.js';
import { parseExpression, parseStatements } from '../../server/sql/parse.js';
import type { Query } from '../../server/sql/ast.js';
import { FakeDatabase, T } from './harness.js';

const db = new FakeDatabase()
  .table('t', { columns: [['a', T.int4], ['b', T.text]], rows: [[1, 'x'], [2, 'y']] })
  .table('u', { columns: [['a', T.int4], ['d', T.text]], rows: [[1, 'p'], [1, 'q']] });

function fails(sql: string, code: string, message: string | RegExp, position?: number): void {
  assert.throws(() => db.query(sql), (e: unknown) => {
    assert.ok(e instanceof SqlError, String(e));
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (position !== undefined) assert.equal(e.position, position);
    return true;
  });
}

describe('binder', () => {
  it('reports unknown columns and relations with positions', () => {
    fails('SELECT nosuch FROM t', '42703', 'column "nosuch" does not exist', 8);
    fails('SELECT t.nosuch FROM t', '42703', 'column t.nosuch does not exist', 8);
    fails('SELECT * FROM nosuch', '42P01', 'relation "nosuch" does not exist', 15);
    fails('SELECT x.a FROM t', '42P01', 'missing FROM-clause entry for table "x"', 8);
  });
  it('reports ambiguous names', () => {
    fails('SELECT a FROM t, u', '42702', 'column reference "a" is ambiguous', 8);
  });
  it('reports unknown functions and operators', () => {
    fails('SELECT foo(1)', '42883', 'function foo(integer) does not exist', 8);
    fails('SELECT b + 1 FROM t', '42883', 'operator does not exist: text + integer');
  });
  it('reports grouping errors', () => {
    fails('SELECT a, count(*) FROM t', '42803', 'column "t.a" must appear in the GROUP BY clause or be used in an aggregate function', 8);
    fails('SELECT a FROM t WHERE sum(a) > 1', '42803', 'aggregate functions are not allowed in WHERE');
    fails('SELECT sum(count(*)) FROM t', '42803', 'aggregate function calls cannot be nested');
  });
  it('accepts columns functionally dependent on a grouped primary key', () => {
    const keyed = new FakeDatabase()
      .table('p', { columns: [['id', T.int4], ['name', T.text]], rows: [[1, 'a'], [2, 'b']], primaryKey: [0] })
      .table('c', { columns: [['pid', T.int4]], rows: [[1], [1], [2]] });
    assert.deepEqual(keyed.query('SELECT p.id, p.name, count(*) FROM p JOIN c ON c.pid = p.id GROUP BY p.id ORDER BY p.name'), [['1', 'a', '2'], ['2', 'b', '1']]);
    assert.throws(() => keyed.query('SELECT c.pid, count(*) FROM p JOIN c ON c.pid = p.id GROUP BY p.id'), /column "c.pid" must appear/);
  });
  it('reports a scalar subquery returning more than one row at run time', () => {
    fails('SELECT (SELECT a FROM u)', '21000', 'more than one row returned by a subquery used as an expression');
  });
  it('names result columns as PostgreSQL does', () => {
    const q = db.bind("SELECT count(*), a + 1, a AS x, 'lit', CASE WHEN true THEN 1 END, 1::int8, EXISTS (SELECT 1), b::text, (SELECT d FROM u LIMIT 1) FROM t GROUP BY a, b");
    assert.deepEqual(q.fields.map((f) => f.name), ['count', '?column?', 'x', '?column?', 'case', 'int8', 'exists', 'b', 'd']);
    assert.deepEqual(q.fields.map((f) => f.type.kind), ['int8', 'int4', 'int4', 'text', 'int4', 'int8', 'bool', 'text', 'text']);
    const plain = db.bind('SELECT a, b FROM t');
    assert.deepEqual(plain.fields.map((f) => [f.tableOid > 0, f.columnAttr]), [[true, 1], [true, 2]]);
  });
  it('types parameters from their context', () => {
    const q = db.bind('SELECT a FROM t WHERE a = $1 AND b LIKE $2 LIMIT $3 OFFSET $4', [undefined, undefined, undefined, undefined]);
    assert.deepEqual(q.paramTypes.map((t) => t.kind), ['int4', 'text', 'int8', 'int8']);
    assert.deepEqual(db.query('SELECT a FROM t WHERE a = $1', [2], [undefined]), [['2']]);
  });
  it('binds DEFAULT items of INSERT VALUES to the target defaults, and expands views', () => {
    const [parsed] = parseStatements("INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 'b')");
    const st = parsed!.statement;
    assert.ok(st.kind === 'insert' && st.source.kind === 'query');
    const q = bindQuery(st.source as Query, [], db.context(), {
      targetTypes: [T.int4, T.text],
      targetDefaults: [undefined, parseExpression("'dflt' || 1")],
    });
    assert.deepEqual([...runQuery(q, [], db.context())].flat(), [[1, 'dflt1'], [null, 'b']]);
    const withView = new FakeDatabase().table('base', { columns: [['n', T.int4]], rows: [[1], [2], [3]] });
    withView.view('big', [['m', T.int4]], 'SELECT n * 10 FROM base WHERE n > 1');
    assert.deepEqual(withView.query('SELECT m FROM big ORDER BY m DESC'), [['30'], ['20']]);
  });
  it('binds scalars over DML rows, with EXCLUDED reachable only qualified and correlated subqueries', () => {
    const rel = db.lookup(undefined, 't')!;
    const paramTypes: (SqlType | undefined)[] = [];
    const e = bindScalar(parseExpression('a + excluded.a + (SELECT count(*) FROM u WHERE u.a = t.a) + $1'), [{ alias: 't', rel }, { alias: 'excluded', rel }], paramTypes, db.context(), T.int8);
    assert.equal(e.type.kind, 'int8');
    assert.deepEqual(paramTypes.map((t) => t?.kind), ['int8']);
    assert.equal(e.evaluate([[1, 'x'], [2, 'y']], [10n], db.context()), 15n);
    assert.throws(() => bindScalar(parseExpression("b"), [], [], db.context()), /column "b" does not exist/);
    assert.throws(() => bindScalar(parseExpression("'abc'"), [], [], db.context(), T.int4), /invalid input syntax for type integer/);
  });
  it('explains one line per node with schema and properties', () => {
    const lines = db.bind('SELECT b, count(*) FROM t WHERE a > 0 GROUP BY b ORDER BY 2').explain();
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^Project /);
    assert.match(lines[1]!, /^ {2}Sort /);
    assert.match(lines[2]!, /^ {4}Aggregate .* key=\[0\]/);
    assert.match(lines[4]!, /^ {8}Scan public\.t/);
  });
  it('stops pulling the source once LIMIT is reached', () => {
    const big = new FakeDatabase().table('big', { columns: [['n', T.int4]], rows: Array.from({ length: 1000 }, (_, i) => [i]) });
    big.chunkSize = 10;
    let pulled = 0;
    const ctx = big.context();
    const scan = ctx.scan;
    const counting = { ...ctx, scan: (rel: Parameters<typeof scan>[0]) => (function* () { for (const c of scan(rel)) { pulled++; yield c; } })() };
    const bound = big.bind('SELECT n FROM big LIMIT 15');
    const rows = [...runQuery(bound, [], counting)].flat();
    assert.equal(rows.length, 15);
    assert.ok(pulled <= 3, `pulled ${pulled} chunks`);
  });
});
