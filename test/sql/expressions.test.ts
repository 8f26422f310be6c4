/** Expression parsing: every Expr kind, operator precedence, special call forms and type names. */
import assert from 'node:assert/strict';
import { parseStatements } from '../../server/sql/parse.js';
import type { Expr } from '../../server/sql/ast.js';
import { matchesFragment } from './fragment.js';

function expr(text: string): Expr {
  const [parsed] = parseStatements(`SELECT ${text}`);
  assert.ok(parsed && parsed.statement.kind === 'query');
  const body = parsed.statement.query.body;
  assert.equal(body.kind, 'select');
  if (body.kind !== 'select') throw new Error('unreachable');
  return body.items[0]!.expr;
}

const col = (column: string, table?: string) => (table ? { kind: 'columnRef', table, column } : { kind: 'columnRef', column, table: undefined });
const num = (text: string) => ({ kind: 'literal', value: { type: 'number', text } });
const str = (value: string) => ({ kind: 'literal', value: { type: 'string', value } });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'binary', op, left, right });
const fn = (name: string, args: unknown[], extra: object = {}) => ({ kind: 'func', name, args, distinct: false, star: false, ...extra });
const type = (name: string, modifiers: number[] = [], arrayBounds = 0) => ({ name, modifiers, arrayBounds });

