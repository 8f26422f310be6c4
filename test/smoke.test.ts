/** Smoke test of the core chunk types: a chunk round-trips its rows and ops. */
import assert from 'node:assert/strict';
import { ChangelogChunk } from '../server/dynamic-table/chunk.js';
import { Op } from '../server/dynamic-table/changelog-op.js';

describe('ChangelogChunk', () => {
  it('keeps rows by column with their ops', () => {
    const c = ChangelogChunk.fromRows(2, [[1, 'a'], [2, null]], Op.Insert);
    assert.equal(c.length, 2);
    assert.deepEqual(c.columns, [[1, 2], ['a', null]]);
    assert.equal(c.toText(), '+I 1 a\n+I 2 NULL');
  });
});
