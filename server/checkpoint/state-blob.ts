/**
 * The byte format of every blob the checkpoint backend stores: a header naming what the blob is
 * (kind, checkpoint, base, operator), a payload (keyed entries, or source positions), and a CRC-32
 * trailer over everything before it. Opening a blob checks the trailer and the header against what the
 * reader expected, so flipped, truncated or misplaced bytes are reported, never decoded into state.
 */
import { ByteReader, ByteWriter } from '../storage/row-codec.js';
import type { OperatorStateRef, OperatorStateWrite, SourcePositions, StateEntry, StateKey } from './api.js';
import { crc32 } from './crc32.js';

const MAGIC_0 = 0x46; // 'F'
const MAGIC_1 = 0x43; // 'C'
const MAGIC_2 = 0x4b; // 'K'
const FORMAT_VERSION = 1;
const TRAILER_BYTES = 4;

export const enum BlobKind {
  Full = 1,
  Incremental = 2,
  Sources = 3,
}

/** What a blob says about itself; the reader compares it with what it asked for. */
export interface BlobHeader {
  readonly kind: BlobKind;
  readonly checkpointId: number;
  /** 0 when there is no base (full writes, source positions). */
  readonly baseCheckpointId: number;
  readonly queryOid: number;
  readonly operatorId: string;
}

/** An operator's write, encoded and owned by the backend until `complete` stores it. */
export interface EncodedOperatorState {
  readonly ref: OperatorStateRef;
  readonly kind: OperatorStateWrite['kind'];
  readonly baseCheckpointId: number | null;
  readonly upsertCount: number;
  readonly deleteCount: number;
  readonly blob: Buffer;
}

const enum KeyTag {
  String = 0,
  Bytes = 1,
}

function writeHeader(w: ByteWriter, h: BlobHeader): void {
  w.byte(MAGIC_0);
  w.byte(MAGIC_1);
  w.byte(MAGIC_2);
  w.byte(FORMAT_VERSION);
  w.byte(h.kind);
  w.varint(h.checkpointId);
  w.varint(h.baseCheckpointId);
  w.varint(h.queryOid);
  w.string(h.operatorId);
}

function writeKey(w: ByteWriter, key: StateKey): void {
  if (typeof key === 'string') {
    w.byte(KeyTag.String);
    w.string(key);
  } else {
    w.byte(KeyTag.Bytes);
    w.bytes(key);
  }
}

function writeEntries(w: ByteWriter, entries: readonly StateEntry[]): void {
  w.varint(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    writeKey(w, e.key);
    w.bytes(e.value);
  }
}

/** Appends the CRC-32 of everything written and returns an owned copy. */
function seal(w: ByteWriter): Buffer {
  const sum = crc32(w.buf, 0, w.pos);
  w.ensure(TRAILER_BYTES);
  w.buf.writeUInt32LE(sum, w.pos);
  w.pos += TRAILER_BYTES;
  return Buffer.from(w.view());
}

const scratch = new ByteWriter();

function checkId(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`checkpoint blob: ${what} must be a non-negative integer, got ${n}`);
}

