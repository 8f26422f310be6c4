import assert from 'node:assert/strict';
import type { SqlError } from '../errors.js';
import { compareDatums } from './compare.js';
import { Interval } from './datum.js';
import { likeMatcher } from './like.js';
import { Numeric, numericToString } from './numeric.js';
import { binaryOperator, unaryOperator } from './operators.js';
import { regexMatches } from './regex.js';
import { T } from './sql-type.js';
import type { Decimal } from './datum.js';

const code = (f: () => unknown) => {
  try { f(); } catch (e) { return (e as SqlError).code; }
  return 'no error';
};

describe('operators', () => {
  it('resolves operand and result types as PostgreSQL does', () => {
    assert.equal(binaryOperator('+', T.int4, T.int8)?.returns.kind, 'int8');
    assert.equal(binaryOperator('+', T.int4, T.numeric)?.returns.kind, 'numeric');
    assert.equal(binaryOperator('*', T.float4, T.int4)?.returns.kind, 'float8');
    assert.equal(binaryOperator('-', T.date, T.date)?.returns.kind, 'int4');
    assert.equal(binaryOperator('-', T.timestamp, T.timestamp)?.returns.kind, 'interval');
    assert.equal(binaryOperator('+', T.date, T.interval)?.returns.kind, 'timestamp');
    assert.equal(binaryOperator('=', T.int4, T.unknown)?.rightType.kind, 'int4');
    assert.equal(binaryOperator('||', T.text, T.int4)?.rightType.kind, 'text');
    assert.equal(binaryOperator('%', T.float8, T.float8), undefined);
    assert.equal(binaryOperator('+', T.bool, T.bool), undefined);
  });

  it('raises PostgreSQL errors on overflow and division by zero', () => {
    const add = binaryOperator('+', T.int4, T.int4)!;
    assert.equal(code(() => add.fn(2147483647, 1)), '22003');
    assert.equal(code(() => binaryOperator('/', T.int8, T.int8)!.fn(1n, 0n)), '22012');
    assert.equal(binaryOperator('/', T.int4, T.int4)!.fn(-7, 2), -3);
    assert.equal(code(() => unaryOperator('-', T.int2)!.fn(-32768)), '22003');
    const div = binaryOperator('/', T.numeric, T.numeric)!;
    assert.equal(numericToString(div.fn(new Numeric(1), new Numeric(3)) as Decimal), '0.33333333333333333333');
  });

  it('does interval and timestamp arithmetic', () => {
    const minus = binaryOperator('-', T.timestamp, T.timestamp)!;
    const iv = minus.fn(Date.UTC(2020, 0, 2, 3) * 1000, Date.UTC(2020, 0, 1) * 1000) as Interval;
    assert.deepEqual([iv.months, iv.days, iv.micros], [0, 1, 3 * 3600e6]);
    const plus = binaryOperator('+', T.timestamp, T.interval)!;
    assert.equal(plus.fn(Date.UTC(2020, 0, 31) * 1000, new Interval(1, 0, 0)), Date.UTC(2020, 1, 29) * 1000);
  });

  it('compares with C collation and PostgreSQL NaN and interval rules', () => {
    assert.ok(compareDatums('B', 'a', T.text) < 0);
    assert.ok(compareDatums('\uffff', '😀', T.text) < 0); // code point order, not UTF-16 order
    assert.equal(compareDatums('ab  ', 'ab', T.bpchar), 0);
    assert.ok(compareDatums(NaN, Infinity, T.float8) > 0);
    assert.equal(compareDatums(new Interval(1, 0, 0), new Interval(0, 30, 0), T.interval), 0);
  });

  it('matches LIKE, ILIKE and POSIX regexes', () => {
    assert.ok(likeMatcher('a%c_')('abbbcd'));
    assert.ok(!likeMatcher('a%c_')('abbbc'));
    assert.ok(likeMatcher('100\\%')('100%'));
    assert.ok(likeMatcher('AB%', '\\', true)('abc'));
    assert.ok(likeMatcher('a.c')('a.c') && !likeMatcher('a.c')('abc'));
    assert.equal(code(() => likeMatcher('abc\\')('abcd')), '22025');
    assert.equal(code(() => likeMatcher('%\\')('abcd')), '22025');
    assert.equal(likeMatcher('abc\\')('abc'), false); // text ends before the dangling escape
    assert.equal(likeMatcher('x\\')('abc'), false); // the dangling escape is never reached
    assert.ok(regexMatches('Hello World', '^[[:upper:]][[:alpha:]]+\\s', false));
    assert.ok(regexMatches('HELLO', 'hello', true));
    assert.ok(regexMatches('foo bar', '\\mbar\\M', false));
    assert.equal(code(() => regexMatches('x', '(', false)), '2201B');
  });
});
