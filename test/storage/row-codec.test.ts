/** Row codec round trips: every datum kind, edge numbers, numeric scale, nested arrays (fast-check). */
import assert from 'node:assert/strict';
import type { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { decodeRow, encodeRow } from '../../server/storage/row-codec.js';
import { Interval, type Datum } from '../../server/types/datum.js';
import { Numeric, numericScale, withScale as scaled } from '../../server/types/numeric.js';

/** A numeric as the type runtime makes them: finite values carry their display scale. */
function num(text: string, scale?: number): Decimal {
  const d = new Numeric(text);
  return d.isFinite() ? scaled(d, scale ?? d.decimalPlaces()) : d;
}
const withScale = (text: string, scale: number): Decimal => num(text, scale);

const decimalArb: fc.Arbitrary<Datum> = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 })).map(([digits, scale]) => {
    const s = digits.toString().replace('-', '').padStart(scale + 1, '0');
    const text = `${digits < 0n ? '-' : ''}${s.slice(0, s.length - scale)}${scale > 0 ? '.' + s.slice(s.length - scale) : ''}`;
    return withScale(text, scale);
  }),
  fc.double().map((x) => num(String(x))),
  fc.constantFrom(num('NaN'), num('Infinity'), num('-Infinity'), num('-0'), num('1e-400'), num('9e+9000')),
);

const scalarArb: fc.Arbitrary<Datum> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  fc.bigInt(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.string({ unit: 'binary' }),
  fc.string(),
  decimalArb,
  fc.uint8Array(),
  fc.tuple(fc.integer(), fc.integer(), fc.double()).map(([m, d, us]) => new Interval(m, d, us)),
);

const datumArb: fc.Arbitrary<Datum> = fc.letrec<{ datum: Datum }>((tie) => ({
  datum: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, fc.array(tie('datum'), { maxLength: 4 })),
})).datum;

describe('row codec', () => {
  it('round-trips random rows of every datum kind exactly', () => {
    fc.assert(
      fc.property(fc.array(datumArb, { maxLength: 12 }), (row) => {
        assert.deepStrictEqual(decodeRow(encodeRow(row)), row);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps -0, NaN and infinities of float columns', () => {
    const back = decodeRow(encodeRow([-0, NaN, Infinity, -Infinity, 0]));
    assert.ok(Object.is(back[0], -0));
    assert.ok(Number.isNaN(back[1]));
    assert.equal(back[2], Infinity);
    assert.equal(back[3], -Infinity);
    assert.ok(Object.is(back[4], 0));
  });

  it("keeps a numeric's display scale: 1.50 comes back printing 1.50", () => {
    const [d] = decodeRow(encodeRow([withScale('1.50', 2)])) as [Decimal];
    assert.equal(numericScale(d), 2);
    assert.equal(d.toFixed(numericScale(d)), '1.50');
    const [plain] = decodeRow(encodeRow([new Numeric('2.5')])) as [Decimal];
    assert.equal(numericScale(plain), 1);
    assert.equal(plain.toString(), '2.5');
  });

  it('keeps bigints beyond int64 and distinguishes bigint from number', () => {
    const row: Datum[] = [2n ** 64n + 1n, -(2n ** 63n), 5n, 5];
    const back = decodeRow(encodeRow(row));
    assert.deepStrictEqual(back, row);
    assert.equal(typeof back[2], 'bigint');
    assert.equal(typeof back[3], 'number');
  });

  it('returns plain Uint8Arrays that do not alias the encoded buffer', () => {
    const buf = encodeRow([new Uint8Array([1, 2, 3])]);
    const [bytes] = decodeRow(buf) as [Uint8Array];
    assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    buf.fill(0);
    assert.deepStrictEqual(bytes, new Uint8Array([1, 2, 3]));
  });

  it('rebuilds numerics with the numeric type runtime precision', () => {
    const [d] = decodeRow(encodeRow([new Numeric('1')])) as [Decimal];
    assert.ok(d instanceof Numeric);
  });

  it('rejects truncated buffers and values that are not datums', () => {
    const buf = encodeRow(['hello', 1.5]);
    assert.throws(() => decodeRow(buf.subarray(0, buf.length - 1)), RangeError);
    assert.throws(() => encodeRow([{} as unknown as Datum]), TypeError);
  });
});
