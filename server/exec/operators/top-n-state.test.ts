/**
 * TopN checkpoints: a TopN restored from its folded snapshots at any epoch emits exactly what the
 * original does afterwards (retracting the rows the original emitted before the cut), for ORDER BY ..
 * LIMIT .. OFFSET, a bare OFFSET, and DISTINCT ON (a TopN of 1 per partition); rows that differ only in
 * numeric scale (1.5, 1.50) stay apart; a checkpoint of another TopN's shape is refused.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { ExprEnv } from '../expr/env.js';
import type { ExecContext } from '../../plan/context.js';
import type { Datum, Row } from '../../types/datum.js';
import { Numeric, withScale } from '../../types/numeric.js';
import { T } from '../../types/sql-type.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { CompiledSortKey } from './sort.js';
import { TopNOperator } from './top-n.js';
import { checkRestoreAt, chunksOf, epochsArb, feedEpoch, MessageLines, type UnaryEpoch, type UnaryUnderTest } from './unary-state-harness.js';

const env: ExprEnv = { params: [], outer: [], ctx: { fn: {} } as unknown as ExecContext, subplans: { run: () => [] } };
const WIDTH = 4;
const column = (c: number): ColumnEvaluator => (cols) => cols[c]!;

/** Rows (id, v, p, d): v sorts, p partitions, d a numeric whose scale alone may differ. */
function rowOf(seed: number): Row {
  const d: Datum = seed % 4 === 0 ? null : withScale(new Numeric('1.5'), 1 + (seed % 2));
  return [seed % 7, (seed >> 3) % 5, (seed >> 6) % 3, d];
}

interface Shape {
  readonly name: string;
  readonly offset: number;
  readonly count: number | undefined;
  readonly partitioned: boolean;
  readonly desc: boolean;
}

const SHAPES: Shape[] = [
  { name: 'ORDER BY v LIMIT 3 OFFSET 1', offset: 1, count: 3, partitioned: false, desc: false },
  { name: 'ORDER BY v DESC OFFSET 2', offset: 2, count: undefined, partitioned: false, desc: true },
  { name: 'DISTINCT ON (p) ORDER BY p, v', offset: 0, count: 1, partitioned: true, desc: false },
  { name: 'LIMIT 2 per partition', offset: 0, count: 2, partitioned: true, desc: true },
];

function topN(shape: Shape): () => UnaryUnderTest {
  return () => {
    const out = new MessageLines();
    const keys: CompiledSortKey[] = [{ eval: column(1), type: T.int4, desc: shape.desc, nullsFirst: false }];
    const op = new TopNOperator(out, keys, env, shape.offset, shape.count, WIDTH, shape.partitioned ? [column(2)] : []);
    return { op, out };
  };
}

function epochsFrom(batches: readonly (readonly (readonly import('./unary-state-harness.js').Command[])[])[]): UnaryEpoch[] {
  const held: Row[] = [];
  return batches.map((epoch) => chunksOf(epoch, held, rowOf));
}

describe('TopN checkpoint state', () => {
  for (const shape of SHAPES) {
    it(`restores at any epoch and then behaves as the original: ${shape.name}`, () => {
      fc.assert(
        fc.property(epochsArb(6), ([batches, cut]) => checkRestoreAt(topN(shape), WIDTH, epochsFrom(batches), cut)),
        { numRuns: 150 },
      );
    });
  }

  it('retracts after a restore exactly the rows emitted before it', () => {
    const make = topN(SHAPES[0]!);
    const a = make();
    const one: Row = [1, 1, 0, null];
    const two: Row = [2, 2, 0, withScale(new Numeric('1.5'), 2)];
    const three: Row = [3, 3, 0, null];
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: [Op.Insert, Op.Insert, Op.Insert], rows: [one, two, three] }], 1);
    assert.deepEqual(a.out.take(), ['+I n2|n2|n0|d1.5:2', '+I n3|n3|n0|N', 'B 1']);
    const b = make();
    b.op.restoreState(a.op.snapshotState(true).upserts);
    // Deleting the first row moves row 3 into position 1 and row 2 out: the original emitted 2 and 3.
    feedEpoch(b.op, WIDTH, [{ kind: 'chunk', ops: [Op.Delete], rows: [one] }], 2);
    assert.deepEqual(b.out.take(), ['-D n2|n2|n0|d1.5:2', 'B 2']);
    assert.equal(b.op.stateRows(), 2);
  });

  it('an empty unpartitioned TopN restored emits nothing at the next quiet barrier', () => {
    const make = topN(SHAPES[0]!);
    const a = make();
    feedEpoch(a.op, WIDTH, [], 1);
    assert.deepEqual(a.out.take(), ['B 1']);
    const b = make();
    b.op.restoreState(a.op.snapshotState(true).upserts);
    feedEpoch(b.op, WIDTH, [], 2);
    assert.deepEqual(b.out.take(), ['B 2']);
  });

  it('refuses a checkpoint of a TopN of another shape', () => {
    const a = topN(SHAPES[0]!)();
    feedEpoch(a.op, WIDTH, [], 1);
    const entries = a.op.snapshotState(true).upserts;
    assert.throws(() => topN(SHAPES[1]!)().op.restoreState(entries), /different TopN/);
  });
});
