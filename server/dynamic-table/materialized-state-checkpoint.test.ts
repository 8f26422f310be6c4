/**
 * MaterializedState checkpoints: a view's rows restored from folded snapshots at any epoch scan the
 * same, count the same and take later changes (retractions of rows held before the cut included)
 * exactly as the original; every datum kind survives (-0, NaN, numeric scale, bigint, bytes,
 * intervals, arrays), hash chains of colliding rows too; values are encodeStateValue's bytes, also
 * for many values and one of several MiB; a checkpoint of another width is refused; the bucket
 * count follows the view's size, and incremental snapshots across a regrouping fold to the full state.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from './changelog-op.js';
import { ChangelogChunk } from './chunk.js';
import { Messages } from './message.js';
import { MaterializedState } from './materialized-state.js';
import { exactKeyOf } from '../exec/row-key.js';
import { decodeStateValue, encodeStateValue, foldStateDeltas, META_KEY, type StateDelta } from '../exec/operators/operator-state.js';
import { checkRestoreAt, chunksOf, epochsArb, feedEpoch, MessageLines, type Command, type UnaryEpoch, type UnaryUnderTest } from '../exec/operators/unary-state-harness.js';
import { Interval, type Datum, type Row } from '../types/datum.js';
import { Numeric, withScale } from '../types/numeric.js';

const WIDTH = 3;

/** A view state whose output, per epoch, is its contents sorted by exact key, then the epoch's changes. */
function view(): UnaryUnderTest {
  const out = new MessageLines();
  const op = new MaterializedState(WIDTH);
  op.onEpoch = (changes, epoch) => {
    const rows: Row[] = [];
    for (const c of op.scan(7)) for (let i = 0; i < c.length; i++) rows.push(c.row(i));
    rows.sort((a, b) => (exactKeyOf(a) < exactKeyOf(b) ? -1 : exactKeyOf(a) > exactKeyOf(b) ? 1 : 0));
    out.push(Messages.chunk(ChangelogChunk.fromRows(WIDTH, rows)));
    out.push(Messages.chunk(changes));
    out.push(Messages.barrier(epoch));
  };
  return { op, out };
}

const ODD: Datum[] = [
  -0, 0, NaN, 0.5, Infinity, -1e300, 2 ** 53, null, true, 'a', 'ä€', '', 10n, -(2n ** 70n),
  withScale(new Numeric('1.5'), 1), withScale(new Numeric('1.5'), 2), new Interval(1, 0, 0), new Interval(0, 30, 0),
  Uint8Array.of(0, 255), [1, 'x', null],
];

/** Rows with few distinct values: numbers only (some colliding: (a, b) and (a + 1, b - 31) hash alike) or odd datums. */
function rowOf(seed: number): Row {
  const a = seed % 4;
  if (seed % 3 === 0) return [a, 100 - 31 * a, seed % 2];
  return [ODD[seed % ODD.length]!, ODD[(seed >> 5) % ODD.length]!, a];
}

function epochsFrom(batches: readonly (readonly (readonly Command[])[])[]): UnaryEpoch[] {
  const held: Row[] = [];
  return batches.map((epoch) => chunksOf(epoch, held, rowOf));
}

