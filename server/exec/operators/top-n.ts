/**
 * TopN: ORDER BY ... LIMIT n OFFSET m over a changelog, for continuous queries, optionally per
 * partition (DISTINCT ON is a TopN of 1 per distinct key). It keeps every input row in sort order
 * (ties broken by the row's value, so equal inputs give equal output) and, at each barrier, emits
 * for each changed partition the difference between the rows now in positions [m, m + n) and those
 * it emitted before. Exact under deletes, which is why it keeps all rows, not only the top n.
 * (Batch queries use Sort + Limit and Sort + DistinctOn.)
 * Checkpoints: one entry per partition, key `p` + partition key, value [partition key, row, sort keys,
 * row, sort keys, ...] in sort order; what it emitted is rows [m, m + n) of that, as after every barrier.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { exactKeyOf, keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { snapshotUnits, restoreUnits, checkStateShape, DirtyKeys, META_KEY, encodeStateValue, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';
import { compareKeys, type CompiledSortKey } from './sort.js';

interface Entry {
  readonly keys: Datum[];
  readonly row: Row;
  readonly id: string;
}

interface Partition {
  readonly sorted: Entry[];
  emitted: Entry[];
}

export class TopNOperator extends UnaryOperator implements StatefulOperator {
  private readonly partitions = new Map<string, Partition>();
  private readonly dirty = new Set<string>();
  /** Partitions changed since the last snapshot (marked at the barrier). */
  private readonly changed = new DirtyKeys<string>();

  constructor(
    out: Downstream,
    private readonly keys: readonly CompiledSortKey[],
    private readonly env: ExprEnv,
    private readonly offset: number,
    private readonly count: number | undefined,
    private readonly width: number,
    private readonly partitionBy: readonly ColumnEvaluator[] = [],
  ) {
    super('TopN', out);
    // Without partitions there is one, present from the start: its first barrier emits too.
    if (partitionBy.length === 0) {
      this.partitions.set('', { sorted: [], emitted: [] });
      this.dirty.add('');
    }
  }

  private compare(a: Entry, b: Entry): number {
    const c = compareKeys(a.keys, b.keys, this.keys);
    return c !== 0 ? c : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** First index in `sorted` whose entry is not before `e`. */
  private lowerBound(sorted: readonly Entry[], e: Entry): number {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(sorted[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  protected override onBarrier(): void {
    this.flush();
  }

  protected override onEnd(): void {
    this.flush();
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const keyCols = this.keys.map((k) => k.eval(chunk.columns, chunk.length, this.env));
    const partCols = this.partitionBy.map((f) => f(chunk.columns, chunk.length, this.env));
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      const pk = partCols.length === 0 ? '' : keyOf(partCols.map((c) => c[i]!));
      let part = this.partitions.get(pk);
      if (!part) {
        part = { sorted: [], emitted: [] };
        this.partitions.set(pk, part);
      }
      const entry: Entry = { keys: keyCols.map((col) => col[i]!), row, id: exactKeyOf(row) };
      const at = this.lowerBound(part.sorted, entry);
      const op = chunk.ops[i] as Op;
      if (op === Op.Insert || op === Op.UpdateAfter) {
        part.sorted.splice(at, 0, entry);
      } else {
        const found = part.sorted[at];
        if (!found || this.compare(found, entry) !== 0) {
          throw new SqlError(SQLSTATE.internalError, 'TopN lost track of a row (retraction of a row it does not hold)');
        }
        part.sorted.splice(at, 1);
      }
      this.dirty.add(pk);
    }
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const inserts = new ChunkBuilder(this.width);
    const deletes = new ChunkBuilder(this.width);
    for (const pk of this.dirty) {
      this.changed.mark(pk);
      const part = this.partitions.get(pk)!;
      const end = this.count === undefined ? part.sorted.length : this.offset + this.count;
      const now = part.sorted.slice(this.offset, end);
      diffInto(part.emitted, now, deletes, inserts);
      part.emitted = now;
      if (part.sorted.length === 0 && pk !== '') this.partitions.delete(pk);
    }
    this.dirty.clear();
    // Deletions first, so a consumer never holds more than n rows per partition.
    this.emit(deletes.build());
    this.emit(inserts.build());
  }

  /** Rows held (freshet_watermarks.state_rows). */
  stateRows(): number {
    let n = 0;
    for (const part of this.partitions.values()) n += part.sorted.length;
    return n;
  }

  snapshotState(full: boolean): StateDelta {
    if (this.dirty.size > 0) throw new SqlError(SQLSTATE.internalError, 'TopN snapshot taken in the middle of an epoch');
    const delta: StateDelta = { upserts: [], deletes: [] };
    snapshotUnits(this.partitions, this.changed, full, (pk) => 'p' + pk, (part, pk) => {
      const values: Datum[] = [pk];
      for (const e of part.sorted) values.push(e.row, e.keys);
      return encodeStateValue(values);
    }, delta);
    delta.upserts.push({ key: META_KEY, value: encodeStateValue(this.shape()) });
    return delta;
  }

  restoreState(stored: Iterable<StateEntry>): void {
    // No entries at all: nothing was checkpointed for it, so it starts fresh.
    const entries = [...stored];
    if (entries.length === 0) return;
    this.partitions.clear();
    // A snapshot is taken after a barrier: the first-barrier emission of the unpartitioned TopN is done.
    this.dirty.clear();
    const meta = restoreUnits(entries, (values) => {
      const pk = values[0] as string;
      const sorted: Entry[] = [];
      for (let i = 1; i < values.length; i += 2) {
        const row = values[i] as Row;
        sorted.push({ row, keys: values[i + 1] as Datum[], id: exactKeyOf(row) });
      }
      const end = this.count === undefined ? sorted.length : this.offset + this.count;
      this.partitions.set(pk, { sorted, emitted: sorted.slice(this.offset, end) });
    });
    checkStateShape('TopN', meta, this.shape(), true);
    if (this.partitionBy.length === 0 && !this.partitions.has('')) this.partitions.set('', { sorted: [], emitted: [] });
    this.changed.clear();
  }

  /** What a checkpoint must agree on with the operator restoring it. */
  private shape(): Datum[] {
    return [this.offset, this.count ?? null, this.width, this.keys.length, this.partitionBy.length];
  }
}

/** Appends to `deletes` the rows of `before` not in `after`, and to `inserts` those of `after` not in `before` (multisets). */
function diffInto(before: readonly Entry[], after: readonly Entry[], deletes: ChunkBuilder, inserts: ChunkBuilder): void {
  const remaining = new Map<string, number>();
  for (const e of before) remaining.set(e.id, (remaining.get(e.id) ?? 0) + 1);
  for (const e of after) {
    const left = remaining.get(e.id) ?? 0;
    if (left > 0) remaining.set(e.id, left - 1);
    else inserts.append(Op.Insert, e.row);
  }
  for (const e of before) {
    const left = remaining.get(e.id) ?? 0;
    if (left > 0) {
      remaining.set(e.id, left - 1);
      deletes.append(Op.Delete, e.row);
    }
  }
}
