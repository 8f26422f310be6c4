import assert from 'node:assert/strict';
import type { SqlError } from '../errors.js';
import { castDatum, castRule, commonSupertype } from './cast.js';
import { Numeric, makeNumericTypmod, numericToString } from './numeric.js';
import { arrayOf, scalar, T } from './sql-type.js';
import type { Decimal } from './datum.js';

const code = (f: () => unknown) => {
  try { f(); } catch (e) { return (e as SqlError).code; }
  return 'no error';
};

describe('cast', () => {
  it('follows pg_cast contexts', () => {
    assert.equal(castRule(T.int4, T.int8), 'implicit');
    assert.equal(castRule(T.int8, T.int4), 'assignment');
    assert.equal(castRule(T.int4, T.bool), 'explicit');
    assert.equal(castRule(T.int4, T.text), 'assignment');
    assert.equal(castRule(T.text, T.date), 'explicit');
    assert.equal(castRule(T.unknown, T.date), 'implicit');
    assert.equal(castRule(T.date, T.timestamptz), 'implicit');
    assert.equal(castRule(T.bool, T.date), undefined);
    assert.equal(castRule(arrayOf(T.int4), arrayOf(T.int8)), 'implicit');
  });

  it('picks the common type as select_common_type does', () => {
    assert.equal(commonSupertype([T.int4, T.numeric])?.kind, 'numeric');
    assert.equal(commonSupertype([T.int4, T.float8, T.numeric])?.kind, 'float8');
    assert.equal(commonSupertype([T.unknown, T.unknown])?.kind, 'text');
    assert.equal(commonSupertype([T.varchar, T.text])?.kind, 'varchar'); // both cast implicitly: the first wins
    assert.equal(commonSupertype([T.text, T.varchar])?.kind, 'text');
    assert.equal(commonSupertype([T.int2, T.int4])?.kind, 'int4');
    assert.equal(commonSupertype([T.unknown, T.date])?.kind, 'date');
    assert.equal(commonSupertype([T.date, T.timestamptz])?.kind, 'timestamptz');
    assert.equal(commonSupertype([T.int4, T.text]), undefined);
  });

  it('rounds and range-checks numbers', () => {
    assert.equal(castDatum(2.5, T.float8, T.int4, true), 2); // rint: half to even
    assert.equal(castDatum(new Numeric('2.5'), T.numeric, T.int4, true), 3); // half away from zero
    assert.equal(code(() => castDatum(40000, T.int4, T.int2, false)), '22003');
    const n = castDatum(new Numeric('123.456'), T.numeric, scalar('numeric', makeNumericTypmod(5, 2)), false) as Decimal;
    assert.equal(numericToString(n), '123.46');
    assert.equal(code(() => castDatum(new Numeric('1234.5'), T.numeric, scalar('numeric', makeNumericTypmod(4, 2)), false)), '22003');
    assert.equal(numericToString(castDatum(1 / 3, T.float8, T.numeric, true) as Decimal), '0.333333333333333');
  });

  it('applies char and varchar lengths', () => {
    assert.equal(castDatum('abcdef', T.text, scalar('varchar', 7), true), 'abc');
    assert.equal(code(() => castDatum('abcdef', T.text, scalar('varchar', 7), false)), '22001');
    assert.equal(castDatum('ab   ', T.text, scalar('varchar', 6), false), 'ab');
    assert.equal(castDatum('ab', T.text, scalar('bpchar', 8), false), 'ab  ');
    assert.equal(castDatum('ab  ', T.bpchar, T.text, false), 'ab');
    assert.equal(castDatum(true, T.bool, T.text, false), 'true');
  });

  it('moves between date, timestamp and timestamptz in the session zone', () => {
    const ctx = { timeZone: 'America/New_York' };
    const local = castDatum('2020-07-01 12:00', T.unknown, T.timestamp, true) as number;
    const utc = castDatum(local, T.timestamp, T.timestamptz, false, ctx) as number;
    assert.equal(utc - local, 4 * 3600e6);
    assert.equal(castDatum(utc, T.timestamptz, T.timestamp, false, ctx), local);
    assert.equal(castDatum(utc + 12 * 3600e6, T.timestamptz, T.date, false, ctx), castDatum('2020-07-02', T.unknown, T.date, true));
  });
});
