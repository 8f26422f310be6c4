/**
 * Row codec: a Row (Datum[]) to a compact tagged binary Buffer and back, for the durable store.
 * Every datum kind survives exactly: -0, NaN, ±Infinity, bigints of any size, Uint8Array bytes,
 * Interval fields, nested arrays, and numeric values with their display scale (see DECIMAL below).
 * It owns the byte format only; it never interprets SQL types.
 *
 * Numeric: decimal.js normalises '1.50' to 1.5, so the display scale PostgreSQL keeps rides beside
 * the value (types/numeric.ts `numericScale` / `withScale`); the codec stores the exact value text
 * and that scale, and rebuilds a `Numeric` with both. Negative zero is kept as '-0'.
 */
import { Decimal } from 'decimal.js';
import { Interval, type Datum, type Row } from '../types/datum.js';
import { Numeric, numericScale, withScale } from '../types/numeric.js';

/** One byte tag per encoded datum. */
const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  /** number that is an int32 and not -0: zigzag varint. */
  SmallInt = 3,
  /** any other number: float64 LE. */
  Float = 4,
  /** bigint in int64 range: 8 bytes LE. */
  BigInt64 = 5,
  /** bigint outside int64: decimal text. */
  BigIntText = 6,
  String = 7,
  /** Decimal: value text, then the display scale + 1 as varint (0 = not finite, no scale). */
  Decimal = 8,
  Bytes = 9,
  /** Interval: months, days, micros as float64 LE. */
  Interval = 10,
  Array = 11,
}

/** Format version byte at the start of every encoded row (`encodeRow`). */
export const ROW_FORMAT_VERSION = 1;
const FORMAT_VERSION = ROW_FORMAT_VERSION;

function decimalText(d: Decimal): string {
  return d.isZero() && d.isNegative() ? '-0' : d.toString();
}

// ---------------------------------------------------------------- encoding

/** A growable byte buffer, reusable across encodes (`reset`); the log batch codec writes through it too. */
export class ByteWriter {
  buf: Buffer = Buffer.allocUnsafe(4096);
  pos = 0;

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written so far: a view, valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint for 0 <= n < 2^53. */
  varint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  float(x: number): void {
    this.ensure(8);
    f64[0] = x;
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < 8; i++) b[p++] = f64Bytes[i]!;
    this.pos = p;
  }

  /** A string as a length-prefixed UTF-8 sequence (short ASCII strings take the fast path). */
  string(s: string): void {
    if (s.length < 128 && this.shortAscii(s)) return;
    const len = Buffer.byteLength(s, 'utf8');
    this.varint(len);
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  /** Writes a short all-ASCII string (1-byte length prefix); false, writing nothing, otherwise. */
  private shortAscii(s: string): boolean {
    this.ensure(s.length + 1);
    const b = this.buf;
    let p = this.pos + 1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[p++] = c;
    }
    b[this.pos] = s.length;
    this.pos = p;
    return true;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer); // platform order: little-endian on every Node target

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function writeDatum(w: ByteWriter, d: Datum): void {
  if (d === null) return w.byte(Tag.Null);
  switch (typeof d) {
    case 'boolean':
      return w.byte(d ? Tag.True : Tag.False);
    case 'number':
      if ((d | 0) === d && !Object.is(d, -0)) {
        w.byte(Tag.SmallInt);
        return w.varint(d >= 0 ? d * 2 : -d * 2 - 1);
      }
      w.byte(Tag.Float);
      return w.float(d);
    case 'bigint':
      if (d >= INT64_MIN && d <= INT64_MAX) {
        w.byte(Tag.BigInt64);
        w.ensure(8);
        w.buf.writeBigInt64LE(d, w.pos);
        w.pos += 8;
        return;
      }
      w.byte(Tag.BigIntText);
      return w.string(d.toString());
    case 'string':
      w.byte(Tag.String);
      return w.string(d);
    case 'object':
      break;
    default:
      throw new TypeError(`row codec: cannot encode a ${typeof d}`);
  }
  if (d instanceof Uint8Array) {
    w.byte(Tag.Bytes);
    return w.bytes(d);
  }
  if (Array.isArray(d)) {
    w.byte(Tag.Array);
    w.varint(d.length);
    for (let i = 0; i < d.length; i++) writeDatum(w, d[i]!);
    return;
  }
  if (d instanceof Interval) {
    w.byte(Tag.Interval);
    w.float(d.months);
    w.float(d.days);
    return w.float(d.micros);
  }
  if (Decimal.isDecimal(d)) {
    w.byte(Tag.Decimal);
    w.string(decimalText(d));
    return w.varint(d.isFinite() ? numericScale(d) + 1 : 0);
  }
  throw new TypeError(`row codec: cannot encode object ${Object.prototype.toString.call(d)}`);
}

