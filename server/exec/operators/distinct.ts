/**
 * Distinct: counts each distinct row; emits an insert when a row's count goes 0 -> 1 and a delete
 * when it goes back to 0, so it is correct under retractions as well as in batch. Of SQL-equal rows
 * that print differently (3, 3.00) it shows one still present (Representatives). Its checkpointed
 * state is the Representatives' groups (one entry per distinct row) plus an empty META entry.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import { keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { encodeStateValue, META_KEY, type StatefulOperator, type StateDelta, type StateEntry } from './operator-state.js';
import { Representatives } from './representatives.js';

export class DistinctOperator extends UnaryOperator implements StatefulOperator {
  private readonly shown = new Representatives();

  constructor(out: Downstream) {
    super('Distinct', out);
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const b = new ChunkBuilder(chunk.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      this.shown.apply(keyOf(row), row, opSign(chunk.ops[i] as Op), b);
    }
    this.emit(b.build());
  }

  /** Distinct rows held (freshet_watermarks.state_rows). */
  stateRows(): number {
    return this.shown.size;
  }

  /**
   * The distinct rows changed since the last snapshot (all with `full`). Watermarks wait in the
   * base class only until the barrier, so between epochs nothing else is held; META is written
   * (empty) so every operator's snapshot has one.
   */
  snapshotState(full: boolean): StateDelta {
    const delta = this.shown.snapshotGroups(full);
    delta.upserts.push({ key: META_KEY, value: encodeStateValue([]) });
    return delta;
  }

  restoreState(entries: Iterable<StateEntry>): void {
    for (const entry of entries) {
      if (Representatives.ownsKey(entry.key)) this.shown.restoreGroup(entry);
      else if (entry.key !== META_KEY) throw new Error(`Distinct: unknown state key ${String(entry.key)}`);
    }
  }
}
