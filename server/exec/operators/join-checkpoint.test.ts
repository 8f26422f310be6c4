/**
 * JoinOperator checkpoints: restored from its snapshots at any epoch, a join (inner, outer with NULL
 * padding, nested loop, computed keys, window joins evicting by watermark) sends exactly what the
 * original sends afterwards, keeps the same rows, and its incremental snapshots fold to a full one.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { Datum, Row } from '../../types/datum.js';
import { Numeric, withScale } from '../../types/numeric.js';
import type { JoinNode } from '../../plan/logical/join.js';
import { intervalJoinDatabase, joinOf, MIN } from '../../../test/exec/interval-join-fixture.js';
import { checkRoundTrip, epochsOf, feedEpoch, intentEpochs, MessageRecorder, type Built, type Epoch, type IntentOptions } from './binary-state-harness.js';
import { foldStateDeltas } from './operator-state.js';
import { JoinOperator } from './join.js';

const db = intervalJoinDatabase()
  .table('l', { columns: [['k', T.int4], ['v', T.numeric], ['t', T.timestamp]], rows: [] })
  .table('r', { columns: [['k', T.numeric], ['w', T.numeric], ['t', T.timestamp]], rows: [] });
const env = db.env();

const N = (s: string, scale?: number): Datum => (scale === undefined ? new Numeric(s) : withScale(new Numeric(s), scale));

/** Small domains, so rows often share keys and match; numerics that are equal but print differently. */
function datum(type: SqlType): fc.Arbitrary<Datum> {
  switch (type.kind) {
    case 'int4':
      return fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 });
    case 'numeric':
      return fc.constantFrom<Datum>(N('0'), N('1'), N('1', 2), N('2'), N('1.5', 1), N('1.5', 2), null);
    case 'timestamp':
      return fc.option(fc.integer({ min: 0, max: 3 }).map((i) => i * MIN), { nil: null, freq: 8 });
    default:
      throw new Error(`no generator for ${type.kind}`);
  }
}

function rowOf(plan: JoinNode['left']): fc.Arbitrary<Row> {
  return fc.tuple(...plan.schema.map((c) => datum(c.type))).map((r) => r as Row);
}

function make(join: JoinNode): () => Built {
  return () => {
    const out = new MessageRecorder();
    return { op: new JoinOperator(out, join, env), out };
  };
}

const FORMS = [
  'SELECT * FROM l JOIN r ON l.k = r.k',
  'SELECT * FROM l FULL JOIN r ON l.k = r.k AND l.v < r.w',
  'SELECT * FROM l LEFT JOIN r ON l.k + 1 = r.k',
  'SELECT * FROM l RIGHT JOIN r ON l.v < r.w',
  'SELECT * FROM l CROSS JOIN r',
  'SELECT * FROM l LEFT JOIN r ON l.k = r.k AND l.t = r.t',
  "SELECT * FROM TUMBLE(l, t, INTERVAL '1' MINUTE) x FULL JOIN TUMBLE(r, t, INTERVAL '1' MINUTE) y ON x.window_start = y.window_start AND x.k = y.k",
  "SELECT * FROM TUMBLE(l, t, INTERVAL '1' MINUTE) x RIGHT JOIN TUMBLE(r, t, INTERVAL '1' MINUTE) y ON x.window_start = y.window_start",
];

function options(join: JoinNode): IntentOptions {
  // Watermarks on the timestamp equi-key columns (a window join), where they evict state.
  const timeKeys = join.equiKeys.filter(([l]) => join.left.schema[l]!.type.kind === 'timestamp');
  return {
    rows: { left: rowOf(join.left), right: rowOf(join.right) },
    watermarkColumns: { left: timeKeys.map(([l]) => l), right: timeKeys.map(([, r]) => r) },
    step: MIN,
  };
}

