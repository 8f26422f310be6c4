/**
 * MaterializedState: the sink of a continuous query, holding its current result as a multiset of
 * rows, and the changes of the epoch in progress. At each barrier the epoch's changes are handed to
 * the views that read this one. Reads see the state as of the last barrier's changes applied.
 * Rows are identified by exact key (row-key.ts exactKeyOf: 1.50 and 1.5 are different rows). Rows of
 * numbers and NULLs only are found by a number hash and compared value by value, so no key string is
 * built per change; any other row is keyed by its exactKeyOf string.
 * A checkpoint (operator-state.ts) groups rows into buckets (by that hash or key): entry `#bucket`
 * = [count, row, count, row, ...]. The bucket count follows the view's size (about four rows a
 * bucket, re-chosen at a snapshot when the size moved fourfold), so a full snapshot writes few big
 * entries and an incremental one rewrites a few rows per change whatever the view's size. Each
 * bucket's entries form a linked list: an incremental snapshot reads only the buckets that changed.
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
  bucket: number;
}

/** Bucket counts are powers of two between these, aiming at ROWS_PER_BUCKET rows a bucket. */
const MIN_BUCKET_BITS = 10;
const MAX_BUCKET_BITS = 20;
const ROWS_PER_BUCKET = 4;

function wantedBucketBits(rows: number): number {
  const bits = Math.ceil(Math.log2(Math.max(1, rows / ROWS_PER_BUCKET)));
  return Math.min(MAX_BUCKET_BITS, Math.max(MIN_BUCKET_BITS, bits));
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

/** The bucket of a rowMapKey: a number hash's mixed low bits, or a hash of up to 32 sampled characters of a key. */
function bucketOf(mapKey: number | string, mask: number): number {
  let h: number;
  if (typeof mapKey === 'number') h = mapKey;
  else {
    const len = mapKey.length;
    const step = len > 32 ? (len >>> 5) + 1 : 1;
    h = len;
    for (let i = len - 1; i >= 0; i -= step) h = (Math.imul(h, 31) + mapKey.charCodeAt(i)) | 0;
  }
  return (h ^ (h >>> 16) ^ (h >>> 8)) & mask;
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
  private bucketBits = MIN_BUCKET_BITS;
  private bucketMask = (1 << MIN_BUCKET_BITS) - 1;
  private changedBuckets = new Uint32Array((1 << MIN_BUCKET_BITS) >>> 5);
  /** The first entry of each bucket's list. */
  private bucketHeads = new Array<Entry | undefined>(1 << MIN_BUCKET_BITS).fill(undefined);
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
      const b = bucketOf(hash, this.bucketMask);
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

  /** Regroups every row into 2^bits buckets (every bucket then counts as changed). */
  private rebucket(bits: number): void {
    this.bucketBits = bits;
    this.bucketMask = (1 << bits) - 1;
    this.bucketHeads = new Array<Entry | undefined>(1 << bits).fill(undefined);
    this.changedBuckets = new Uint32Array(Math.max(1, (1 << bits) >>> 5));
    for (const [mapKey, first] of this.rows) {
      const b = bucketOf(mapKey, this.bucketMask);
      for (let e: Entry | undefined = first; e !== undefined; e = e.next) {
        e.bucket = b;
        e.bucketPrev = undefined;
        const head = this.bucketHeads[b];
        e.bucketNext = head;
        if (head) head.bucketPrev = e;
        this.bucketHeads[b] = e;
      }
    }
  }

  /** The bucket keys the stored snapshots may hold: those holding rows now, and those emptied since the last snapshot. */
  private storedBucketKeys(): Set<string> {
    const keys = new Set<string>();
    for (let b = 0; b < this.bucketHeads.length; b++) if (this.bucketHeads[b] !== undefined) keys.add(bucketStateKey(b));
    const changed = this.changedBuckets;
    for (let w = 0; w < changed.length; w++) {
      for (let bits = changed[w]!; bits !== 0; bits &= bits - 1) keys.add(bucketStateKey((w << 5) | (31 - Math.clz32(bits & -bits))));
    }
    return keys;
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
   * Full: every non-empty bucket. Incremental: the buckets changed since the last snapshot, read
   * from their lists and written whole, or deleted when empty now.
   */
  snapshotState(full: boolean): StateDelta {
    return encodeCaptured(this.captureState(full));
  }

  /** The snapshot with each bucket's rows and counts copied, their encoding left pending. */
  captureState(full: boolean): CapturedState {
    if (this.epochChanges.length > 0) {
      throw new SqlError(SQLSTATE.internalError, 'materialized view snapshot taken in the middle of an epoch');
    }
    const pending: { key: string; values: Datum[] }[] = [];
    const deletes: string[] = [];
    const wanted = wantedBucketBits(this.size);
    let regrouped: Set<string> | undefined;
    if (Math.abs(wanted - this.bucketBits) >= 2) {
      // The view grew or shrank fourfold: new buckets, all written; the old keys not reused go.
      regrouped = full ? undefined : this.storedBucketKeys();
      this.rebucket(wanted);
      full = true;
    }
    const changed = this.changedBuckets;
    this.changedBuckets = new Uint32Array(changed.length);
    const write = (b: number): void => {
      const values: Datum[] = [];
      for (let e = this.bucketHeads[b]; e !== undefined; e = e.bucketNext) values.push(e.count, e.row);
      if (values.length > 0) pending.push({ key: bucketStateKey(b), values });
      else if (!full) deletes.push(bucketStateKey(b));
    };
    if (full) {
      for (let b = 0; b < this.bucketHeads.length; b++) if (this.bucketHeads[b] !== undefined) write(b);
      if (regrouped) {
        const written = new Set(pending.map((p) => p.key));
        for (const k of regrouped) if (!written.has(k)) deletes.push(k);
      }
    } else {
      for (let w = 0; w < changed.length; w++) {
        for (let bits = changed[w]!; bits !== 0; bits &= bits - 1) write((w << 5) | (31 - Math.clz32(bits & -bits)));
      }
    }
    const ready: StateEntry[] = [{ key: META_KEY, value: encodeStateValue([this.width, this.size, this.bucketBits]) }];
    return { ready, pending, deletes };
  }

  restoreState(stored: Iterable<StateEntry>): void {
    // No entries at all: nothing was checkpointed for it, so it starts fresh.
    const entries = [...stored];
    if (entries.length === 0) return;
    if (this.size > 0 || this.rows.size > 0) throw new SqlError(SQLSTATE.internalError, 'materialized view state restored twice');
    const metaEntry = entries.find((e) => e.key === META_KEY);
    const meta = metaEntry ? decodeStateValue(metaEntry.value) : undefined;
    const storedBits = meta?.[2];
    if (typeof storedBits !== 'number' || storedBits < MIN_BUCKET_BITS || storedBits > MAX_BUCKET_BITS) {
      throw new SqlError(SQLSTATE.internalError, `materialized view checkpoint has no valid bucket count (${String(storedBits)})`);
    }
    this.rebucket(storedBits);
    for (const { key, value } of entries) {
      if (key === META_KEY) continue;
      const values = decodeStateValue(value);
      // Backwards: each row goes to the head of its bucket's list, which then reads in the stored order.
      for (let i = values.length - 2; i >= 0; i -= 2) this.restoreRow(values[i + 1] as Row, values[i] as number);
    }
    const [width, size, bits] = meta ?? [];
    if (width !== this.width || bits !== this.bucketBits || size !== this.size) {
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
    const entry = this.linked(row, count, bucketOf(hash, this.bucketMask));
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
