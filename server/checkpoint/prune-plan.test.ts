/**
 * prune-plan: what a prune keeps when operators write full snapshots at different checkpoints. Keeping
 * whole checkpoints for their chain links would cascade back forever; keeping only the needed links
 * lets old checkpoints go.
 */
import assert from 'node:assert/strict';
import type { CheckpointRecord, OperatorStateLink } from './prune-plan.js';
import { planPrune } from './prune-plan.js';

const link = (checkpointId: number, operatorId: string, base: number | null): OperatorStateLink => ({
  checkpointId,
  queryOid: 1,
  operatorId,
  baseCheckpointId: base,
});

describe('checkpoint/prune-plan', () => {
  // A writes full snapshots at 1 and 4, B at 1, 3 and 6; incremental on the previous checkpoint otherwise.
  const checkpoints: CheckpointRecord[] = [1, 2, 3, 4, 5, 6].map((id) => ({ id, status: 'complete' }));
  const links = [
    link(1, 'A', null), link(2, 'A', 1), link(3, 'A', 2), link(4, 'A', null), link(5, 'A', 4), link(6, 'A', 5),
    link(1, 'B', null), link(2, 'B', 1), link(3, 'B', null), link(4, 'B', 3), link(5, 'B', 4), link(6, 'B', null),
  ];

  it('keeps only the links the retained chains need when full snapshots are staggered', () => {
    const plan = planPrune(checkpoints, links, 1);
    assert.deepEqual(plan.removeEntirely, [1, 2, 3]);
    assert.deepEqual(plan.retire, [4, 5]);
    assert.deepEqual(plan.dropStates.map((l) => `${l.checkpointId}${l.operatorId}`), ['4B', '5B']);
    assert.deepEqual(plan.dropSources, [4, 5]);
  });

  it('retaining two keeps the chains of both', () => {
    const plan = planPrune(checkpoints, links, 2);
    // 5 needs A@4 and B@4, B@3; 6 needs A@5, A@4.
    assert.deepEqual(plan.removeEntirely, [1, 2]);
    assert.deepEqual(plan.retire, [3, 4]);
    assert.deepEqual(plan.dropStates.map((l) => `${l.checkpointId}${l.operatorId}`), ['3A']);
  });

  it('never touches pending checkpoints, and keeps failed and damaged records newer than the oldest retained', () => {
    const plan = planPrune(
      [
        { id: 1, status: 'failed' },
        { id: 2, status: 'complete' },
        { id: 3, status: 'damaged' },
        { id: 4, status: 'failed' },
        { id: 5, status: 'pending' },
      ],
      [link(2, 'A', null), link(3, 'A', 2)],
      1,
    );
    assert.deepEqual(plan.removeEntirely, [1]);
    assert.deepEqual(plan.retire, []);
    assert.deepEqual(plan.dropStates.map((l) => `${l.checkpointId}${l.operatorId}`), ['3A']);
    assert.deepEqual(plan.dropSources, [3, 4]);
  });
});