describe('JoinOperator checkpoints', () => {
  for (const sql of FORMS) {
    it(`restores exactly at any epoch: ${sql}`, () => {
      const join = joinOf(db, sql);
      const o = options(join);
      fc.assert(
        fc.property(intentEpochs(o), (intents) => checkRoundTrip(make(join), epochsOf(intents, o))),
        { numRuns: 60 },
      );
    });
  }

  it('a restored outer join retracts the padded row it sent before the checkpoint, and brings it back', () => {
    const join = joinOf(db, 'SELECT * FROM l LEFT JOIN r ON l.k = r.k');
    const original = make(join)();
    const lines = (epoch: Epoch, b: Built, id: number) => feedEpoch(b, epoch, id).filter((l) => !l.startsWith('B'));
    // The planner adds join_key0 (numeric(l.k)) to the left input: rows are (k, v, t, join_key0).
    const left: Row = [1, N('1.5', 2), 0, N('1')];
    const right: Row = [N('1'), N('2'), 0, N('1')];
    assert.deepEqual(lines([{ kind: 'chunk', side: 'left', ops: [Op.Insert], rows: [left] }], original, 1), ['+I n1|d1.5:2|n0|d1:0|N|N|N|N']);
    const restored = make(join)();
    restored.op.restoreState(foldStateDeltas([original.op.snapshotState(true)]));
    assert.equal(restored.op.stateRows(), 1);
    const match: Epoch = [{ kind: 'chunk', side: 'right', ops: [Op.Insert], rows: [right] }];
    assert.deepEqual(lines(match, restored, 2), ['-D n1|d1.5:2|n0|d1:0|N|N|N|N', '+I n1|d1.5:2|n0|d1:0|d1:0|d2:0|n0|d1:0']);
    const unmatch: Epoch = [{ kind: 'chunk', side: 'right', ops: [Op.Delete], rows: [right] }];
    assert.deepEqual(lines(unmatch, restored, 3), ['-D n1|d1.5:2|n0|d1:0|d1:0|d2:0|n0|d1:0', '+I n1|d1.5:2|n0|d1:0|N|N|N|N']);
  });

  it('restores a large bucket with its row index, so retractions of equal rows take the same row', () => {
    const join = joinOf(db, 'SELECT * FROM l FULL JOIN r ON l.k = r.k AND l.v <= r.w');
    // 40 left rows under one key, equal values spelled 1.5 and 1.50 in turn: over 32 rows, removals use a row index.
    const rows: Row[] = Array.from({ length: 40 }, (_, i) => [1, N('1.5', 1 + (i % 2)), i % 3 === 0 ? null : 0, N('1')]);
    const ins = (side: 'left' | 'right', r: Row[]): Epoch[number] => ({ kind: 'chunk', side, ops: r.map(() => Op.Insert), rows: r });
    const del = (side: 'left' | 'right', r: Row[]): Epoch[number] => ({ kind: 'chunk', side, ops: r.map(() => Op.Delete), rows: r });
    const right: Row = [N('1'), N('1.5', 1), 0, N('1')];
    const epochs: Epoch[] = [
      [ins('left', rows), ins('right', [right])],
      [del('left', [rows[3]!, rows[10]!, rows[39]!])], // builds the index, swap-removes
      [ins('left', [rows[0]!, rows[1]!, rows[3]!]), del('left', [rows[5]!, rows[6]!])],
      [del('left', rows.slice(12, 30)), del('right', [right])],
      [del('left', rows.slice(30, 38)), ins('right', [right, right])],
      [del('left', [rows[0]!, rows[1]!, rows[2]!, rows[3]!])],
    ];
    checkRoundTrip(make(join), epochs);
  });

  it('a restored window join keeps the eviction progress: evicted windows stay gone', () => {
    const join = joinOf(db, FORMS[6]!);
    const ws = (side: 'left' | 'right') => (side === 'left' ? join.equiKeys[0]![0] : join.equiKeys[0]![1]);
    const row = (start: number): Row => {
      const r = join.left.schema.map((): Datum => null);
      r[0] = 1;
      r[ws('left')] = start;
      return r;
    };
    const rrow = (start: number): Row => {
      const r = join.right.schema.map((): Datum => null);
      r[ws('right')] = start;
      return r;
    };
    const epochs: Epoch[] = [
      [{ kind: 'chunk', side: 'left', ops: [Op.Insert, Op.Insert], rows: [row(0), row(MIN)] }, { kind: 'chunk', side: 'right', ops: [Op.Insert], rows: [rrow(MIN)] }],
      [{ kind: 'watermark', side: 'left', column: ws('left'), time: MIN, idle: false }, { kind: 'watermark', side: 'right', column: ws('right'), time: MIN, idle: false }],
      [{ kind: 'chunk', side: 'right', ops: [Op.Insert], rows: [rrow(0)] }],
      [{ kind: 'watermark', side: 'left', column: ws('left'), time: 2 * MIN, idle: false }, { kind: 'watermark', side: 'right', column: ws('right'), time: 3 * MIN, idle: false }],
    ];
    checkRoundTrip(make(join), epochs);
    const b = make(join)();
    for (let e = 0; e < 2; e++) feedEpoch(b, epochs[e]!, e + 1);
    // The window at 0 went at the watermark: its two rows (left row(0), its padded row already final).
    assert.equal(b.op.stateRows(), 2);
  });
});