const cases: [string, unknown][] = [
  // names and literals
  ['Foo', col('foo')],
  ['"Foo"', col('Foo')],
  ['T.X', col('x', 't')],
  ['"S".t."C"', { kind: 'columnRef', schema: 'S', table: 't', column: 'C' }],
  ['t.*', { kind: 'star', table: 't' }],
  ['42', num('42')],
  ['1.50', num('1.50')],
  ['1e3', num('1e3')],
  ['.5', num('.5')],
  ['-7', num('-7')],
  ["'it''s'", str("it's")],
  ["E'a\\nb\\x41'", str('a\nbA')],
  ["'a'\n'b'", str('ab')],
  ['$$x;y$$', str('x;y')],
  ['$q$a$$b$q$', str('a$$b')],
  ['true', { kind: 'literal', value: { type: 'bool', value: true } }],
  ['FALSE', { kind: 'literal', value: { type: 'bool', value: false } }],
  ['NULL', { kind: 'literal', value: { type: 'null' } }],
  ['$2', { kind: 'param', index: 2 }],
  // operators and precedence
  ['1 + 2 * 3', bin('+', num('1'), bin('*', num('2'), num('3')))],
  ['(1 + 2) * 3', bin('*', bin('+', num('1'), num('2')), num('3'))],
  ['2 ^ 3 ^ 2', bin('^', bin('^', num('2'), num('3')), num('2'))],
  ['a OR b AND NOT c', bin('or', col('a'), bin('and', col('b'), { kind: 'unary', op: 'not', operand: col('c') }))],
  ['-x', { kind: 'unary', op: '-', operand: col('x') }],
  ['~x', { kind: 'unary', op: '~', operand: col('x') }],
  ["a || 'b' = c", bin('=', bin('||', col('a'), str('b')), col('c'))],
  ['a ~ b', bin('~', col('a'), col('b'))],
  ['a !~* b', bin('!~*', col('a'), col('b'))],
  ['a != b', bin('<>', col('a'), col('b'))],
  ['a=-1', bin('=', col('a'), num('-1'))],
  ['a OPERATOR(pg_catalog.~) b', bin('~', col('a'), col('b'))],
  ['a << 2 & 3', bin('&', bin('<<', col('a'), num('2')), num('3'))],
  // IS, BETWEEN, IN, LIKE, quantified
  ['a IS NULL', { kind: 'is', expr: col('a'), test: 'null', negated: false }],
  ['a IS NOT TRUE', { kind: 'is', expr: col('a'), test: 'true', negated: true }],
  ['a IS FALSE', { kind: 'is', test: 'false', negated: false }],
  ['a ISNULL', { kind: 'is', test: 'null', negated: false }],
  ['a NOTNULL', { kind: 'is', test: 'null', negated: true }],
  ['a IS DISTINCT FROM b + 1', { kind: 'is', test: 'distinctFrom', other: bin('+', col('b'), num('1')), negated: false }],
  ['a IS NOT DISTINCT FROM f(x)', { kind: 'is', test: 'distinctFrom', other: fn('f', [col('x')]), negated: true }],
  ['a BETWEEN 1 AND 2', { kind: 'between', expr: col('a'), low: num('1'), high: num('2'), negated: false, symmetric: false }],
  ['a NOT BETWEEN SYMMETRIC 2 AND 1', { kind: 'between', negated: true, symmetric: true }],
  ['a BETWEEN 1 AND 2 AND b', bin('and', { kind: 'between' }, col('b'))],
  ['a IN (1, 2)', { kind: 'inList', expr: col('a'), list: [num('1'), num('2')], negated: false }],
  ['a NOT IN (SELECT 1)', { kind: 'inSubquery', expr: col('a'), negated: true, query: { kind: 'query', body: { kind: 'select' } } }],
  ['EXISTS (SELECT 1)', { kind: 'exists', negated: false }],
  ['NOT EXISTS (SELECT 1)', { kind: 'unary', op: 'not', operand: { kind: 'exists' } }],
  ["a LIKE 'x%' ESCAPE '!'", { kind: 'like', expr: col('a'), pattern: str('x%'), escape: str('!'), caseInsensitive: false, similar: false, negated: false }],
  ["a NOT ILIKE 'x'", { kind: 'like', caseInsensitive: true, negated: true }],
  ["a SIMILAR TO 'x'", { kind: 'like', similar: true, negated: false }],
  ["a LIKE ANY (ARRAY['x'])", { kind: 'anyAll', op: '~~', quantifier: 'any' }],
  ['a = ANY (b)', { kind: 'anyAll', quantifier: 'any', op: '=', left: col('a'), right: { kind: 'expr', expr: col('b') } }],
  ['a <> ALL (SELECT 1)', { kind: 'anyAll', quantifier: 'all', op: '<>', right: { kind: 'query' } }],
  ['a = SOME (b)', { kind: 'anyAll', quantifier: 'any' }],
  // subqueries, arrays, rows, subscripts
  ['(SELECT 1)', { kind: 'subquery', array: false }],
  ['((SELECT 1) + 1)', bin('+', { kind: 'subquery' }, num('1'))],
  ['ARRAY[1, 2]', { kind: 'array', elements: [num('1'), num('2')] }],
  ['ARRAY[[1], [2]]', { kind: 'array', elements: [{ kind: 'array', elements: [num('1')] }, { kind: 'array' }] }],
  ['ARRAY(SELECT 1)', { kind: 'subquery', array: true }],
  ['x[1]', { kind: 'subscript', expr: col('x'), index: num('1') }],
  ['(a, b)', { kind: 'row', fields: [col('a'), col('b')] }],
  ['ROW(1)', { kind: 'row', fields: [num('1')] }],
  ['(f(x)).n', { kind: 'fieldSelect', expr: fn('f', [col('x')]), field: 'n' }],
  // CASE, CAST, typed literals, COLLATE
  ['CASE WHEN a THEN 1 ELSE 2 END', { kind: 'case', operand: undefined, whens: [{ when: col('a'), then: num('1') }], else: num('2') }],
  ['CASE a WHEN 1 THEN 2 END', { kind: 'case', operand: col('a'), whens: [{ when: num('1'), then: num('2') }], else: undefined }],
  ['CAST(a AS integer)', { kind: 'cast', expr: col('a'), type: type('int4') }],
  ['a::varchar(20)', { kind: 'cast', type: type('varchar', [20]) }],
  ['a::numeric(10,2)[]', { kind: 'cast', type: type('numeric', [10, 2], 1) }],
  ['a::pg_catalog.regclass::pg_catalog.text', { kind: 'cast', expr: { kind: 'cast', type: { name: 'regclass', schema: 'pg_catalog' } }, type: { name: 'text', schema: 'pg_catalog' } }],
  ["DATE '2020-01-01'", { kind: 'typedLiteral', type: type('date'), value: '2020-01-01' }],
  ["TIMESTAMP '2020-01-01 10:00'", { kind: 'typedLiteral', type: type('timestamp') }],
  ["TIMESTAMP WITH TIME ZONE 'x'", { kind: 'typedLiteral', type: type('timestamptz') }],
  ["INTERVAL '1 day'", { kind: 'typedLiteral', type: type('interval'), value: '1 day', intervalUnit: undefined }],
  ["INTERVAL '10' SECOND", { kind: 'typedLiteral', type: type('interval'), value: '10', intervalUnit: 'second' }],
  ["INTERVAL '1' DAY TO SECOND", { kind: 'typedLiteral', intervalUnit: 'day to second' }],
  ["int4 '1'", { kind: 'typedLiteral', type: type('int4'), value: '1' }],
  ['a COLLATE "C"', { kind: 'collate', expr: col('a'), collation: 'C' }],
  ["a COLLATE pg_catalog.default", col('a')],
  // function calls
  ['count(*)', fn('count', [], { star: true })],
  ['count(DISTINCT a)', fn('count', [col('a')], { distinct: true })],
  ['pg_catalog.format_type(a, b)', fn('format_type', [col('a'), col('b')], { schema: 'pg_catalog' })],
  ["string_agg(x, ',' ORDER BY y DESC NULLS LAST)", fn('string_agg', [col('x'), str(',')], { orderBy: [{ expr: col('y'), direction: 'desc', nulls: 'last' }] })],
  ['sum(x) FILTER (WHERE y > 1)', fn('sum', [col('x')], { filter: bin('>', col('y'), num('1')) })],
  ['row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)', fn('row_number', [], {
    over: { partitionBy: [col('a')], orderBy: [{ expr: col('b'), direction: 'asc' }], frame: { units: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' } } },
  })],
  ['sum(x) OVER (RANGE 2 PRECEDING)', fn('sum', [col('x')], { over: { frame: { units: 'range', start: { kind: 'preceding', offset: num('2') }, end: { kind: 'currentRow' } } } })],
  ['sum(x) OVER (ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)', fn('sum', [col('x')], { over: { frame: { units: 'rows', start: { kind: 'following', offset: num('1') }, end: { kind: 'unboundedFollowing' } } } })],
  ['sum(x) OVER w', fn('sum', [col('x')], { over: { refName: 'w', partitionBy: [], orderBy: [] } })],
  ['EXTRACT(YEAR FROM ts)', fn('date_part', [str('year'), col('ts')])],
  ['SUBSTRING(s FROM 2 FOR 3)', fn('substring', [col('s'), num('2'), num('3')])],
  ['substring(s, 2)', fn('substring', [col('s'), num('2')])],
  ["POSITION('b' IN s)", fn('position', [col('s'), str('b')])],
  ["TRIM(BOTH 'x' FROM s)", fn('btrim', [col('s'), str('x')])],
  ['TRIM(LEADING FROM s)', fn('ltrim', [col('s')])],
  ["TRIM(TRAILING 'x' FROM s)", fn('rtrim', [col('s'), str('x')])],
  ['trim(s)', fn('btrim', [col('s')])],
  ["ts AT TIME ZONE 'UTC'", fn('timezone', [str('UTC'), col('ts')])],
  ["-x AT TIME ZONE 'UTC' ^ 2", bin('^', fn('timezone', [str('UTC'), { kind: 'unary', op: '-' }]), num('2'))],
  ['CURRENT_DATE', fn('current_date', [])],
  ['CURRENT_TIMESTAMP', fn('current_timestamp', [])],
  ['current_user', fn('current_user', [])],
  ['SESSION_USER', fn('session_user', [])],
  ['current_schema', fn('current_schema', [])],
  ['current_schema()', fn('current_schema', [])],
  ['LOCALTIMESTAMP', fn('localtimestamp', [])],
  ['GREATEST(1, 2)', fn('greatest', [num('1'), num('2')])],
  ['COALESCE(a, 1)', fn('coalesce', [col('a'), num('1')])],
  ['NULLIF(a, 1)', fn('nullif', [col('a'), num('1')])],
  ['left(s, 1)', fn('left', [col('s'), num('1')])],
];

describe('sql/parse: expressions', () => {
  for (const [text, expected] of cases) {
    it(text.replace(/\n/g, '\\n'), () => matchesFragment(expr(text), expected));
  }

  it('canonicalises type names', () => {
    const names: [string, string, number[]?][] = [
      ['int', 'int4'], ['integer', 'int4'], ['int4', 'int4'], ['smallint', 'int2'], ['bigint', 'int8'], ['real', 'float4'],
      ['double precision', 'float8'], ['float', 'float8'], ['float8', 'float8'], ['float(10)', 'float4', []], ['float(30)', 'float8', []],
      ['decimal(5)', 'numeric', [5]], ['numeric', 'numeric'], ['varchar(3)', 'varchar', [3]], ['character varying(3)', 'varchar', [3]],
      ['char(2)', 'bpchar', [2]], ['character', 'bpchar'], ['"char"', 'char'], ['text', 'text'], ['boolean', 'bool'], ['bool', 'bool'],
      ['timestamp', 'timestamp'], ['timestamp without time zone', 'timestamp'], ['timestamptz', 'timestamptz'],
      ['timestamp(3) with time zone', 'timestamptz', [3]], ['date', 'date'], ['time', 'time'], ['interval', 'interval'], ['bytea', 'bytea'],
      ['name', 'name'], ['oid', 'oid'], ['regclass', 'regclass'], ['regtype', 'regtype'], ['regproc', 'regproc'],
      ['regnamespace', 'regnamespace'], ['json', 'json'], ['jsonb', 'jsonb'], ['uuid', 'uuid'], ['INT8', 'int8'],
    ];
    for (const [written, name, modifiers] of names) {
      const e = expr(`x::${written}`);
      assert.equal(e.kind, 'cast', written);
      if (e.kind !== 'cast') continue;
      assert.equal(e.type.name, name, written);
      if (modifiers) assert.deepEqual(e.type.modifiers, modifiers, written);
    }
    const arr = expr('x::int[][]');
    assert.ok(arr.kind === 'cast' && arr.type.arrayBounds === 2);
  });

  it('records 1-based positions in the whole string', () => {
    const [, second] = parseStatements('SELECT 1; SELECT a + b');
    const body = second!.statement.kind === 'query' ? second!.statement.query.body : undefined;
    assert.ok(body && body.kind === 'select');
    const e = body.items[0]!.expr;
    assert.ok(e.kind === 'binary');
    assert.equal(e.left.pos, 18);
    assert.equal(e.pos, 20);
  });
});