export function encodeOperatorState(checkpointId: number, ref: OperatorStateRef, write: OperatorStateWrite): EncodedOperatorState {
  checkId('checkpoint id', checkpointId);
  checkId('query oid', ref.queryOid);
  const w = scratch;
  w.reset();
  switch (write.kind) {
    case 'full':
      writeHeader(w, { kind: BlobKind.Full, checkpointId, baseCheckpointId: 0, queryOid: ref.queryOid, operatorId: ref.operatorId });
      writeEntries(w, write.entries);
      return {
        ref: { queryOid: ref.queryOid, operatorId: ref.operatorId },
        kind: 'full',
        baseCheckpointId: null,
        upsertCount: write.entries.length,
        deleteCount: 0,
        blob: seal(w),
      };
    case 'incremental': {
      checkId('base checkpoint id', write.baseCheckpointId);
      if (write.baseCheckpointId === 0 || write.baseCheckpointId >= checkpointId) {
        throw new RangeError(`checkpoint ${checkpointId}: incremental base ${write.baseCheckpointId} must be an earlier checkpoint`);
      }
      writeHeader(w, {
        kind: BlobKind.Incremental,
        checkpointId,
        baseCheckpointId: write.baseCheckpointId,
        queryOid: ref.queryOid,
        operatorId: ref.operatorId,
      });
      writeEntries(w, write.upserts);
      w.varint(write.deletes.length);
      for (let i = 0; i < write.deletes.length; i++) writeKey(w, write.deletes[i]!);
      return {
        ref: { queryOid: ref.queryOid, operatorId: ref.operatorId },
        kind: 'incremental',
        baseCheckpointId: write.baseCheckpointId,
        upsertCount: write.upserts.length,
        deleteCount: write.deletes.length,
        blob: seal(w),
      };
    }
    default: {
      const unknown: never = write;
      throw new TypeError(`checkpoint blob: unknown write ${JSON.stringify(unknown)}`);
    }
  }
}

export function encodeSourcePositions(checkpointId: number, positions: SourcePositions): Buffer {
  checkId('checkpoint id', checkpointId);
  const w = scratch;
  w.reset();
  writeHeader(w, { kind: BlobKind.Sources, checkpointId, baseCheckpointId: 0, queryOid: 0, operatorId: '' });
  w.varint(positions.relationOffsets.size);
  for (const [oid, offset] of positions.relationOffsets) {
    checkId('relation oid', oid);
    checkId(`offset of relation ${oid}`, offset);
    w.varint(oid);
    w.varint(offset);
  }
  w.varint(positions.builtinPositions.size);
  for (const [name, position] of positions.builtinPositions) {
    w.string(name);
    w.string(position);
  }
  return seal(w);
}

/** An opened blob: its payload ready to decode, or why it cannot be trusted. */
export type OpenedBlob =
  | { readonly kind: 'intact'; readonly header: BlobHeader; readonly payload: ByteReader }
  | { readonly kind: 'damaged'; readonly failure: string };

