/**
 * Sort checkpoints: in a continuous query Sort only buffers until its first barrier, then passes
 * changes through. A Sort restored after that barrier passes through at once, so a retraction of a
 * row emitted before the checkpoint reaches downstream (a fresh Sort would buffer and drop it).
 */
import assert from 'node:assert/strict';
import { Op } from '../../dynamic-table/changelog-op.js';
import { Messages } from '../../dynamic-table/message.js';
import type { ExecContext } from '../../plan/context.js';
import type { Row } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { ExprEnv } from '../expr/env.js';
import { META_KEY } from './operator-state.js';
import { SortOperator } from './sort.js';
import { checkRestoreAt, chunkOf, feedEpoch, MessageLines, type UnaryEpoch, type UnaryUnderTest } from './unary-state-harness.js';

const env: ExprEnv = { params: [], outer: [], ctx: { fn: {} } as unknown as ExecContext, subplans: { run: () => [] } };

function sort(): UnaryUnderTest {
  const out = new MessageLines();
  const op = new SortOperator(out, [{ eval: (cols) => cols[0]!, type: T.int4, desc: true, nullsFirst: false }], env, 2);
  return { op, out };
}

describe('Sort checkpoint state', () => {
  it('passes a retraction through after a restore', () => {
    const a = sort();
    const rows: Row[] = [[1, 10], [2, 20]];
    feedEpoch(a.op, 2, [{ kind: 'chunk', ops: [Op.Insert, Op.Insert], rows }], 1);
    assert.deepEqual(a.out.take(), ['+I n2|n20', '+I n1|n10', 'B 1']);
    const { upserts, deletes } = a.op.snapshotState(true);
    assert.deepEqual([upserts.map((u) => u.key), deletes], [[META_KEY], []]);
    const b = sort();
    b.op.restoreState(upserts);
    assert.equal(b.op.stateRows(), 0);
    b.op.push(Messages.chunk(chunkOf(2, [Op.Delete], [[1, 10]])));
    assert.deepEqual(b.out.take(), ['-D n1|n10'], 'passed through before any barrier');
  });

  it('restored at any epoch behaves as the original', () => {
    const epochs: UnaryEpoch[] = [
      [{ kind: 'chunk', ops: [Op.Insert, Op.Insert], rows: [[1, 1], [3, 3]] }],
      [{ kind: 'chunk', ops: [Op.Delete, Op.Insert], rows: [[1, 1], [2, 2]] }],
      [{ kind: 'chunk', ops: [Op.UpdateBefore, Op.UpdateAfter], rows: [[3, 3], [3, 4]] }],
    ];
    for (let cut = 0; cut < epochs.length; cut++) checkRestoreAt(sort, 2, epochs, cut);
  });
});

