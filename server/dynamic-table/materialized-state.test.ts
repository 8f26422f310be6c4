/**
 * MaterializedState keeps a multiset of rows by exact identity: number rows through hashes (with
 * colliding rows chained), other rows by exact key; retractions remove exactly the row named, and
 * the wrong retraction is an error.
 */
import assert from 'node:assert/strict';
import { ChangelogChunk } from './chunk.js';
import { Op } from './changelog-op.js';
import { Messages } from './message.js';
import { MaterializedState } from './materialized-state.js';
import type { Datum, Row } from '../types/datum.js';
import { Numeric, withScale } from '../types/numeric.js';

function push(state: MaterializedState, op: Op, rows: readonly Row[]): void {
  state.push(Messages.chunk(ChangelogChunk.fromRows(state.width, rows as Row[], op)));
}

function contents(state: MaterializedState): string[] {
  const out: string[] = [];
  for (const chunk of state.scan(3)) for (let i = 0; i < chunk.length; i++) out.push(chunk.row(i).map((d) => (Object.is(d, -0) ? '-0' : String(d))).join(' '));
  return out.sort();
}

describe('MaterializedState', () => {
  it('counts duplicates and tells apart rows whose hashes collide', () => {
    const s = new MaterializedState(2);
    // Same hash: (a, b) and (a + 1, b - 31) mix to the same 32-bit value.
    const rows: Row[] = [[1, 100], [2, 69], [3, 38], [1, 100], [0, 0], [-0, 0], [NaN, 1], [0.5, null], [1e300, 2]];
    push(s, Op.Insert, rows);
    assert.equal(s.rowCount, 9);
    push(s, Op.Delete, [[2, 69], [1, 100], [-0, 0], [NaN, 1]]);
    assert.equal(s.rowCount, 5);
    assert.deepEqual(contents(s), ['0 0', '0.5 null', '1 100', '1e+300 2', '3 38']);
    assert.throws(() => push(s, Op.Delete, [[-0, 0]]), /lost track of a row/);
  });

  it('keys rows with other values by their exact key', () => {
    const s = new MaterializedState(2);
    const a: Datum[] = ['x', withScale(new Numeric('1.5'), 1)];
    const b: Datum[] = ['x', withScale(new Numeric('1.5'), 2)];
    push(s, Op.Insert, [a, b, [10n, 'y']]);
    push(s, Op.Delete, [['x', withScale(new Numeric('1.5'), 2)]]);
    assert.deepEqual(contents(s), ['10 y', 'x 1.5']);
    assert.throws(() => push(s, Op.Delete, [['x', withScale(new Numeric('1.5'), 2)]]), /lost track of a row/);
  });
});
