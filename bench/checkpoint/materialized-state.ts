/**
 * Timings of a view's checkpoint state (not a test): a MaterializedState of 1M rows, numbers only or
 * with strings and bigints, snapshotted in full, restored, and snapshotted incrementally after 1,000
 * changes. Run: `npx tsc -p . && node --expose-gc dist/bench/checkpoint/materialized-state.js`.
 */
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import { Messages } from '../../server/dynamic-table/message.js';
import { MaterializedState } from '../../server/dynamic-table/materialized-state.js';
import type { Datum } from '../../server/types/datum.js';

const ROWS = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function chunkOf(from: number, to: number, op: Op, withStrings: boolean): ChangelogChunk {
  const cols: Datum[][] = [[], [], []];
  for (let i = from; i < to; i++) {
    cols[0]!.push(i);
    cols[1]!.push(withStrings ? `name-${i % 5000}` : (i * 7) % 1000);
    cols[2]!.push(withStrings ? BigInt(i) * 10n : i / 3);
  }
  return new ChangelogChunk(new Uint8Array(to - from).fill(op), cols, to - from);
}

function time<T>(f: () => T): [T, number] {
  gc();
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

for (const withStrings of [false, true]) {
  const view = new MaterializedState(3);
  const [, loadMs] = time(() => {
    for (let i = 0; i < ROWS; i += 1000) view.push(Messages.chunk(chunkOf(i, i + 1000, Op.Insert, withStrings)));
    view.push(Messages.barrier(1));
  });
  const [full, snapshotMs] = time(() => view.snapshotState(true));
  let bytes = 0;
  for (const e of full.upserts) bytes += e.value.length;
  const [restored, restoreMs] = time(() => {
    const r = new MaterializedState(3);
    r.restoreState(full.upserts);
    return r;
  });
  if (restored.stateRows() !== ROWS) throw new Error('restored the wrong number of rows');
  view.push(Messages.chunk(chunkOf(0, 500, Op.Delete, withStrings)));
  view.push(Messages.chunk(chunkOf(ROWS, ROWS + 500, Op.Insert, withStrings)));
  view.push(Messages.barrier(2));
  const [delta, incrementalMs] = time(() => view.snapshotState(false));
  const kind = withStrings ? 'int, text, bigint' : 'int, int, float';
  console.log(
    `${ROWS} rows (${kind}): load ${loadMs.toFixed(0)} ms; full snapshot ${snapshotMs.toFixed(0)} ms ` +
      `(${full.upserts.length} entries, ${(bytes / 1e6).toFixed(1)} MB); restore ${restoreMs.toFixed(0)} ms; ` +
      `incremental after 1,000 changes ${incrementalMs.toFixed(0)} ms (${delta.upserts.length} upserts, ${delta.deletes.length} deletes)`,
  );
}
