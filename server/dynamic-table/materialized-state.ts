/**
 * MaterializedState: the sink of a continuous query, holding its current result as a multiset of
 * rows, and the changes of the epoch in progress. At each barrier the epoch's changes are handed to
 * the views that read this one. Reads see the state as of the last barrier's changes applied.
 * Rows are identified by exact key (row-key.ts exactKeyOf: 1.50 and 1.5 are different rows). Rows of
 * numbers and NULLs only are found by a number hash and compared value by value, so no key string is
 * built per change; any other row is keyed by its exactKeyOf string.
 * A checkpoint (operator-state.ts) groups rows into 65,536 buckets (by that hash or key): entry
 * `#bucket` = [count, row, count, row, ...], so a million rows make tens of thousands of entries.
 * Each bucket's entries form a linked list, so an incremental snapshot reads only the buckets that
 * changed: its cost follows the changes, not the view's size.
 */
import { Op, opSign } from './changelog-op.js';
import { ChangelogChunk, ChunkBuilder } from './chunk.js';
import type { Message } from './message.js';
import type { Downstream } from '../exec/operators/operator.js';
import {
  META_KEY,
  decodeStateValue,
  encodeCaptured,
  encodeStateValue,
  type CapturedState,
  type StateDelta,
  type StateEntry,
  type StatefulOperator,
} from '../exec/operators/operator-state.js';
import { exactKeyOf, exactSameDatum } from '../exec/row-key.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Datum, Row } from '../types/datum.js';

interface Entry {
  readonly row: Row;
  count: number;
  /** The next row with the same hash (rarely any). */
  next: Entry | undefined;
  /** Neighbours in its checkpoint bucket's list (every entry of a bucket, so a snapshot reads only changed buckets). */
  bucketPrev: Entry | undefined;
  bucketNext: Entry | undefined;
  readonly bucket: number;
}

/** Checkpoint buckets: rows are grouped by bucketOf(rowMapKey) into this many entries at most. */
const BUCKET_BITS = 16;
const BUCKET_COUNT = 1 << BUCKET_BITS;
const BUCKET_MASK = BUCKET_COUNT - 1;

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

/** The bucket of a rowMapKey: a number hash's mixed low bits, or a hash of up to 32 sampled characters of a key. */
function bucketOf(mapKey: number | string): number {
  let h: number;
  if (typeof mapKey === 'number') h = mapKey;
  else {
    const len = mapKey.length;
    const step = len > 32 ? (len >>> 5) + 1 : 1;
    h = len;
    for (let i = len - 1; i >= 0; i -= step) h = (Math.imul(h, 31) + mapKey.charCodeAt(i)) | 0;
  }
  return (h ^ (h >>> 16) ^ (h >>> 8)) & BUCKET_MASK;
}

function exactSameRow(a: Row, b: Row): boolean {
  for (let c = 0; c < a.length; c++) if (!exactSameDatum(a[c]!, b[c]!)) return false;
  return true;
}

/** The checkpoint key of a bucket (never META_KEY). */
function bucketStateKey(bucket: number): string {
  return '#' + bucket;
}

