/**
 * IntervalJoinOperator checkpoints: restored from its snapshots at any epoch, it stores and evicts
 * the same rows, joins later rows the same way and sends the same output watermarks (idle sides
 * included) as the original, and its incremental snapshots fold to a full one.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Row } from '../../types/datum.js';
import type { JoinNode } from '../../plan/logical/join.js';
import { intervalJoinDatabase, joinOf, MIN } from '../../../test/exec/interval-join-fixture.js';
import { analyzeIntervalJoin } from '../interval-join-bounds.js';
import { checkRoundTrip, epochsOf, feedEpoch, intentEpochs, MessageRecorder, type Built, type Epoch, type IntentOptions } from './binary-state-harness.js';
import { foldStateDeltas } from './operator-state.js';
import { IntervalJoinOperator } from './interval-join.js';

const db = intervalJoinDatabase();
const env = db.env();

const FORMS = [
  "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '3' MINUTE AND a.t",
  "SELECT * FROM a JOIN b ON a.id = b.id AND b.t > a.t - INTERVAL '2' MINUTE AND b.t < a.t + INTERVAL '2' MINUTE",
  "SELECT * FROM a JOIN b ON a.id = b.id AND a.t >= b.t + INTERVAL '1' MINUTE AND a.t - INTERVAL '4' MINUTE < b.t AND a.v <= b.w",
  "SELECT * FROM a JOIN b ON b.t BETWEEN a.t + INTERVAL '1' MINUTE AND a.t + INTERVAL '3' MINUTE",
  "SELECT * FROM a JOIN b ON a.id = b.id AND a.v = b.w AND b.t >= a.t AND b.t <= a.t",
];

/** (id, t, v): ids and values in 0..2 or NULL, times on a minute grid in 0..8 minutes or NULL. */
const row: fc.Arbitrary<Row> = fc.tuple(
  fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 }),
  fc.option(fc.integer({ min: 0, max: 8 }).map((m) => m * MIN), { nil: null, freq: 10 }),
  fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 }),
);

const OPTIONS: IntentOptions = {
  rows: { left: row, right: row },
  // Mostly the time column; key columns too (watermarked on both sides, they move the output keys).
  watermarkColumns: { left: [1, 1, 0, 2], right: [1, 1, 0, 2] },
  step: MIN,
  appendOnly: true,
};

function make(join: JoinNode): () => Built {
  const bounds = analyzeIntervalJoin(join);
  assert.ok(bounds);
  return () => {
    const out = new MessageRecorder();
    return { op: new IntervalJoinOperator(out, join, bounds, env), out };
  };
}

describe('IntervalJoinOperator checkpoints', () => {
  for (const sql of FORMS) {
    it(`restores exactly at any epoch: ${sql}`, () => {
      const join = joinOf(db, sql);
      fc.assert(
        fc.property(intentEpochs(OPTIONS, 8), (intents) => checkRoundTrip(make(join), epochsOf(intents, OPTIONS))),
        { numRuns: 80 },
      );
    });
  }

  it('a restored join keeps its eviction threshold: a row out of reach is not stored, one in reach joins', () => {
    const join = joinOf(db, FORMS[0]!);
    const original = make(join)();
    // right.t - left.t in [-3min, 0]: the right watermark at 10min puts left rows below 10min out of reach.
    feedEpoch(original, [
      { kind: 'chunk', side: 'left', ops: [Op.Insert, Op.Insert], rows: [[1, 9 * MIN, 0], [1, 12 * MIN, 0]] },
      { kind: 'watermark', side: 'right', column: 1, time: 10 * MIN, idle: false },
    ], 1);
    assert.equal(original.op.stateRows(), 1);
    const restored = make(join)();
    restored.op.restoreState(foldStateDeltas([original.op.snapshotState(true)]));
    assert.equal(restored.op.stateRows(), 1);
    const epoch: Epoch = [
      { kind: 'chunk', side: 'left', ops: [Op.Insert], rows: [[1, 5 * MIN, 0]] },
      { kind: 'chunk', side: 'right', ops: [Op.Insert], rows: [[1, 10 * MIN, 7]] },
    ];
    const lines = feedEpoch(restored, epoch, 2);
    assert.deepEqual(lines, ['+I n1|n720000000|n0|n1|n600000000|n7', 'B 2']);
    assert.equal(restored.op.stateRows(), 2, 'the left row at 5min was out of reach and never stored');
  });

  it('a restored join whose inputs are both idle wakes its output watermarks as the original does', () => {
    const join = joinOf(db, FORMS[0]!);
    const wm = (side: 'left' | 'right', minutes: number, idle: boolean): Epoch[number] => ({ kind: 'watermark', side, column: 1, time: minutes * MIN, idle });
    const epochs: Epoch[] = [
      [{ kind: 'chunk', side: 'left', ops: [Op.Insert], rows: [[1, 6 * MIN, 0]] }, wm('left', 5, false), wm('right', 6, false)],
      [wm('left', 5, true), wm('right', 6, true)],
      [],
      [{ kind: 'chunk', side: 'right', ops: [Op.Insert], rows: [[1, 6 * MIN, 1]] }],
      [wm('left', 7, true), wm('right', 8, false)],
    ];
    const b = make(join)();
    assert.deepEqual(feedEpoch(b, epochs[0]!, 1), ['W 1 300000000', 'W 4 120000000', 'B 1']);
    assert.deepEqual(feedEpoch(b, epochs[1]!, 2), ['W 1 360000000', 'W 4 360000000', 'W 1 360000000 idle', 'W 4 360000000 idle', 'B 2']);
    checkRoundTrip(make(join), epochs);
  });
});
