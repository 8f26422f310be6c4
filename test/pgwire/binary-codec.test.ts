/** Binary wire codec: known byte layouts from PostgreSQL's send functions, and round trips of every type. */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { SqlError } from '../../server/errors.js';
import { decodeBinary, encodeBinary } from '../../server/pgwire/binary-codec.js';
import { Interval, type Datum } from '../../server/types/datum.js';
import { T, arrayOf, scalar, type SqlType } from '../../server/types/sql-type.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function roundTrip(value: Datum, type: SqlType): Datum {
  return decodeBinary(encodeBinary(value, type), type);
}

function same(a: Datum, b: Datum): boolean {
  if (a instanceof Decimal && b instanceof Decimal) return a.isNaN() ? b.isNaN() : a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]!));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return hex(a) === hex(b);
  if (a instanceof Interval && b instanceof Interval) return a.months === b.months && a.days === b.days && a.micros === b.micros;
  return Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b);
}

describe('pgwire binary codec', () => {
  it('lays out fixed-size types as PostgreSQL sends them', () => {
    assert.equal(hex(encodeBinary(true, T.bool)), '01');
    assert.equal(hex(encodeBinary(-2, T.int2)), 'fffe');
    assert.equal(hex(encodeBinary(258, T.int4)), '00000102');
    assert.equal(hex(encodeBinary(-1n, T.int8)), 'ffffffffffffffff');
    assert.equal(hex(encodeBinary(1.5, T.float8)), '3ff8000000000000');
    assert.equal(hex(encodeBinary(1.5, T.float4)), '3fc00000');
    assert.equal(hex(encodeBinary(4000000000, T.oid)), 'ee6b2800');
    // 2000-01-01 is day 0 on the wire; 1970-01-01 is day -10957.
    assert.equal(hex(encodeBinary(10957, T.date)), '00000000');
    assert.equal(hex(encodeBinary(0, T.date)), 'ffffd533');
    assert.equal(hex(encodeBinary(Infinity, T.date)), '7fffffff');
    // 2000-01-01 00:00:01 UTC as microseconds since 1970.
    assert.equal(hex(encodeBinary(946684801000000, T.timestamptz)), '00000000000f4240');
    assert.equal(hex(encodeBinary(-Infinity, T.timestamp)), '8000000000000000');
    assert.equal(hex(encodeBinary(new Interval(14, 3, 1_000_000), T.interval)), '00000000000f4240' + '00000003' + '0000000e');
    assert.equal(hex(encodeBinary('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', T.uuid)), 'a0eebc999c0b4ef8bb6d6bb9bd380a11');
    assert.equal(hex(encodeBinary('{"a":1}', T.jsonb)), '01' + Buffer.from('{"a":1}').toString('hex'));
  });

  it('encodes numeric in base-10000 digits with weight, sign and scale', () => {
    // 12345.678: digits 1 2345 6780, weight 1, positive, dscale 3.
    assert.equal(hex(encodeBinary(new Decimal('12345.678'), T.numeric)), '0003' + '0001' + '0000' + '0003' + '0001' + '0929' + '1a7c');
    // -0.0001: one digit 1 at weight -1, negative, dscale 4.
    assert.equal(hex(encodeBinary(new Decimal('-0.0001'), T.numeric)), '0001' + 'ffff' + '4000' + '0004' + '0001');
    // 10000000: digits 1000 (weight 1) and trailing zero groups dropped.
    assert.equal(hex(encodeBinary(new Decimal('10000000'), T.numeric)), '0001' + '0001' + '0000' + '0000' + '03e8');
    assert.equal(hex(encodeBinary(new Decimal(0), T.numeric)), '0000' + '0000' + '0000' + '0000');
    assert.equal(hex(encodeBinary(new Decimal(NaN), T.numeric)), '0000' + '0000' + 'c000' + '0000');
    assert.equal(hex(encodeBinary(new Decimal(-Infinity), T.numeric)), '0000' + '0000' + 'f000' + '0000');
    // numeric(10,2) keeps its scale: 1.5 is sent with dscale 2.
    const numeric10x2 = scalar('numeric', ((10 << 16) | 2) + 4);
    assert.equal(hex(encodeBinary(new Decimal('1.5'), numeric10x2)), '0002' + '0000' + '0000' + '0002' + '0001' + '1388');
  });

  it('round-trips every supported type', () => {
    const cases: [Datum, SqlType][] = [
      [true, T.bool], [false, T.bool],
      [-32768, T.int2], [32767, T.int2],
      [-2147483648, T.int4], [2147483647, T.int4],
      [-(2n ** 63n), T.int8], [2n ** 63n - 1n, T.int8],
      [0.5, T.float4], [-Infinity, T.float4], [NaN, T.float4],
      [Math.PI, T.float8], [-0, T.float8], [Infinity, T.float8], [NaN, T.float8],
      [new Decimal('123456789012345678901234567890.000000000000000001'), T.numeric],
      [new Decimal('-0.00000123'), T.numeric], [new Decimal(NaN), T.numeric], [new Decimal(Infinity), T.numeric],
      ['héllo wörld ✓', T.text], ['', T.varchar], ['pad  ', T.bpchar], ['pg_class', T.name], ['r', T.char],
      ['{"k": [1, 2]}', T.json], ['{"k": [1, 2]}', T.jsonb],
      [new Uint8Array([0, 255, 1, 128]), T.bytea], [new Uint8Array(0), T.bytea],
      [0, T.date], [-800000, T.date], [19000, T.date], [Infinity, T.date], [-Infinity, T.date],
      [45_296_000_001, T.time],
      [1_700_000_000_123_456, T.timestamp], [-62_135_596_800_000_000, T.timestamptz], [Infinity, T.timestamptz],
      [new Interval(-14, 40, -3_600_000_001), T.interval],
      [4294967295, T.oid], [1259, T.regclass], [23, T.regtype],
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', T.uuid],
      [[1, null, -3], arrayOf(T.int4)], [[], arrayOf(T.int4)],
      [['a', 'b c', null, ''], arrayOf(T.text)],
      [[5n, -6n], arrayOf(T.int8)],
      [[new Decimal('1.25'), null], arrayOf(T.numeric)],
      [[true, false], arrayOf(T.bool)],
      [[10957, 0], arrayOf(T.date)],
      [[new Interval(1, 2, 3)], arrayOf(T.interval)],
      [['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'], arrayOf(T.uuid)],
      [[new Uint8Array([1, 2])], arrayOf(T.bytea)],
      [[1, 2], T.int2vector], [[26, 23], T.oidvector],
    ];
    for (const [value, type] of cases) {
      const back = roundTrip(value, type);
      assert.ok(same(value, back), `${type.kind}${type.element ? '[' + type.element.kind + ']' : ''}: ${String(value)} came back as ${String(back)}`);
    }
  });

  it('round-trips random numerics, integers and timestamps', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }), (unscaled, scale) => {
        const d = new Decimal(`${unscaled}e-${scale}`);
        const back = roundTrip(d, T.numeric) as Decimal;
        return back.equals(d);
      }),
    );
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => roundTrip(v, T.int8) === v));
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (v) => roundTrip(v, T.timestamp) === v),
    );
  });

  it('rejects malformed binary input with 22P03', () => {
    const isBadBinary = (e: unknown) => e instanceof SqlError && e.code === '22P03';
    assert.throws(() => decodeBinary(Buffer.from([0, 0, 1]), T.int4), isBadBinary);
    assert.throws(() => decodeBinary(Buffer.from([0, 1, 0, 0, 0x12, 0, 0, 0, 0, 1]), T.numeric), isBadBinary);
    assert.throws(() => decodeBinary(Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10]), T.numeric), isBadBinary);
    // An int4[] header that claims elements of type text.
    const wrongElement = encodeBinary(['x'], arrayOf(T.text));
    assert.throws(() => decodeBinary(wrongElement, arrayOf(T.int4)), isBadBinary);
    const truncated = encodeBinary([1, 2], arrayOf(T.int4)).subarray(0, 26);
    assert.throws(() => decodeBinary(truncated, arrayOf(T.int4)), isBadBinary);
  });
});
