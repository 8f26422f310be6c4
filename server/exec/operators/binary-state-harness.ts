/**
 * Test support for the checkpoint state of two-input operators (joins, set operations): feeds an
 * operator epochs of chunks and watermarks closed by a barrier on both inputs, snapshots it after
 * each epoch, and checks that a fresh operator restored from the folded snapshots at any cut behaves
 * exactly like the original afterwards (same messages per epoch, same stateRows, same state).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import type { Datum, Row } from '../../types/datum.js';
import type { Downstream } from './operator.js';
import { foldStateDeltas, stateKeyId, type StateDelta, type StatefulOperator, type StateEntry } from './operator-state.js';
import { MessageRecorder } from './message-recorder.js';

export type Side = 'left' | 'right';

/** One thing sent to an input within an epoch. */
export type BinaryInput =
  | { readonly kind: 'chunk'; readonly side: Side; readonly ops: readonly Op[]; readonly rows: readonly Row[] }
  | { readonly kind: 'watermark'; readonly side: Side; readonly column: number; readonly time: number; readonly idle: boolean };

export type Epoch = readonly BinaryInput[];


export { MessageRecorder };

export interface BinaryStatefulOperator extends StatefulOperator {
  readonly left: Downstream;
  readonly right: Downstream;
}

export interface Built {
  readonly op: BinaryStatefulOperator;
  readonly out: MessageRecorder;
}

/** Sends an epoch's inputs, then the barrier `id` on both inputs; returns what the operator sent. */
export function feedEpoch(b: Built, epoch: Epoch, id: number): string[] {
  for (const input of epoch) {
    const port = input.side === 'left' ? b.op.left : b.op.right;
    if (input.kind === 'watermark') {
      port.push(Messages.watermark(input.column, input.time, input.idle));
      continue;
    }
    if (input.rows.length === 0) continue;
    const width = input.rows[0]!.length;
    const columns: Datum[][] = Array.from({ length: width }, (_, c) => input.rows.map((r) => r[c]!));
    port.push(Messages.chunk(new ChangelogChunk(new Uint8Array(input.ops), columns, input.rows.length)));
  }
  b.op.left.push(Messages.barrier(id));
  b.op.right.push(Messages.barrier(id));
  return b.out.take();
}

/** Entries as key id -> value bytes in hex, for comparing states as sets. */
export function entryMap(entries: Iterable<StateEntry>): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) {
    const id = stateKeyId(e.key);
    assert.ok(!m.has(id), `state key ${JSON.stringify(id)} written twice`);
    m.set(id, Buffer.from(e.value).toString('hex'));
  }
  return m;
}

function assertDeltaShape(d: StateDelta): void {
  const ids = new Set<string>();
  for (const e of d.upserts) {
    const id = stateKeyId(e.key);
    assert.ok(!ids.has(id), `key ${JSON.stringify(id)} twice in one delta`);
    ids.add(id);
  }
  for (const k of d.deletes) {
    const id = stateKeyId(k);
    assert.ok(!ids.has(id), `key ${JSON.stringify(id)} both upserted and deleted`);
    ids.add(id);
  }
}

/**
 * Runs `epochs` through an operator from `make`, snapshotting after each (full after the first,
 * incremental after the rest), then for every cut j restores a fresh operator from the fold of
 * snapshots 0..j and feeds it the remaining epochs: per epoch its messages and stateRows must equal
 * the original's, its own incremental snapshots must fold onto the restored ones to the same state,
 * and every fold must equal a full snapshot taken at the same point.
 */
export function checkRoundTrip(make: () => Built, epochs: readonly Epoch[]): void {
  const original = make();
  const outputs: string[][] = [];
  const rows: number[] = [];
  const deltas: StateDelta[] = [];
  const fullAt: Map<string, string>[] = [];
  // A twin fed identically gives the full snapshot at each point without disturbing the original's dirty keys.
  const twin = make();
  epochs.forEach((epoch, e) => {
    outputs.push(feedEpoch(original, epoch, e + 1));
    rows.push(original.op.stateRows());
    const d = original.op.snapshotState(e === 0);
    assertDeltaShape(d);
    if (e === 0) assert.equal(d.deletes.length, 0, 'a full snapshot deletes nothing');
    deltas.push(d);
    assert.deepEqual(feedEpoch(twin, epoch, e + 1), outputs[e], 'a twin fed identically sends the same');
    fullAt.push(entryMap(twin.op.snapshotState(true).upserts));
    assert.deepEqual(entryMap(foldStateDeltas(deltas)), fullAt[e], `fold of snapshots 0..${e} equals a full snapshot`);
  });
  for (let cut = 0; cut < epochs.length; cut++) {
    const restored = make();
    restored.op.restoreState(foldStateDeltas(deltas.slice(0, cut + 1)));
    assert.equal(restored.op.stateRows(), rows[cut], `stateRows after restoring at ${cut}`);
    const chain = deltas.slice(0, cut + 1);
    for (let e = cut + 1; e < epochs.length; e++) {
      assert.deepEqual(feedEpoch(restored, epochs[e]!, e + 1), outputs[e], `epoch ${e} after restoring at ${cut}`);
      assert.equal(restored.op.stateRows(), rows[e], `stateRows of epoch ${e} after restoring at ${cut}`);
      const d = restored.op.snapshotState(false);
      assertDeltaShape(d);
      chain.push(d);
      assert.deepEqual(entryMap(foldStateDeltas(chain)), fullAt[e], `restored at ${cut}: fold through epoch ${e} equals the original's full snapshot`);
    }
    // Restored then snapshotted at once: nothing changed, so only META is written.
    const again = make();
    again.op.restoreState(foldStateDeltas(deltas.slice(0, cut + 1)));
    const idle = again.op.snapshotState(false);
    assert.deepEqual(idle.deletes, []);
    assert.ok(idle.upserts.length <= 1, 'a restored operator starts with no dirty keys');
    assert.deepEqual(entryMap(foldStateDeltas([...deltas.slice(0, cut + 1), idle])), fullAt[cut]);
  }
}