/** Checks the trailer, then the header against `expected` (baseCheckpointId is taken from the blob). */
export function openBlob(bytes: Uint8Array | null, expected: Omit<BlobHeader, 'baseCheckpointId'>): OpenedBlob {
  if (bytes === null) return { kind: 'damaged', failure: 'its state was removed' };
  if (bytes.length < 5 + TRAILER_BYTES) return { kind: 'damaged', failure: `blob truncated to ${bytes.length} bytes` };
  const end = bytes.length - TRAILER_BYTES;
  const stored = (bytes[end]! | (bytes[end + 1]! << 8) | (bytes[end + 2]! << 16) | (bytes[end + 3]! << 24)) >>> 0;
  const computed = crc32(bytes, 0, end);
  if (stored !== computed) {
    return { kind: 'damaged', failure: `checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)}, ${bytes.length} bytes)` };
  }
  const r = new ByteReader(bytes.subarray(0, end));
  try {
    if (r.byte() !== MAGIC_0 || r.byte() !== MAGIC_1 || r.byte() !== MAGIC_2) return { kind: 'damaged', failure: 'not a checkpoint blob' };
    const version = r.byte();
    if (version !== FORMAT_VERSION) return { kind: 'damaged', failure: `unknown blob format version ${version}` };
    const header: BlobHeader = {
      kind: r.byte() as BlobKind,
      checkpointId: r.varint(),
      baseCheckpointId: r.varint(),
      queryOid: r.varint(),
      operatorId: r.string(),
    };
    if (
      header.kind !== expected.kind ||
      header.checkpointId !== expected.checkpointId ||
      header.queryOid !== expected.queryOid ||
      header.operatorId !== expected.operatorId
    ) {
      return { kind: 'damaged', failure: `blob header ${describe(header)} does not match ${describe({ ...expected, baseCheckpointId: 0 })}` };
    }
    return { kind: 'intact', header, payload: r };
  } catch (e) {
    return { kind: 'damaged', failure: `malformed blob header: ${(e as Error).message}` };
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function describe(h: BlobHeader): string {
  return `(kind ${h.kind}, checkpoint ${h.checkpointId}, query ${h.queryOid}, operator "${h.operatorId}")`;
}

/** Marks a key the incrementals deleted. */
const DELETED: unique symbol = Symbol('deleted');

/** An opened operator-state blob, ready to fold. */
export interface IntactBlob {
  readonly header: BlobHeader;
  readonly payload: ByteReader;
}

function readKey(r: ByteReader): { foldKey: string; key: StateKey } {
  const tag = r.byte();
  switch (tag) {
    case KeyTag.String: {
      const text = r.string();
      return { foldKey: 's' + text, key: text };
    }
    case KeyTag.Bytes: {
      const len = r.varint();
      const start = r.take(len);
      const bytes = Buffer.from(r.buf.subarray(start, start + len));
      return { foldKey: 'b' + bytes.toString('latin1'), key: bytes };
    }
    default:
      throw new RangeError(`unknown key tag ${tag}`);
  }
}

function readValue(r: ByteReader): Buffer {
  const len = r.varint();
  const start = r.take(len);
  return Buffer.from(r.buf.subarray(start, start + len)); // owned: never pins the whole blob
}

/**
 * The keyed state of a chain: a full blob, then its incrementals oldest first. The incrementals are
 * folded into a small overlay (fold key: 's' + text or 'b' + bytes as latin1, one-to-one), and the full
 * blob is streamed past it, so restoring a large state with few changes builds no large Map.
 * Throws RangeError on a payload that does not decode (the caller reports the blob as damaged).
 */
export function foldOperatorStates(full: IntactBlob, incrementals: readonly IntactBlob[]): StateEntry[] {
  if (full.header.kind !== BlobKind.Full) throw new RangeError('a chain must start with a full write');
  const overlay = new Map<string, StateEntry | typeof DELETED>();
  for (const inc of incrementals) {
    if (inc.header.kind !== BlobKind.Incremental) throw new RangeError('a full write inside a chain');
    const r = inc.payload;
    const upserts = r.varint();
    for (let i = 0; i < upserts; i++) {
      const { foldKey, key } = readKey(r);
      overlay.set(foldKey, { key, value: readValue(r) });
    }
    const deletes = r.varint();
    for (let i = 0; i < deletes; i++) overlay.set(readKey(r).foldKey, DELETED);
    if (r.pos !== r.buf.length) throw new RangeError('trailing bytes after the state');
  }
  const out: StateEntry[] = [];
  const r = full.payload;
  const n = r.varint();
  const filter = overlay.size > 0;
  for (let i = 0; i < n; i++) {
    const { foldKey, key } = readKey(r);
    const value = readValue(r);
    if (!filter || !overlay.has(foldKey)) out.push({ key, value });
  }
  if (r.pos !== r.buf.length) throw new RangeError('trailing bytes after the state');
  for (const entry of overlay.values()) if (entry !== DELETED) out.push(entry);
  return out;
}

export function decodeSourcePositions(opened: { payload: ByteReader }): SourcePositions {
  const r = opened.payload;
  const relationOffsets = new Map<number, number>();
  const relations = r.varint();
  for (let i = 0; i < relations; i++) {
    const oid = r.varint();
    relationOffsets.set(oid, r.varint());
  }
  const builtinPositions = new Map<string, string>();
  const builtins = r.varint();
  for (let i = 0; i < builtins; i++) {
    const name = r.string();
    builtinPositions.set(name, r.string());
  }
  if (r.pos !== r.buf.length) throw new RangeError('trailing bytes after the source positions');
  return { relationOffsets, builtinPositions };
}
