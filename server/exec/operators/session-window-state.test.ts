/**
 * SessionWindow checkpoints: an operator restored from its folded snapshots at any epoch emits
 * exactly what the original does afterwards: sessions merged and split as update pairs against the
 * windows emitted before the cut, late rows dropped below the watermark applied before it, and the
 * watermarks it forwards moving on from where the original's stood.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { LogicalPlan } from '../../plan/logical/plan.js';
import { SessionWindowNode } from '../../plan/logical/session-window.js';
import type { Row } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { ExprEnv } from '../expr/env.js';
import { SessionWindowOperator } from './session-window.js';
import { checkRestoreAt, chunksOf, commandArb, feedEpoch, MessageLines, type UnaryEpoch, type UnaryInput, type UnaryUnderTest } from './unary-state-harness.js';

const SEC = 1_000_000;
const GAP = 10 * SEC;
const WIDTH = 3;

const INPUT = {
  schema: [
    { name: 'id', type: T.int4, tableOid: 0, attnum: 0 },
    { name: 'k', type: T.int4, tableOid: 0, attnum: 0 },
    { name: 't', type: T.timestamp, tableOid: 0, attnum: 0 },
  ],
  streamKey: undefined,
} as unknown as LogicalPlan;

function sessionWindow(partitioned: boolean): () => UnaryUnderTest {
  return () => {
    const out = new MessageLines();
    const env = { metrics: { lateRows: 0 } } as unknown as ExprEnv;
    return { op: new SessionWindowOperator(out, new SessionWindowNode(INPUT, 2, GAP, partitioned ? [1] : []), env), out };
  };
}

/** Rows (id, k, t): times drift later with the epoch, NULL now and then. */
const rowAt = (epoch: number) => (seed: number): Row => [seed % 5, (seed >> 3) % 2, seed % 11 === 0 ? null : (epoch * 8 + (seed % 23)) * SEC];

const epochArb = fc.record({
  batches: fc.array(fc.array(commandArb, { maxLength: 8 }), { maxLength: 3 }),
  watermark: fc.option(fc.record({ at: fc.nat({ max: 20 }), column: fc.constantFrom(2, 2, 2, 0), idle: fc.boolean() }), { nil: undefined }),
});

const scenarioArb = fc
  .array(epochArb, { minLength: 1, maxLength: 7 })
  .chain((epochs) => fc.tuple(fc.constant(epochs), fc.nat({ max: epochs.length - 1 })));

type EpochSpec = typeof epochArb extends fc.Arbitrary<infer S> ? S : never;

function epochsFrom(specs: readonly EpochSpec[]): UnaryEpoch[] {
  const held: Row[] = [];
  return specs.map((spec, e) => {
    const inputs: UnaryInput[] = chunksOf(spec.batches, held, rowAt(e));
    const w = spec.watermark;
    if (w) inputs.splice(inputs.length >> 1, 0, { kind: 'watermark', column: w.column, time: (e * 8 + w.at) * SEC, idle: w.idle });
    return inputs;
  });
}

describe('SessionWindow checkpoint state', () => {
  for (const partitioned of [true, false]) {
    it(`restores at any epoch and then behaves as the original (${partitioned ? 'partitioned' : 'one partition'})`, () => {
      fc.assert(
        fc.property(scenarioArb, ([specs, cut]) => checkRestoreAt(sessionWindow(partitioned), WIDTH, epochsFrom(specs), cut)),
        { numRuns: 200 },
      );
    });
  }

  it('keeps the applied watermark across a restore: late rows dropped, sessions merged against emitted windows', () => {
    const make = sessionWindow(true);
    const a = make();
    const row = (id: number, t: number): Row => [id, 0, t * SEC];
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: [Op.Insert, Op.Insert], rows: [row(1, 0), row(2, 30)] }, { kind: 'watermark', column: 2, time: 12 * SEC, idle: false }], 1);
    assert.deepEqual(a.out.take(), ['+I n1|n0|n0|n0|n10000000', '+I n2|n0|n30000000|n30000000|n40000000', 'W 2 12000000', 'W 3 12000000', 'W 4 22000000', 'B 1']);
    const b = make();
    b.op.restoreState(a.op.snapshotState(true).upserts);
    assert.equal(b.op.stateRows(), 1, 'the closed session [0, 10) left the state');
    // 5 is late (below 12); 25 joins the session at 30, which moves to [25, 40).
    const epoch2 = [
      { kind: 'chunk', ops: [Op.Insert, Op.Insert], rows: [row(3, 5), row(4, 25)] },
      { kind: 'watermark', column: 2, time: 13 * SEC, idle: false },
    ] as const;
    feedEpoch(b.op, WIDTH, epoch2, 2);
    feedEpoch(a.op, WIDTH, epoch2, 2);
    const lines = b.out.take();
    assert.deepEqual(lines, a.out.take());
    assert.deepEqual(lines, [
      '+I n4|n0|n25000000|n25000000|n40000000',
      '-U n2|n0|n30000000|n30000000|n40000000',
      '+U n2|n0|n30000000|n25000000|n40000000',
      'W 2 13000000',
      'W 3 13000000',
      'W 4 23000000',
      'B 2',
    ]);
  });
});
