/**
 * TopN: ORDER BY ... LIMIT n OFFSET m over a changelog, for continuous queries. It keeps every input
 * row in sort order (ties broken by the row's value, so equal inputs give equal output) and, at each
 * barrier, emits the difference between the rows now in positions [m, m + n) and those it emitted
 * before: deletions of rows that left, insertions of rows that entered. Exact under deletes, which
 * is why it keeps all rows, not only the top n. (Batch queries use Sort + Limit.)
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages, type Message } from '../../dynamic-table/message.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import type { Downstream } from './operator.js';
import { compareKeys, type CompiledSortKey } from './sort.js';

interface Entry {
  readonly keys: Datum[];
  readonly row: Row;
  readonly id: string;
}

export class TopNOperator implements Downstream {
  readonly name = 'TopN';
  private readonly sorted: Entry[] = [];
  private emitted: Entry[] = [];
  private dirty = true;

  constructor(
    private readonly out: Downstream,
    private readonly keys: readonly CompiledSortKey[],
    private readonly env: ExprEnv,
    private readonly offset: number,
    private readonly count: number | undefined,
    private readonly width: number,
  ) {}

  private compare(a: Entry, b: Entry): number {
    const c = compareKeys(a.keys, b.keys, this.keys);
    return c !== 0 ? c : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** First index whose entry is not before `e`. */
  private lowerBound(e: Entry): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  push(msg: Message): void {
    switch (msg.kind) {
      case 'chunk':
        this.apply(msg.chunk);
        return;
      case 'barrier':
      case 'end':
        this.flush();
        this.out.push(msg);
        return;
      case 'watermark':
        this.out.push(msg);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private apply(input: ChangelogChunk): void {
    const chunk = input.compact();
    const keyCols = this.keys.map((k) => k.eval(chunk.columns, chunk.length, this.env));
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk.row(i);
      const entry: Entry = { keys: keyCols.map((col) => col[i]!), row, id: keyOf(row) };
      const at = this.lowerBound(entry);
      const op = chunk.ops[i] as Op;
      if (op === Op.Insert || op === Op.UpdateAfter) {
        this.sorted.splice(at, 0, entry);
      } else {
        const found = this.sorted[at];
        if (!found || this.compare(found, entry) !== 0) {
          throw new SqlError(SQLSTATE.internalError, 'TopN lost track of a row (retraction of a row it does not hold)');
        }
        this.sorted.splice(at, 1);
      }
      this.dirty = true;
    }
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const end = this.count === undefined ? this.sorted.length : this.offset + this.count;
    const now = this.sorted.slice(this.offset, end);
    const before = new Map<string, number>();
    for (const e of this.emitted) before.set(e.id, (before.get(e.id) ?? 0) + 1);
    const b = new ChunkBuilder(this.width);
    const stays = new Map<string, number>();
    for (const e of now) {
      const left = before.get(e.id) ?? 0;
      if (left > 0) {
        before.set(e.id, left - 1);
        stays.set(e.id, (stays.get(e.id) ?? 0) + 1);
      } else {
        b.append(Op.Insert, e.row);
      }
    }
    const deletes = new ChunkBuilder(this.width);
    for (const e of this.emitted) {
      const left = before.get(e.id) ?? 0;
      if (left > 0) {
        before.set(e.id, left - 1);
        deletes.append(Op.Delete, e.row);
      }
    }
    this.emitted = now;
    // Deletions first, so a consumer never holds more than n rows.
    if (deletes.length > 0) this.out.push(Messages.chunk(deletes.build()));
    if (b.length > 0) this.out.push(Messages.chunk(b.build()));
  }
}
