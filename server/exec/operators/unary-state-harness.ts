/**
 * Test support for the checkpoint state of one-input operators (TopN, Window, SessionWindow, Sort):
 * feeds an operator epochs of chunks and watermarks closed by a barrier, snapshots it after each epoch
 * (full first, then incremental), and checks that a fresh operator restored from the folded snapshots
 * at a cut behaves exactly like the original afterwards (same messages per epoch, same stateRows,
 * same state), that the restored one snapshots incrementally from a clean slate, and that the fold of
 * all snapshots equals a full one. Also: random changelog commands that keep a multiset valid.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import type { Row } from '../../types/datum.js';
import type { Downstream } from './operator.js';
import { foldStateDeltas, META_KEY, stateKeyId, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';
import { MessageRecorder as MessageLines } from './message-recorder.js';

/** One thing sent to the input within an epoch. */
export type UnaryInput =
  | { readonly kind: 'chunk'; readonly ops: readonly Op[]; readonly rows: readonly Row[] }
  | { readonly kind: 'watermark'; readonly column: number; readonly time: number; readonly idle: boolean };

export type UnaryEpoch = readonly UnaryInput[];


/** The unary harness's name for the shared recorder. */
export { MessageLines };

export interface UnaryUnderTest {
  readonly op: Downstream & StatefulOperator;
  readonly out: MessageLines;
}

export function feedEpoch(op: Downstream, width: number, epoch: UnaryEpoch, barrierId: number): void {
  for (const input of epoch) {
    if (input.kind === 'watermark') op.push(Messages.watermark(input.column, input.time, input.idle));
    else op.push(Messages.chunk(chunkOf(width, input.ops, input.rows)));
  }
  op.push(Messages.barrier(barrierId));
}

export function chunkOf(width: number, ops: readonly Op[], rows: readonly Row[]): ChangelogChunk {
  const columns = Array.from({ length: width }, (_, c) => rows.map((r) => r[c]!));
  return new ChangelogChunk(Uint8Array.from(ops), columns, rows.length);
}

/** Entries as key id -> value hex, to compare snapshots as sets. */
export function entryMap(entries: Iterable<StateEntry>): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) m.set(stateKeyId(e.key), Buffer.from(e.value).toString('hex'));
  return m;
}

/**
 * Runs `epochs` through one operator, snapshotting after each; restores a fresh one at `cut` (the
 * state after epoch `cut`) and checks it against the original from there on.
 */
export function checkRestoreAt(make: () => UnaryUnderTest, width: number, epochs: readonly UnaryEpoch[], cut: number): void {
  const original = make();
  const deltas: StateDelta[] = [];
  const outputs: string[][] = [];
  const stateRows: number[] = [];
  epochs.forEach((epoch, e) => {
    feedEpoch(original.op, width, epoch, e + 1);
    outputs.push(original.out.take());
    stateRows.push(original.op.stateRows());
    const delta = original.op.snapshotState(e === 0);
    if (e === 0) assert.deepEqual(delta.deletes, [], 'a full snapshot deletes nothing');
    assertKeysOnce(delta);
    deltas.push(delta);
  });
  // The fold of every snapshot equals a full snapshot now.
  const full = entryMap(original.op.snapshotState(true).upserts);
  assert.deepEqual(entryMap(foldStateDeltas(deltas)), full, 'folded snapshots differ from a full snapshot');

  const restored = make();
  const base = foldStateDeltas(deltas.slice(0, cut + 1));
  restored.op.restoreState(base);
  assert.equal(restored.op.stateRows(), stateRows[cut], `stateRows after restoring at epoch ${cut}`);
  // Nothing is dirty after a restore: an incremental snapshot holds only META.
  const clean = restored.op.snapshotState(false);
  assert.deepEqual(clean.deletes, []);
  assert.deepEqual(clean.upserts.map((u) => u.key), [META_KEY], 'a restored operator starts with no changed keys');
  const later: StateDelta[] = [clean];
  for (let e = cut + 1; e < epochs.length; e++) {
    feedEpoch(restored.op, width, epochs[e]!, e + 1);
    assert.deepEqual(restored.out.take(), outputs[e], `output of epoch ${e} after restoring at epoch ${cut}`);
    assert.equal(restored.op.stateRows(), stateRows[e], `stateRows after epoch ${e}`);
    later.push(restored.op.snapshotState(false));
  }
  assert.deepEqual(entryMap(foldStateDeltas([{ upserts: base, deletes: [] }, ...later])), full, 'restored operator snapshots differ');
  assert.deepEqual(entryMap(restored.op.snapshotState(true).upserts), full, 'restored operator holds a different state');
}

function assertKeysOnce(delta: StateDelta): void {
  const seen = new Set<string>();
  for (const k of [...delta.upserts.map((u) => u.key), ...delta.deletes]) {
    const id = stateKeyId(k);
    assert.ok(!seen.has(id), `key ${id} twice in one snapshot`);
    seen.add(id);
  }
}

/** A changelog command on a model multiset: insert a new row, delete a held one, or update one (a -U/+U pair). */
export interface Command {
  readonly kind: 'insert' | 'delete' | 'update';
  readonly pick: number;
  readonly seed: number;
}

export const commandArb: fc.Arbitrary<Command> = fc.record({
  kind: fc.constantFrom<Command['kind']>('insert', 'insert', 'delete', 'update'),
  pick: fc.nat(),
  seed: fc.nat(),
});

/**
 * Turns command batches into chunks valid against the rows held so far (`held`, updated in place):
 * a delete or update picks a held row (skipped when none), an insert or update's new row is `rowOf(seed)`.
 */
export function chunksOf(batches: readonly (readonly Command[])[], held: Row[], rowOf: (seed: number) => Row): UnaryInput[] {
  const out: UnaryInput[] = [];
  for (const batch of batches) {
    const ops: Op[] = [];
    const rows: Row[] = [];
    for (const c of batch) {
      if (c.kind === 'insert') {
        const row = rowOf(c.seed);
        held.push(row);
        ops.push(Op.Insert);
        rows.push(row);
        continue;
      }
      if (held.length === 0) continue;
      const at = c.pick % held.length;
      const old = held[at]!;
      held.splice(at, 1);
      if (c.kind === 'delete') {
        ops.push(Op.Delete);
        rows.push(old);
      } else {
        const row = rowOf(c.seed);
        held.push(row);
        ops.push(Op.UpdateBefore, Op.UpdateAfter);
        rows.push(old, row);
      }
    }
    if (rows.length > 0) out.push({ kind: 'chunk', ops, rows });
  }
  return out;
}

/** Epochs of command batches, and a cut among them. */
export const epochsArb = (maxEpochs: number) =>
  fc
    .array(fc.array(fc.array(commandArb, { maxLength: 8 }), { maxLength: 3 }), { minLength: 1, maxLength: maxEpochs })
    .chain((epochs) => fc.tuple(fc.constant(epochs), fc.nat({ max: epochs.length - 1 })));