describe('MaterializedState checkpoint state', () => {
  it('restores at any epoch and then scans and changes as the original', () => {
    fc.assert(
      fc.property(epochsArb(6), ([batches, cut]) => checkRestoreAt(view, WIDTH, epochsFrom(batches), cut)),
      { numRuns: 300 },
    );
  });

  it('a retraction of a row held before the checkpoint applies after a restore', () => {
    const a = view();
    const rows: Row[] = [[1, 69, 0], [2, 38, 0], [1, 69, 0], ['x', withScale(new Numeric('1.5'), 2), null]];
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: rows.map(() => Op.Insert), rows }], 1);
    const b = view();
    b.op.restoreState(a.op.snapshotState(true).upserts);
    assert.equal(b.op.stateRows(), 4);
    feedEpoch(b.op, WIDTH, [{ kind: 'chunk', ops: [Op.Delete, Op.Delete], rows: [[1, 69, 0], ['x', withScale(new Numeric('1.5'), 2), null]] }], 2);
    assert.equal(b.op.stateRows(), 2);
    assert.throws(
      () => feedEpoch(b.op, WIDTH, [{ kind: 'chunk', ops: [Op.Delete], rows: [['x', withScale(new Numeric('1.5'), 1), null]] }], 3),
      /lost track of a row/,
      '1.5 and 1.50 stay different rows',
    );
  });

  it('writes encodeStateValue bytes, for many values and for one of several MiB', () => {
    const s = new MaterializedState(2);
    const rows: Row[] = [];
    for (let i = 0; i < 20_000; i++) rows.push([i, 'v'.repeat(i % 200)]);
    rows.push([-1, 'w'.repeat(3 << 20)]);
    s.push(Messages.chunk(ChangelogChunk.fromRows(2, rows)));
    s.push(Messages.barrier(1));
    const { upserts } = s.snapshotState(true);
    let total = 0;
    for (const u of upserts) {
      assert.deepEqual(Buffer.from(u.value), encodeStateValue(decodeStateValue(u.value)));
      if (u.key !== META_KEY) total += decodeStateValue(u.value).length / 2;
    }
    assert.equal(total, rows.length);
    const r = new MaterializedState(2);
    r.restoreState(upserts);
    assert.equal(r.stateRows(), rows.length);
  });

  it('regroups its buckets as the view grows and shrinks; incremental deltas across it fold to the state', () => {
    const v = new MaterializedState(2);
    const deltas: StateDelta[] = [];
    let epoch = 0;
    const rowsOf = (from: number, to: number): Row[] => Array.from({ length: to - from }, (_, i) => [from + i, `r${from + i}`]);
    const feed = (ops: Op, rows: Row[]): void => {
      const c = ChangelogChunk.fromRows(2, rows);
      c.ops.fill(ops);
      v.push(Messages.chunk(c));
      v.push(Messages.barrier(++epoch));
      deltas.push(v.snapshotState(deltas.length === 0));
    };
    const bucketsOf = (d: StateDelta): number => decodeStateValue(d.upserts.find((e) => e.key === META_KEY)!.value)[2] as number;
    for (let k = 0; k < 60_000; k += 6_000) feed(Op.Insert, rowsOf(k, k + 6_000));
    const grown = bucketsOf(deltas[deltas.length - 1]!);
    assert.ok(grown > bucketsOf(deltas[0]!), `buckets did not grow: ${bucketsOf(deltas[0]!)} -> ${grown}`);
    // An incremental snapshot after a few changes writes a few small buckets, not a share of the view.
    feed(Op.Insert, rowsOf(100_000, 100_010));
    const small = deltas[deltas.length - 1]!;
    assert.ok(small.upserts.length <= 11, `${small.upserts.length} entries for 10 new rows`);
    for (let k = 0; k < 59_000; k += 5_900) feed(Op.Delete, rowsOf(k, k + 5_900));
    assert.ok(bucketsOf(deltas[deltas.length - 1]!) < grown, 'buckets did not shrink');
    const restored = new MaterializedState(2);
    restored.restoreState(foldStateDeltas(deltas));
    const scan = (m: MaterializedState): string[] => {
      const out: string[] = [];
      for (const c of m.scan()) for (let i = 0; i < c.length; i++) out.push(JSON.stringify(c.row(i)));
      return out.sort();
    };
    assert.deepEqual(scan(restored), scan(v));
    assert.equal(restored.stateRows(), 1_010);
    const a = new Map(v.snapshotState(true).upserts.map((e) => [e.key, Buffer.from(e.value).toString('hex')]));
    const b = new Map(foldStateDeltas(deltas).map((e) => [e.key, Buffer.from(e.value).toString('hex')]));
    assert.deepEqual(new Set(b.keys()), new Set(a.keys()));
  });

  it('refuses a checkpoint of a view of another width', () => {
    const a = view();
    feedEpoch(a.op, WIDTH, [{ kind: 'chunk', ops: [Op.Insert], rows: [[1, 2, 3]] }], 1);
    assert.throws(() => new MaterializedState(2).restoreState(a.op.snapshotState(true).upserts), /malformed row|does not match the view/);
  });
});
