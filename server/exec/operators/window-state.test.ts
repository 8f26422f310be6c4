/**
 * Window checkpoints: a continuous WindowOperator restored from its folded snapshots at any epoch
 * emits exactly what the original does afterwards, both when it keeps one shard per partition (every
 * call partitions alike) and when it keeps all rows in one shard; ties in ORDER BY keep their order
 * (row_number over equal keys), and what it emitted before the cut is retracted exactly.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import { WindowNode } from '../../plan/logical/window.js';
import type { LogicalPlan } from '../../plan/logical/plan.js';
import type { Datum, Row } from '../../types/datum.js';
import { Numeric, withScale } from '../../types/numeric.js';
import { PlanRunner } from '../run-plan.js';
import { FakeDatabase, T } from '../../../test/plan/harness.js';
import { decodeStateValue, META_KEY } from './operator-state.js';
import { WindowOperator } from './window.js';
import { checkRestoreAt, chunksOf, epochsArb, feedEpoch, MessageLines, type Command, type UnaryEpoch, type UnaryUnderTest } from './unary-state-harness.js';

const db = new FakeDatabase().table('t', {
  columns: [['id', T.int4], ['v', T.int4], ['p', T.int4], ['d', T.numeric]],
  rows: [],
});
const WIDTH = 4;

function findWindow(plan: LogicalPlan): WindowNode | undefined {
  if (plan instanceof WindowNode) return plan;
  for (const i of plan.inputs) {
    const w = findWindow(i);
    if (w) return w;
  }
  return undefined;
}

function windowOperator(sql: string): () => UnaryUnderTest {
  const node = findWindow(db.bind(sql).plan)!;
  assert.equal(node.input.schema.length, WIDTH, 'the window reads t directly');
  const env = new PlanRunner(db.context(), []).env();
  return () => {
    const out = new MessageLines();
    return { op: new WindowOperator(out, node, env, true), out };
  };
}

/** Rows (id, v, p, d) with few distinct values, so ORDER BY ties and duplicate rows are common. */
function rowOf(seed: number): Row {
  const d: Datum = seed % 5 === 0 ? null : withScale(new Numeric(String((seed % 3) / 2)), 1 + (seed % 2));
  return [seed % 6, (seed >> 3) % 3, (seed >> 5) % 3, d];
}

function epochsFrom(batches: readonly (readonly (readonly Command[])[])[]): UnaryEpoch[] {
  const held: Row[] = [];
  return batches.map((epoch) => chunksOf(epoch, held, rowOf));
}

const SHARDED =
  'SELECT id, v, p, row_number() OVER (PARTITION BY p ORDER BY v), ' +
  'sum(v) OVER (PARTITION BY p ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), lag(d) OVER (PARTITION BY p ORDER BY v) FROM t';
const ONE_SHARD =
  'SELECT id, rank() OVER (ORDER BY v), row_number() OVER (ORDER BY v), count(*) OVER (PARTITION BY p), ' +
  'first_value(d) OVER (PARTITION BY p ORDER BY id) FROM t';

describe('Window checkpoint state', () => {
  it('keeps one shard per partition when every call partitions alike, else one', () => {
    for (const [sql, sharded] of [[SHARDED, 1], [ONE_SHARD, 0]] as const) {
      const { op } = windowOperator(sql)();
      feedEpoch(op, WIDTH, [{ kind: 'chunk', ops: [Op.Insert, Op.Insert], rows: [[1, 1, 0, null], [2, 1, 1, null]] }], 1);
      const { upserts } = op.snapshotState(true);
      assert.equal(decodeStateValue(upserts.find((u) => u.key === META_KEY)!.value)[0], sharded);
      assert.equal(upserts.length, sharded ? 3 : 2);
    }
  });

  for (const [name, sql] of [['one shard per partition', SHARDED], ['one shard', ONE_SHARD]] as const) {
    it(`restores at any epoch and then behaves as the original: ${name}`, () => {
      const make = windowOperator(sql);
      fc.assert(
        fc.property(epochsArb(6), ([batches, cut]) => checkRestoreAt(make, WIDTH, epochsFrom(batches), cut)),
        { numRuns: 120 },
      );
    });
  }

  it('retracts after a restore the rows it emitted before, ties in their order', () => {
    const make = windowOperator(SHARDED);
    const a = make();
    // Two rows tied on v in partition 0: row_number follows arrival order.
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: [Op.Insert, Op.Insert], rows: [[1, 5, 0, null], [2, 5, 0, null]] }], 1);
    a.out.take();
    const b = make();
    b.op.restoreState(a.op.snapshotState(true).upserts);
    assert.equal(b.op.stateRows(), 2);
    feedEpoch(b.op, WIDTH, [{ kind: 'chunk', ops: [Op.Delete], rows: [[1, 5, 0, null]] }], 2);
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: [Op.Delete], rows: [[1, 5, 0, null]] }], 2);
    const lines = b.out.take();
    assert.deepEqual(lines, a.out.take());
    assert.deepEqual(lines, ['-D n1|n5|n0|N|n1|n5|N', '-D n2|n5|n0|N|n2|n10|N', '+I n2|n5|n0|N|n1|n5|N', 'B 2']);
  });
});
