/**
 * MaterializedState: the sink of a continuous query, holding its current result as a multiset of
 * rows, and the changes of the epoch in progress. At each barrier the epoch's changes are handed to
 * the views that read this one. Reads see the state as of the last barrier's changes applied.
 */
import { Op, opSign } from './changelog-op.js';
import { ChangelogChunk, ChunkBuilder } from './chunk.js';
import type { Message } from './message.js';
import type { Downstream } from '../exec/operators/operator.js';
import { exactKeyOf } from '../exec/row-key.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../types/datum.js';

interface Entry {
  readonly row: Row;
  count: number;
}

export class MaterializedState implements Downstream {
  private readonly rows = new Map<string, Entry>();
  private epochChanges: ChunkBuilder;
  private size = 0;
  /** Called at each barrier with the changes of the epoch it closes (empty epochs included). */
  onEpoch: ((changes: ChangelogChunk, epoch: number) => void) | undefined;

  constructor(readonly width: number) {
    this.epochChanges = new ChunkBuilder(width);
  }

  get rowCount(): number {
    return this.size;
  }

  push(msg: Message): void {
    switch (msg.kind) {
      case 'chunk':
        this.apply(msg.chunk);
        return;
      case 'barrier': {
        const changes = this.epochChanges.build();
        this.onEpoch?.(changes, msg.checkpointId);
        return;
      }
      case 'watermark':
      case 'end':
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private apply(chunk: ChangelogChunk): void {
    const width = this.width;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk.visibility !== null && !chunk.visibility[i]) continue;
      const row = chunk.row(i);
      const key = exactKeyOf(row);
      const op = chunk.ops[i] as Op;
      const sign = opSign(op);
      const entry = this.rows.get(key);
      if (sign > 0) {
        if (entry) entry.count++;
        else this.rows.set(key, { row, count: 1 });
        this.size++;
      } else {
        if (!entry) {
          throw new SqlError(SQLSTATE.internalError, 'materialized view state lost track of a row (retraction of a row it does not hold)');
        }
        if (--entry.count === 0) this.rows.delete(key);
        this.size--;
      }
      if (row.length !== width) throw new SqlError(SQLSTATE.internalError, 'materialized view row has the wrong width');
      this.epochChanges.append(op, row);
    }
  }

  /** The current rows, as chunks of inserts. */
  *scan(chunkRows = 1024): Iterable<ChangelogChunk> {
    let b = new ChunkBuilder(this.width, chunkRows);
    for (const { row, count } of this.rows.values()) {
      for (let c = 0; c < count; c++) {
        b.append(Op.Insert, row);
        if (b.length >= chunkRows) {
          yield b.build();
          b = new ChunkBuilder(this.width, chunkRows);
        }
      }
    }
    if (b.length > 0) yield b.build();
  }
}
