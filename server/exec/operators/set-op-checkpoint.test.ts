/**
 * SetOpOperator checkpoints: restored from its snapshots at any epoch, UNION [ALL], INTERSECT [ALL]
 * and EXCEPT [ALL] send exactly what the original sends afterwards (retracting the copies it emitted
 * before, and UNION's shown spelling of equal rows), with the same combined watermarks.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import { Numeric, withScale } from '../../types/numeric.js';
import { checkRoundTrip, epochsOf, feedEpoch, intentEpochs, MessageRecorder, type Built, type Epoch, type IntentOptions } from './binary-state-harness.js';
import { foldStateDeltas } from './operator-state.js';
import { SetOpOperator } from './set-op.js';

const N = (s: string, scale: number): Datum => withScale(new Numeric(s), scale);

/** (int4 0..2 or NULL, numeric 1 spelled 1 / 1.0 / 1.00, or 2, or NULL): many equal rows, some printed differently. */
const row: fc.Arbitrary<Row> = fc.tuple(
  fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 }),
  fc.constantFrom<Datum>(N('1', 0), N('1', 1), N('1', 2), N('2', 0), null),
);

const OPTIONS: IntentOptions = {
  rows: { left: row, right: row },
  watermarkColumns: { left: [0], right: [0] },
  step: 1,
};

const MODES = [
  ['union', false],
  ['union', true],
  ['intersect', false],
  ['intersect', true],
  ['except', false],
  ['except', true],
] as const;

function make(op: 'union' | 'intersect' | 'except', all: boolean): () => Built {
  return () => {
    const out = new MessageRecorder();
    return { op: new SetOpOperator(out, op, all, 2), out };
  };
}

const chunk = (side: 'left' | 'right', op: Op, rows: Row[]): Epoch[number] => ({ kind: 'chunk', side, ops: rows.map(() => op), rows });

describe('SetOpOperator checkpoints', () => {
  for (const [op, all] of MODES) {
    it(`restores exactly at any epoch: ${op}${all ? ' all' : ''}`, () => {
      fc.assert(
        fc.property(intentEpochs(OPTIONS, 7), (intents) => checkRoundTrip(make(op, all), epochsOf(intents, OPTIONS))),
        { numRuns: 120 },
      );
    });
  }

  it('a restored EXCEPT ALL retracts the copies it emitted before the checkpoint', () => {
    const original = make('except', true)();
    const r: Row = [1, N('1', 2)];
    feedEpoch(original, [chunk('left', Op.Insert, [r, r, r]), chunk('right', Op.Insert, [r])], 1);
    const restored = make('except', true)();
    restored.op.restoreState(foldStateDeltas([original.op.snapshotState(true)]));
    assert.equal(restored.op.stateRows(), 1);
    assert.deepEqual(feedEpoch(restored, [chunk('right', Op.Insert, [r, r])], 2), ['-D n1|d1:2', '-D n1|d1:2', 'B 2']);
    assert.deepEqual(feedEpoch(restored, [chunk('right', Op.Delete, [r, r, r])], 3), ['+I n1|d1:2', '+I n1|d1:2', '+I n1|d1:2', 'B 3']);
  });

  it('a restored UNION shows the next spelling still present when the shown one goes', () => {
    const original = make('union', false)();
    const epochs: Epoch[] = [
      [chunk('left', Op.Insert, [[1, N('1', 2)]]), chunk('right', Op.Insert, [[1, N('1', 0)]])],
      [chunk('left', Op.Delete, [[1, N('1', 2)]])],
    ];
    assert.deepEqual(feedEpoch(original, epochs[0]!, 1), ['+I n1|d1:2', 'B 1']);
    const restored = make('union', false)();
    restored.op.restoreState(foldStateDeltas([original.op.snapshotState(true)]));
    assert.deepEqual(feedEpoch(restored, epochs[1]!, 2), ['-U n1|d1:2', '+U n1|d1:0', 'B 2']);
    checkRoundTrip(make('union', false), epochs);
  });
});
