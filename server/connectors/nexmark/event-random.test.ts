/** EventRandom: draws depend on (seed, event number) only, stay in range and are roughly uniform. */
import assert from 'node:assert/strict';
import { EventRandom } from './event-random.js';

function draws(r: EventRandom, n: number, k: number): number[] {
  r.resetFor(n);
  return Array.from({ length: k }, () => r.u32());
}

describe('nexmark event random', () => {
  it('repeats the draws of an event whatever was drawn before', () => {
    const r = new EventRandom(5n);
    const first = draws(r, 123_456_789_012, 8);
    draws(r, 7, 100);
    assert.deepEqual(draws(r, 123_456_789_012, 8), first);
    assert.deepEqual(draws(new EventRandom(5n), 123_456_789_012, 8), first);
    assert.notDeepEqual(draws(new EventRandom(6n), 123_456_789_012, 8), first);
    assert.notDeepEqual(draws(r, 123_456_789_013, 8), first);
    // Events 2^32 apart do not share draws.
    assert.notDeepEqual(draws(r, 5 + 2 ** 32, 8), draws(r, 5, 8));
  });

  it('keeps int and long in range and roughly uniform', () => {
    const r = new EventRandom(1n);
    const buckets = new Array<number>(10).fill(0);
    for (let n = 0; n < 100_000; n++) {
      r.resetFor(n);
      const v = r.int(10);
      assert.ok(v >= 0 && v < 10 && Number.isInteger(v));
      buckets[v]!++;
      const big = r.long(3e12);
      assert.ok(big >= 0 && big < 3e12 && Number.isInteger(big));
    }
    for (const b of buckets) assert.ok(Math.abs(b - 10_000) < 500, `bucket ${b}`);
  });

  it('gives neighbouring seeds unrelated streams, not shifted copies', () => {
    const a = new EventRandom(100n);
    const b = new EventRandom(101n);
    const first = new Set<number>();
    for (let n = 0; n < 2000; n++) first.add(draws(a, n, 1)[0]!);
    let shared = 0;
    for (let n = 0; n < 2000; n++) if (first.has(draws(b, n, 1)[0]!)) shared++;
    assert.ok(shared < 5, `${shared} first draws shared`);
  });
});
