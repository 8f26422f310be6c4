/**
 * The integer fast paths of numeric arithmetic (numericFromScaledInt, numericConstIntArith) against
 * the general path they stand in for: same decimal.js layout (sign, exponent, words, display scale),
 * same text, equality, order, hash keys, pgwire and storage encodings, over random constants and
 * integers of every width.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exactKeyOf, hashKeyOfValue, keyOf } from '../exec/row-key.js';
import { encodeBinary } from '../pgwire/binary-codec.js';
import { decodeRow, encodeRow } from '../storage/row-codec.js';
import { numericArith, numericConstIntArith } from './arithmetic.js';
import { compareDatums } from './compare.js';
import type { Decimal } from './datum.js';
import { Numeric, numericFromInt, numericFromScaledInt, numericScale, numericToString, parseNumeric, withScale } from './numeric.js';
import { T } from './sql-type.js';
import { formatText } from './text-io.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const RUNS = 3000;

/** Everything a reader of a numeric can observe, own properties in order included. */
function observed(d: Decimal): unknown {
  const own = d as unknown as Record<string, unknown>;
  return {
    keys: Object.keys(own),
    proto: Object.getPrototypeOf(d) === Numeric.prototype,
    ctor: own.constructor === Numeric,
    s: own.s,
    e: own.e,
    d: own.d,
    dscale: own.dscale,
    text: d.toString(),
    pgText: numericToString(d),
    key: keyOf([d]),
    exactKey: exactKeyOf([d]),
    hashKey: hashKeyOfValue(d),
    pgwireText: formatText(d, T.numeric),
    pgwireBinary: encodeBinary(d, T.numeric).toString('hex'),
    stored: encodeRow([d]).toString('hex'),
    restored: numericToString(decodeRow(encodeRow([d]))[0] as Decimal),
  };
}

function assertSameNumeric(fast: Decimal, slow: Decimal): void {
  assert.deepEqual(observed(fast), observed(slow));
  assert.ok(fast.eq(slow));
  assert.equal(compareDatums(fast, slow, T.numeric), 0);
  assert.equal(compareDatums(fast, new Numeric(1), T.numeric), compareDatums(slow, new Numeric(1), T.numeric));
}

/** A numeric literal's text: optional sign, integer digits, fraction digits (trailing zeros kept). */
const numericText = fc.oneof(
  fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,9}$/), fc.stringMatching(/^[0-9]{0,9}$/))
    .map(([negative, i, f]) => `${negative ? '-' : ''}${i}${f ? '.' + f : ''}`),
  fc.constantFrom('0.908', '-0.908', '0', '-0', '0.000', '-0.0', '1', '-1', '0.5', '100', '1e3', '0.0000001', '1234567.1234567',
    '9007199254740991', '9007199254740992', '0.00000000000000000000001', '12345678901234567890'),
);

const int8 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc.bigInt({ min: -100_000_000n, max: 100_000_000n }),
  fc.constantFrom(0n, 1n, -1n, 9007199254740991n, 9007199254740992n, -9007199254740991n, -9007199254740993n,
    9223372036854775807n, -9223372036854775808n),
);
const int4 = fc.oneof(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, -0, 1, -1, 2147483647, -2147483648));
const anyInt = fc.oneof(int8, int4);
const op = fc.constantFrom('+' as const, '-' as const, '*' as const);

describe('numeric integer fast paths', () => {
  it('numericFromScaledInt builds what parsing the same digits builds', () => {
    const magnitude = fc.oneof(
      fc.integer({ min: 0, max: MAX_SAFE }),
      fc.integer({ min: 0, max: 99_999_999 }),
      fc.constantFrom(0, 1, 9, 10, 9_999_999, 10_000_000, 10_000_001, 100_000_000_000_000, MAX_SAFE),
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 15 })).map(([m, z]) => m * 10 ** z),
      // next to multiples of the powers of ten the words are split at, up to 2^53
      fc.tuple(fc.integer({ min: 1, max: 7 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -1, max: 1 }))
        .map(([t, f, delta]) => Math.min(MAX_SAFE, Math.max(0, Math.floor((f * MAX_SAFE) / 10 ** t) * 10 ** t + delta))),
    );
    fc.assert(fc.property(fc.constantFrom(1, -1), magnitude, fc.integer({ min: 0, max: 40 }), (sign, m, scale) => {
      const digits = String(m).padStart(scale + 1, '0');
      const text = `${sign < 0 ? '-' : ''}${digits.slice(0, digits.length - scale)}${scale ? '.' + digits.slice(digits.length - scale) : ''}`;
      const slow = withScale(new Numeric(text), scale);
      assertSameNumeric(numericFromScaledInt(sign, m, scale), slow);
    }), { numRuns: RUNS });
  });

  it('constant op integer equals numericArith on the integer made numeric', () => {
    fc.assert(fc.property(op, numericText, anyInt, fc.boolean(), (o, text, x, intOnLeft) => {
      const c = parseNumeric(text);
      const fn = numericConstIntArith(o, c, intOnLeft);
      const xd = numericFromInt(x);
      const slow = intOnLeft ? numericArith(o, xd, c) : numericArith(o, c, xd);
      // no fast path only for constants whose digits at their scale pass a safe integer, and for
      // sums and differences whose scale has no exact power of ten in a double
      const scale = numericScale(c);
      const tooLong = c.abs().times(new Numeric(10).pow(scale)).gt(MAX_SAFE);
      assert.equal(fn === undefined, tooLong || (o !== '*' && scale > 22));
      if (fn) assertSameNumeric(fn(x), slow);
    }), { numRuns: RUNS * 3 });
  });

  it('keeps the sign decimal.js gives zero results', () => {
    const zeros = ['0', '-0', '0.00', '-0.00'];
    for (const o of ['+', '-', '*'] as const) {
      for (const t of zeros) {
        for (const x of [0, -0, 0n, 5n, -5]) {
          for (const intOnLeft of [false, true]) {
            const c = parseNumeric(t);
            const slow = intOnLeft ? numericArith(o, numericFromInt(x), c) : numericArith(o, c, numericFromInt(x));
            assertSameNumeric(numericConstIntArith(o, c, intOnLeft)!(x), slow);
          }
        }
      }
    }
  });

  it('computes the nexmark q1 conversion exactly', () => {
    const times = numericConstIntArith('*', parseNumeric('0.908'), false)!;
    assert.equal(numericToString(times(1000n)), '908.000');
    assert.equal(numericToString(times(-7n)), '-6.356');
    assert.equal(numericToString(times(9223372036854775807n)), '8374821809464136432.756');
    assert.equal(numericToString(numericConstIntArith('-', parseNumeric('0.5'), true)!(3)), '2.5');
    assert.equal(numericToString(numericConstIntArith('+', parseNumeric('-1.25'), false)!(1n)), '-0.25');
  });

  it('offers no fast path for NaN, infinite or too long constants', () => {
    assert.equal(numericConstIntArith('*', parseNumeric('NaN'), false), undefined);
    assert.equal(numericConstIntArith('+', parseNumeric('Infinity'), false), undefined);
    assert.equal(numericConstIntArith('*', parseNumeric('12345678901234567890'), false), undefined);
    assert.equal(numericConstIntArith('+', parseNumeric('1e-30'), false), undefined);
  });
});
