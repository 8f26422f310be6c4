/**
 * Accumulators: count and sum over int4 keep exact results while they count and sum in JS numbers
 * (a sum moves into its bigint before a number could lose exactness), with retractions.
 */
import assert from 'node:assert/strict';
import type { AggregateCall } from '../../plan/logical/aggregate-call.js';
import { T } from '../../types/sql-type.js';
import { createAccumulator } from './accumulators.js';

const arg = { kind: 'column', index: 0, type: T.int4, label: 'v' } as const;
const sum = { name: 'sum', args: [arg], argTypes: [T.int4], distinct: false, orderBy: [], star: false, type: T.int8 } as unknown as AggregateCall;
const count = { name: 'count', args: [arg], argTypes: [T.int4], distinct: false, orderBy: [], star: false, type: T.int8 } as unknown as AggregateCall;

describe('accumulators', () => {
  it('sum(int4) stays exact past 2^53 and under retractions', () => {
    const acc = createAccumulator(sum);
    const big = 2 ** 31 - 1;
    const n = 2 ** 22 + 3; // n * big > 2^53
    for (let i = 0; i < n; i++) acc.add([big], 1, undefined);
    acc.add([-5], 1, undefined);
    acc.add([7], -1, undefined);
    assert.equal(acc.result(), BigInt(big) * BigInt(n) - 12n);
    // result() may be called between adds (every barrier does).
    acc.add([12], 1, undefined);
    assert.equal(acc.result(), BigInt(big) * BigInt(n));
    for (let i = 0; i < n; i++) acc.add([big], -1, undefined);
    assert.equal(acc.result(), 0n);
  });

  it('sum of no rows is NULL; count skips NULLs and gives a bigint', () => {
    const s = createAccumulator(sum);
    const c = createAccumulator(count);
    assert.equal(s.result(), null);
    for (const v of [1, null, 2]) {
      s.add([v], 1, undefined);
      c.add([v], 1, undefined);
    }
    c.add([5], -1, undefined);
    assert.equal(s.result(), 3n);
    assert.equal(c.result(), 1n);
  });
});