/** A row's datums (count, then each datum) without the format version byte: for containers that carry their own. */
export function writeRowDatums(w: ByteWriter, row: readonly Datum[]): void {
  w.varint(row.length);
  for (let i = 0; i < row.length; i++) writeDatum(w, row[i]!);
}

const scratch = new ByteWriter();

/**
 * Encode into a shared scratch buffer and return a view of it, valid only until the next encode.
 * For callers that copy immediately (SQLite binds copy); everyone else uses `encodeRow`.
 */
export function encodeRowTransient(row: readonly Datum[]): Buffer {
  scratch.reset();
  scratch.byte(FORMAT_VERSION);
  writeRowDatums(scratch, row);
  return scratch.view();
}

/** Encode a row into a Buffer the caller owns. */
export function encodeRow(row: readonly Datum[]): Buffer {
  return Buffer.from(encodeRowTransient(row));
}

// ---------------------------------------------------------------- decoding

/** Reads what ByteWriter wrote, from `pos` on; throws RangeError past the end. */
export class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('row codec: truncated row');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
  }

  take(n: number): number {
    const start = this.pos;
    if (start + n > this.buf.length) throw new RangeError('row codec: truncated row');
    this.pos += n;
    return start;
  }

  float(): number {
    const p = this.take(8);
    const b = this.buf;
    for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i]!;
    return f64[0]!;
  }

  bigInt64(): bigint {
    const p = this.take(8);
    const b = this.buf;
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0;
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  string(): string {
    const len = this.varint();
    const start = this.take(len);
    const b = this.buf;
    if (len < 32) {
      let out = '';
      for (let i = start; i < start + len; i++) {
        const c = b[i]!;
        if (c >= 0x80) return utf8.decode(b.subarray(start, start + len));
        out += String.fromCharCode(c);
      }
      return out;
    }
    return utf8.decode(b.subarray(start, start + len));
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readDatum(r: ByteReader): Datum {
  const tag = r.byte() as Tag;
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.SmallInt: {
      const z = r.varint();
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    case Tag.Float:
      return r.float();
    case Tag.BigInt64:
      return r.bigInt64();
    case Tag.BigIntText:
      return BigInt(r.string());
    case Tag.String:
      return r.string();
    case Tag.Decimal: {
      const text = r.string();
      const scalePlusOne = r.varint();
      const value = new Numeric(text);
      return scalePlusOne === 0 ? value : withScale(value, scalePlusOne - 1);
    }
    case Tag.Bytes: {
      const len = r.varint();
      const start = r.take(len);
      return new Uint8Array(r.buf.subarray(start, start + len)); // a plain copy, never a Buffer view
    }
    case Tag.Interval: {
      const months = r.float();
      const days = r.float();
      return new Interval(months, days, r.float());
    }
    case Tag.Array: {
      const n = r.varint();
      const out = new Array<Datum>(n);
      for (let i = 0; i < n; i++) out[i] = readDatum(r);
      return out;
    }
    default: {
      const unknown: never = tag;
      throw new RangeError(`row codec: unknown tag ${String(unknown)}`);
    }
  }
}

/** Reads what `writeRowDatums` wrote. */
export function readRowDatums(r: ByteReader): Row {
  const n = r.varint();
  const row = new Array<Datum>(n);
  for (let i = 0; i < n; i++) row[i] = readDatum(r);
  return row;
}

/** Decode a row produced by `encodeRow`. Throws RangeError on a malformed buffer. */
export function decodeRow(buf: Uint8Array): Row {
  const r = new ByteReader(buf);
  const version = r.byte();
  if (version !== FORMAT_VERSION) throw new RangeError(`row codec: unknown format version ${version}`);
  const row = readRowDatums(r);
  if (r.pos !== buf.length) throw new RangeError('row codec: trailing bytes after row');
  return row;
}