export class MaterializedState implements Downstream, StatefulOperator {
  readonly name = 'MaterializedState';
  /** Rows by rowMapKey: the first entry of each key's chain (only number hashes ever chain). */
  private readonly rows = new Map<number | string, Entry>();
  private epochChanges: ChunkBuilder;
  private size = 0;
  /**
   * Buckets changed since the last snapshot, one bit each: cheaper per change than a Set (whose
   * table misses the cache), and a snapshot finds their rows in one pass over `rows`.
   */
  private changedBuckets = new Uint32Array(BUCKET_COUNT >>> 5);
  /** The first entry of each bucket's list. */
  private readonly bucketHeads = new Array<Entry | undefined>(BUCKET_COUNT).fill(undefined);
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
    const changed = this.changedBuckets;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk.visibility !== null && !chunk.visibility[i]) continue;
      const row = chunk.row(i);
      if (row.length !== width) throw new SqlError(SQLSTATE.internalError, 'materialized view row has the wrong width');
      const hash = rowMapKey(row);
      const b = bucketOf(hash);
      changed[b >>> 5]! |= 1 << (b & 31);
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
        else {
          const added = this.linked(row, 1, b);
          if (prev) prev.next = added;
          else this.rows.set(hash, added);
        }
        this.size++;
      } else {
        if (!entry) {
          throw new SqlError(SQLSTATE.internalError, 'materialized view state lost track of a row (retraction of a row it does not hold)');
        }
        if (--entry.count === 0) {
          if (prev) prev.next = entry.next;
          else if (entry.next) this.rows.set(hash, entry.next);
          else this.rows.delete(hash);
          this.unlink(entry);
        }
        this.size--;
      }
      this.epochChanges.append(op, row);
    }
  }

  /** A new entry, put at the head of its bucket's list. */
  private linked(row: Row, count: number, bucket: number): Entry {
    const head = this.bucketHeads[bucket];
    const e: Entry = { row, count, next: undefined, bucketPrev: undefined, bucketNext: head, bucket };
    if (head) head.bucketPrev = e;
    this.bucketHeads[bucket] = e;
    return e;
  }

  private unlink(e: Entry): void {
    if (e.bucketPrev) e.bucketPrev.bucketNext = e.bucketNext;
    else this.bucketHeads[e.bucket] = e.bucketNext;
    if (e.bucketNext) e.bucketNext.bucketPrev = e.bucketPrev;
    e.bucketPrev = e.bucketNext = undefined;
  }

  stateRows(): number {
    return this.size;
  }

  /**
   * Full: every non-empty bucket. Incremental: the changed buckets, found in one pass over the rows
   * (a cheap hash per distinct row, no encoding), written whole, or deleted when empty now.
   */
  snapshotState(full: boolean): StateDelta {
    return encodeCaptured(this.captureState(full));
  }

  /** The snapshot with each bucket's rows and counts copied, their encoding left pending. */
  captureState(full: boolean): CapturedState {
    if (this.epochChanges.length > 0) {
      throw new SqlError(SQLSTATE.internalError, 'materialized view snapshot taken in the middle of an epoch');
    }
    const changed = this.changedBuckets;
    this.changedBuckets = new Uint32Array(changed.length);
    const pending: { key: string; values: Datum[] }[] = [];
    const deletes: string[] = [];
    const write = (b: number): void => {
      const values: Datum[] = [];
      for (let e = this.bucketHeads[b]; e !== undefined; e = e.bucketNext) values.push(e.count, e.row);
      if (values.length > 0) pending.push({ key: bucketStateKey(b), values });
      else if (!full) deletes.push(bucketStateKey(b));
    };
    if (full) {
      for (let b = 0; b < BUCKET_COUNT; b++) if (this.bucketHeads[b] !== undefined) write(b);
    } else {
      for (let w = 0; w < changed.length; w++) {
        for (let bits = changed[w]!; bits !== 0; bits &= bits - 1) write((w << 5) | (31 - Math.clz32(bits & -bits)));
      }
    }
    const ready: StateEntry[] = [{ key: META_KEY, value: encodeStateValue([this.width, this.size, BUCKET_BITS]) }];
    return { ready, pending, deletes };
  }

  restoreState(stored: Iterable<StateEntry>): void {
    // No entries at all: nothing was checkpointed for it, so it starts fresh.
    const entries = [...stored];
    if (entries.length === 0) return;
    if (this.size > 0 || this.rows.size > 0) throw new SqlError(SQLSTATE.internalError, 'materialized view state restored twice');
    let meta: Datum[] | undefined;
    for (const { key, value } of entries) {
      const values = decodeStateValue(value);
      if (key === META_KEY) {
        meta = values;
        continue;
      }
      // Backwards: each row goes to the head of its bucket's list, which then reads in the stored order.
      for (let i = values.length - 2; i >= 0; i -= 2) this.restoreRow(values[i + 1] as Row, values[i] as number);
    }
    const [width, size, bits] = meta ?? [];
    if (width !== this.width || bits !== BUCKET_BITS || size !== this.size) {
      throw new SqlError(
        SQLSTATE.internalError,
        `materialized view checkpoint does not match the view: width ${String(width)}, ${String(size)} rows, ${String(bits)} bucket bits; restored ${this.size} rows of width ${this.width}`,
      );
    }
    this.changedBuckets.fill(0);
  }

  private restoreRow(row: Row, count: number): void {
    if (row.length !== this.width || !(count > 0)) throw new SqlError(SQLSTATE.internalError, 'materialized view checkpoint holds a malformed row');
    const hash = rowMapKey(row);
    const entry = this.linked(row, count, bucketOf(hash));
    let last = this.rows.get(hash);
    if (last === undefined) this.rows.set(hash, entry);
    else {
      while (last.next !== undefined) last = last.next;
      last.next = entry;
    }
    this.size += count;
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
