/**
 * row-key.ts: the number-or-string hash keys and the per-value key equality agree exactly with
 * keyOf's strings (the definition of SQL key equality), across int, int8, numeric and float values.
 */
import assert from 'node:assert/strict';
import { Interval, type Datum } from '../types/datum.js';
import { Numeric } from '../types/numeric.js';
import { hashKeyOfValue, keyOf, sameKeyDatum } from './row-key.js';

const values: Datum[] = [
  null, true, false, 0, -0, 1, -1, 3, 1.5, NaN, Infinity, -Infinity, 2 ** 53 - 1, 2 ** 53, 2 ** 60, 1e21,
  0n, 1n, 3n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 60n,
  new Numeric('3'), new Numeric('3.00'), new Numeric('1.5'), new Numeric('1.50'), new Numeric('-0'), new Numeric('NaN'),
  new Numeric('9007199254740993'), '', 'a', 'a ', '3', 'n3', new Interval(1, 0, 0), new Interval(0, 30, 0),
  new Uint8Array([1, 2]), new Uint8Array([1, 2]), [1, 2], [1, 2n],
];

describe('row keys', () => {
  it('hashKeyOfValue is equal (SameValueZero) exactly when keyOf is', () => {
    for (const a of values) {
      for (const b of values) {
        const same = keyOf([a]) === keyOf([b]);
        const ka = hashKeyOfValue(a);
        const kb = hashKeyOfValue(b);
        assert.equal(new Map([[ka, 1]]).has(kb), same, `${String(a)} vs ${String(b)}`);
        assert.equal(sameKeyDatum(a, b), same, `sameKeyDatum(${String(a)}, ${String(b)})`);
      }
    }
  });

  it('gives integer keys as numbers, whatever their representation', () => {
    assert.equal(hashKeyOfValue(7), 7);
    assert.equal(hashKeyOfValue(7n), 7);
    assert.equal(hashKeyOfValue(new Numeric('7.000')), 7);
    assert.equal(typeof hashKeyOfValue(2n ** 60n), 'string');
    assert.equal(typeof hashKeyOfValue('7'), 'string');
  });
});
