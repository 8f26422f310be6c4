/** Row keys: equal exactly when PostgreSQL's equality says so, and never colliding otherwise. */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { encodeKey } from '../../server/storage/row-key.js';
import { Interval } from '../../server/types/datum.js';
import { arrayOf, T } from '../../server/types/sql-type.js';

describe('row key', () => {
  it('treats equal numbers of different numeric kinds as one key', () => {
    const one = encodeKey([1], [T.int4]);
    assert.equal(encodeKey([1], [T.int2]), one);
    assert.equal(encodeKey([1n], [T.int8]), one);
    assert.equal(encodeKey([new Decimal('1.0')], [T.numeric]), one);
    assert.equal(encodeKey([1.0], [T.float8]), one);
    assert.equal(encodeKey([new Decimal('0.50')], [T.numeric]), encodeKey([0.5], [T.float8]));
    assert.equal(encodeKey([-0], [T.float8]), encodeKey([0], [T.int4]));
    assert.equal(encodeKey([NaN], [T.float8]), encodeKey([new Decimal(NaN)], [T.numeric]));
    assert.equal(encodeKey([2n ** 70n], [T.numeric]), encodeKey([new Decimal((2n ** 70n).toString() + ".000")], [T.numeric]));
    assert.equal(encodeKey([1, 'x'], [T.int4, T.text]), encodeKey([1n, 'x'], [T.int8, T.text]));
  });

  it('keeps different values apart', () => {
    const keys = [
      encodeKey([1], [T.int4]),
      encodeKey([2], [T.int4]),
      encodeKey(['1'], [T.text]),
      encodeKey([null], [T.int4]),
      encodeKey(['N'], [T.text]),
      encodeKey([true], [T.bool]),
      encodeKey([new Decimal('1.0000000000000000000001')], [T.numeric]),
      encodeKey([Infinity], [T.float8]),
      encodeKey([new Uint8Array([1])], [T.bytea]),
      encodeKey([[1, 2]], [arrayOf(T.int4)]),
      encodeKey([[12]], [arrayOf(T.int4)]),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  it('does not collide string pairs that concatenate alike', () => {
    assert.notEqual(encodeKey(['a|', 'b'], [T.text, T.text]), encodeKey(['a', '|b'], [T.text, T.text]));
    fc.assert(
      fc.property(fc.tuple(fc.string(), fc.string()), fc.tuple(fc.string(), fc.string()), ([a, b], [c, d]) => {
        const same = a === c && b === d;
        assert.equal(encodeKey([a, b], [T.text, T.text]) === encodeKey([c, d], [T.text, T.text]), same);
      }),
      { numRuns: 5000 },
    );
  });

  it('is injective on random (text, int8) pairs and ignores bpchar padding', () => {
    fc.assert(
      fc.property(fc.string(), fc.bigInt(), fc.string(), fc.bigInt(), (a, b, c, d) => {
        const same = a === c && b === d;
        assert.equal(encodeKey([a, b], [T.text, T.int8]) === encodeKey([c, d], [T.text, T.int8]), same);
      }),
    );
    assert.equal(encodeKey(['ab  '], [T.bpchar]), encodeKey(['ab'], [T.bpchar]));
    assert.notEqual(encodeKey(['ab  '], [T.text]), encodeKey(['ab'], [T.text]));
  });

  it('compares intervals as PostgreSQL does', () => {
    assert.equal(encodeKey([new Interval(1, 0, 0)], [T.interval]), encodeKey([new Interval(0, 30, 0)], [T.interval]));
    assert.equal(encodeKey([new Interval(0, 1, 0)], [T.interval]), encodeKey([new Interval(0, 0, 86_400_000_000)], [T.interval]));
    assert.notEqual(encodeKey([new Interval(0, 1, 0)], [T.interval]), encodeKey([new Interval(0, 0, 1)], [T.interval]));
  });
});