/** One random step of an epoch, turned into inputs by `epochsOf` (retractions pick rows held). */
export type Intent =
  | { readonly kind: 'chunk'; readonly side: Side; readonly items: readonly { readonly change: 'insert' | 'delete' | 'update'; readonly row: Row; readonly pick: number }[] }
  | { readonly kind: 'watermark'; readonly side: Side; readonly column: number; readonly advance: number; readonly idle: boolean };

export interface IntentOptions {
  /** Random rows of each input. */
  readonly rows: Record<Side, fc.Arbitrary<Row>>;
  /** Columns of each input that get watermarks (none: no watermarks). */
  readonly watermarkColumns: Record<Side, readonly number[]>;
  /** Microseconds a watermark advances per step. */
  readonly step: number;
  /** Only inserts (an append-only input). */
  readonly appendOnly?: boolean;
}

/** Random epochs of intents: chunks (sometimes big ones, so a join key holds many rows) and watermarks. */
export function intentEpochs(o: IntentOptions, maxEpochs = 6): fc.Arbitrary<Intent[][]> {
  const item = (side: Side) =>
    fc.record({
      change: o.appendOnly ? fc.constant('insert' as const) : fc.constantFrom<'insert' | 'delete' | 'update'>('insert', 'insert', 'delete', 'update'),
      row: o.rows[side],
      pick: fc.nat(),
    });
  const chunkOf = (side: Side, min: number, max: number): fc.Arbitrary<Intent> =>
    fc.array(item(side), { minLength: min, maxLength: max }).map((items) => ({ kind: 'chunk' as const, side, items }));
  const sideArb = fc.constantFrom<Side>('left', 'right');
  const chunk = sideArb.chain((side) => chunkOf(side, 1, 6));
  const big = sideArb.chain((side) => chunkOf(side, 30, 45));
  const watermark: fc.Arbitrary<Intent> = fc.record({
    kind: fc.constant('watermark' as const),
    side: sideArb,
    column: fc.nat(),
    advance: fc.integer({ min: 0, max: 2 }),
    idle: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  });
  const hasWatermarks = o.watermarkColumns.left.length + o.watermarkColumns.right.length > 0;
  const intent = hasWatermarks
    ? fc.oneof({ weight: 6, arbitrary: chunk }, { weight: 1, arbitrary: big }, { weight: 3, arbitrary: watermark })
    : fc.oneof({ weight: 6, arbitrary: chunk }, { weight: 1, arbitrary: big });
  return fc.array(fc.array(intent, { maxLength: 6 }), { minLength: 2, maxLength: maxEpochs });
}

/**
 * Intents as epochs of inputs: a delete or update retracts a row the input holds (the `pick`th,
 * an insert when it holds none), so every input stays a valid multiset; watermarks never go down.
 */
export function epochsOf(intents: readonly (readonly Intent[])[], o: IntentOptions): Epoch[] {
  const held: Record<Side, Row[]> = { left: [], right: [] };
  const sent = new Map<string, number>();
  return intents.map((epoch) =>
    epoch.flatMap((intent): BinaryInput[] => {
      if (intent.kind === 'watermark') {
        const columns = o.watermarkColumns[intent.side];
        if (columns.length === 0) return [];
        const column = columns[intent.column % columns.length]!;
        const id = `${intent.side}:${column}`;
        const time = (sent.get(id) ?? 0) + intent.advance * o.step;
        sent.set(id, time);
        return [{ kind: 'watermark', side: intent.side, column, time, idle: intent.idle }];
      }
      const ops: Op[] = [];
      const rows: Row[] = [];
      const mine = held[intent.side];
      for (const { change, row, pick } of intent.items) {
        if (change === 'insert' || mine.length === 0) {
          ops.push(Op.Insert);
          rows.push(row);
          mine.push(row);
          continue;
        }
        const at = pick % mine.length;
        const gone = mine[at]!;
        mine[at] = mine[mine.length - 1]!;
        mine.pop();
        if (change === 'delete') {
          ops.push(Op.Delete);
          rows.push(gone);
        } else {
          ops.push(Op.UpdateBefore, Op.UpdateAfter);
          rows.push(gone, row);
          mine.push(row);
        }
      }
      return [{ kind: 'chunk', side: intent.side, ops, rows }];
    }),
  );
}
