/**
 * MaterializedState: the sink of a continuous query, holding its current result as a multiset of
 * rows, and the changes of the epoch in progress. At each barrier the epoch's changes are handed to
 * the views that read this one. Reads see the state as of the last barrier's changes applied.
 * Rows are identified by exact key (row-key.ts exactKeyOf: 1.50 and 1.5 are different rows). Rows of
 * numbers and NULLs only are found by a number hash and compared value by value, so no key string is
 * built per change; any other row is keyed by its exactKeyOf string.
 */
import { Op, opSign } from './changelog-op.js';
import { ChangelogChunk, ChunkBuilder } from './chunk.js';
import type { Message } from './message.js';
import type { Downstream } from '../exec/operators/operator.js';
import { exactKeyOf, exactSameDatum } from '../exec/row-key.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../types/datum.js';

interface Entry {
  readonly row: Row;
  count: number;
  /** The next row with the same hash (rarely any). */
  next: Entry | undefined;
}

/** A hash of a row of numbers and NULLs (equal for rows with the same exact key), or its exactKeyOf string. */
function rowMapKey(row: Row): number | string {
  let h = 0;
  for (let c = 0; c < row.length; c++) {
    const v = row[c]!;
    let x: number;
    if (typeof v === 'number') x = Number.isSafeInteger(v) ? v : v !== v ? 2 : (v * 1000003) % 2147483647;
    else if (v === null) x = 1;
    else return exactKeyOf(row);
    h = (Math.imul(h, 31) + (x | 0) + ((x / 4294967296) | 0)) | 0;
  }
  return h;
}

function exactSameRow(a: Row, b: Row): boolean {
  for (let c = 0; c < a.length; c++) if (!exactSameDatum(a[c]!, b[c]!)) return false;
  return true;
}

export class MaterializedState implements Downstream {
  /** Rows by rowMapKey: the first entry of each key's chain (only number hashes ever chain). */
  private readonly rows = new Map<number | string, Entry>();
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
      if (row.length !== width) throw new SqlError(SQLSTATE.internalError, 'materialized view row has the wrong width');
      const hash = rowMapKey(row);
      const op = chunk.ops[i] as Op;
      const sign = opSign(op);
      let prev: Entry | undefined;
      let entry = this.rows.get(hash);
      while (entry !== undefined && !exactSameRow(entry.row, row)) {
        prev = entry;
        entry = entry.next;
      }
      if (sign > 0) {
        if (entry) entry.count++;
        else if (prev) prev.next = { row, count: 1, next: undefined };
        else this.rows.set(hash, { row, count: 1, next: undefined });
        this.size++;
      } else {
        if (!entry) {
          throw new SqlError(SQLSTATE.internalError, 'materialized view state lost track of a row (retraction of a row it does not hold)');
        }
        if (--entry.count === 0) {
          if (prev) prev.next = entry.next;
          else if (entry.next) this.rows.set(hash, entry.next);
          else this.rows.delete(hash);
        }
        this.size--;
      }
      this.epochChanges.append(op, row);
    }
  }

  /** The current rows, as chunks of inserts. */
  *scan(chunkRows = 1024): Iterable<ChangelogChunk> {
    let b = new ChunkBuilder(this.width, chunkRows);
    for (const first of this.rows.values()) {
      for (let e: Entry | undefined = first; e !== undefined; e = e.next) {
        for (let c = 0; c < e.count; c++) {
          b.append(Op.Insert, e.row);
          if (b.length >= chunkRows) {
            yield b.build();
            b = new ChunkBuilder(this.width, chunkRows);
          }
        }
      }
    }
    if (b.length > 0) yield b.build();
  }
}
