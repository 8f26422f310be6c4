/**
 * The durable form of the log entries one commit appends to one relation: ONE blob holding, in order,
 * each entry's op, the storage key it applies to (tables only) and its row. A commit thus writes one
 * SQLite row per relation however many changes it holds; the keys let a table's current rows be
 * rebuilt from its log alone (state-fold.ts). It owns the byte format only, never what entries mean.
 *   version byte, flags byte (bit 0: entries carry keys), entry count (varint),
 *   then per entry: op byte, [key: length-prefixed UTF-8], row (row-codec datums)
 * A -U entry's key is not written: it is always the key of the +U right after it (changelog-op.ts).
 */
import { Op } from '../dynamic-table/changelog-op.js';
import type { Row } from '../types/datum.js';
import type { RowKey } from './api.js';
import { ByteReader, ByteWriter, readRowDatums, writeRowDatums } from './row-codec.js';

const BATCH_FORMAT_VERSION = 1;
const FLAG_KEYED = 1;

/** The entries of one log batch, by column: `keys` is null for a stream's batch. */
export interface LogBatchEntries {
  readonly ops: Op[];
  readonly keys: RowKey[] | null;
  readonly rows: Row[];
}

const scratch = new ByteWriter();

/**
 * Encode entries into a shared scratch buffer and return a view of it, valid only until the next
 * encode (SQLite copies the blob when it is bound). `keys` null: a stream's batch, without keys.
 */
export function encodeLogBatchTransient(ops: readonly Op[], keys: readonly RowKey[] | null, rows: readonly Row[]): Buffer {
  const w = scratch;
  w.reset();
  w.byte(BATCH_FORMAT_VERSION);
  w.byte(keys === null ? 0 : FLAG_KEYED);
  w.varint(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    w.byte(op);
    if (keys !== null && op !== Op.UpdateBefore) w.string(keys[i]!);
    writeRowDatums(w, rows[i]!);
  }
  return w.view();
}

/** Decode a blob written by `encodeLogBatchTransient`. Throws RangeError on a malformed blob. */
export function decodeLogBatch(blob: Uint8Array): LogBatchEntries {
  const r = new ByteReader(blob);
  const version = r.byte();
  if (version !== BATCH_FORMAT_VERSION) throw new RangeError(`log batch: unknown format version ${version}`);
  const keyed = (r.byte() & FLAG_KEYED) !== 0;
  const n = r.varint();
  const ops = new Array<Op>(n);
  const keys = keyed ? new Array<RowKey>(n) : null;
  const rows = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const op = r.byte() as Op;
    ops[i] = op;
    if (keys !== null) {
      if (op === Op.UpdateBefore) keys[i] = '';
      else {
        keys[i] = r.string();
        if (i > 0 && ops[i - 1] === Op.UpdateBefore) keys[i - 1] = keys[i]!;
      }
    }
    rows[i] = readRowDatums(r);
  }
  if (keys !== null && n > 0 && ops[n - 1] === Op.UpdateBefore) throw new RangeError('log batch: -U without its +U');
  if (r.pos !== blob.length) throw new RangeError('log batch: trailing bytes');
  return { ops, keys, rows };
}
