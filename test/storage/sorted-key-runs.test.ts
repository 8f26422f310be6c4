/**
 * SortedKeyRuns: keys come out in sorted order across many runs whatever the sorting and taking steps,
 * a peek without confirm hands the same keys out again, and the unconfirmed keys are exactly the rest.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { byCodeUnits, KEYS_PER_RUN, SortedKeyRuns } from '../../server/storage/sorted-key-runs.js';

describe('sorted key runs', () => {
  it('hands every key out once, in order, across runs, retries and partial steps (property)', () => {
    fc.assert(
      fc.property(
        // Up to five runs of distinct keys of varied lengths (a bare fc.uniqueArray stays far below one run).
        fc.tuple(fc.integer({ min: 0, max: 5 * KEYS_PER_RUN }), fc.integer({ min: 0, max: 1_000_000 })).map(([n, seed]) =>
          Array.from({ length: n }, (_, i) => `${'abc'[i % 3]}${(i * 7919 + seed) % 1_000_003}`),
        ),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 700 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (keys, steps) => {
          const runs = new SortedKeyRuns(new Set(keys));
          assert.equal(runs.size, keys.length);
          const out: string[] = [];
          for (const [sortBudget, take, commit] of steps) {
            if (!runs.sorted) {
              assert.ok(runs.sortSome(sortBudget) > 0);
              if (!runs.sorted) continue;
            }
            const first = runs.peek(take);
            const again = runs.peek(take);
            assert.deepEqual(again.keys.slice(again.from, again.to), first.keys.slice(first.from, first.to));
            if (commit) {
              out.push(...first.keys.slice(first.from, first.to));
              runs.confirm(first.to - first.from);
            }
            assert.equal(runs.confirmed, out.length);
            assert.deepEqual([...runs.unconfirmed(), ...out].sort(byCodeUnits), [...keys].sort(byCodeUnits));
          }
          while (!runs.sorted) runs.sortSome(KEYS_PER_RUN);
          const rest = runs.peek(keys.length);
          out.push(...rest.keys.slice(rest.from, rest.to));
          runs.confirm(rest.to - rest.from);
          assert.deepEqual(out, [...keys].sort(byCodeUnits));
          assert.deepEqual(runs.unconfirmed(), []);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sorts a bounded amount per step: about the budget, at least one run', () => {
    const runs = new SortedKeyRuns(Array.from({ length: 5 * KEYS_PER_RUN }, (_, i) => `k${(i * 7919) % 100_003}`));
    assert.equal(runs.sortSome(1), KEYS_PER_RUN);
    assert.equal(runs.sortSome(2 * KEYS_PER_RUN), 2 * KEYS_PER_RUN);
    assert.equal(runs.sorted, false);
    assert.throws(() => runs.peek(1), /before every run is sorted/);
    assert.equal(runs.sortSome(10 * KEYS_PER_RUN), 2 * KEYS_PER_RUN);
    assert.equal(runs.sorted, true);
  });
});
