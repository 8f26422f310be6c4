/**
 * PostgreSQL's binary wire format for parameter and result values, from and to Datums (datum.ts).
 * Covers bool, integers, floats, numeric (base-10000 digits), strings, bytea, date, time, timestamps,
 * interval, oid and reg* types, uuid, json/jsonb and one-dimensional arrays of these.
 * Invalid input raises SqlError 22P03 (invalid_binary_representation), as PostgreSQL's receive functions do.
 */
import { Decimal } from 'decimal.js';
import { SqlError } from '../errors.js';
import { Interval, type Datum } from '../types/datum.js';
import { typeOid, type SqlType } from '../types/sql-type.js';

const INVALID_BINARY = '22P03';
/** 1970-01-01 to 2000-01-01. */
const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400_000_000;
const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;

function invalid(message: string): SqlError {
  return new SqlError(INVALID_BINARY, message);
}

function bad(value: Datum, type: SqlType): SqlError {
  return new SqlError('XX000', `cannot encode ${typeof value} as binary ${type.kind}`);
}

function fixed(size: number, fill: (b: Buffer) => void): Buffer {
  const b = Buffer.allocUnsafe(size);
  fill(b);
  return b;
}

function expectLength(b: Buffer, n: number, type: SqlType): void {
  if (b.length !== n) throw invalid(`incorrect binary data format for type ${type.kind}: ${b.length} bytes, expected ${n}`);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function int64ToNumber(v: bigint): number {
  return v === INT64_MAX ? Infinity : v === INT64_MIN ? -Infinity : Number(v);
}

function numberToInt64(v: number): bigint {
  if (v === Infinity) return INT64_MAX;
  if (v === -Infinity) return INT64_MIN;
  return BigInt(Math.round(v));
}

/** Scale implied by a numeric typmod, or 0. */
function typmodScale(type: SqlType): number {
  return type.typmod >= 4 ? (type.typmod - 4) & 0xffff : 0;
}

export function encodeNumeric(value: Decimal, minScale = 0): Buffer {
  const header = (ndigits: number, weight: number, sign: number, dscale: number) =>
    fixed(8 + ndigits * 2, (b) => {
      b.writeInt16BE(ndigits, 0);
      b.writeInt16BE(weight, 2);
      b.writeUInt16BE(sign, 4);
      b.writeInt16BE(dscale, 6);
    });
  if (value.isNaN()) return header(0, 0, NUMERIC_NAN, 0);
  if (!value.isFinite()) return header(0, 0, value.isNegative() ? NUMERIC_NINF : NUMERIC_PINF, 0);
  const dscale = Math.max(value.decimalPlaces(), minScale);
  const text = value.abs().toFixed(value.decimalPlaces());
  const [intText = '0', fracText = ''] = text.split('.');
  const intPadded = intText.padStart(Math.ceil(intText.length / 4) * 4, '0');
  const fracPadded = fracText.padEnd(Math.ceil(fracText.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const digits = groups.slice(first, last);
  if (digits.length === 0) weight = 0;
  const sign = value.isNegative() && digits.length > 0 ? NUMERIC_NEG : NUMERIC_POS;
  const b = header(digits.length, weight, sign, dscale);
  digits.forEach((d, i) => b.writeInt16BE(d, 8 + i * 2));
  return b;
}

export function decodeNumeric(b: Buffer): Decimal {
  if (b.length < 8) throw invalid('insufficient data for numeric');
  const ndigits = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (ndigits < 0 || b.length !== 8 + ndigits * 2) throw invalid('invalid length in external "numeric" value');
  if (sign === NUMERIC_NAN) return new Decimal(NaN);
  if (sign === NUMERIC_PINF) return new Decimal(Infinity);
  if (sign === NUMERIC_NINF) return new Decimal(-Infinity);
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw invalid('invalid sign in external "numeric" value');
  if (dscale < 0 || dscale > 0x3fff) throw invalid('invalid scale in external "numeric" value');
  const digits: string[] = [];
  for (let i = 0; i < ndigits; i++) {
    const d = b.readInt16BE(8 + i * 2);
    if (d < 0 || d >= 10000) throw invalid('invalid digit in external "numeric" value');
    digits.push(String(d).padStart(4, '0'));
  }
  if (ndigits === 0) return new Decimal(0);
  // Digit i is worth 10000^(weight - i): write them as one integer and shift the decimal point.
  const exponent = (weight - ndigits + 1) * 4;
  const v = new Decimal(`${digits.join('')}e${exponent}`);
  return sign === NUMERIC_NEG ? v.negated() : v;
}

function encodeUuid(s: string): Buffer {
  const hex = s.replace(/[-{}]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw invalid(`invalid uuid "${s}"`);
  return Buffer.from(hex, 'hex');
}

function decodeUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function elementOf(type: SqlType): SqlType | undefined {
  if (type.kind === 'array') return type.element;
  if (type.kind === 'int2vector') return { kind: 'int2', typmod: -1 };
  if (type.kind === 'oidvector') return { kind: 'oid', typmod: -1 };
  return undefined;
}

function encodeArray(values: Datum[], element: SqlType): Buffer {
  const parts: Buffer[] = [];
  let hasNull = 0;
  const header = Buffer.allocUnsafe(values.length === 0 ? 12 : 20);
  header.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  header.writeUInt32BE(typeOid(element), 8);
  if (values.length > 0) {
    header.writeInt32BE(values.length, 12);
    header.writeInt32BE(1, 16);
  }
  parts.push(header);
  for (const v of values) {
    const len = Buffer.allocUnsafe(4);
    if (v === null) {
      hasNull = 1;
      len.writeInt32BE(-1, 0);
      parts.push(len);
    } else {
      const body = encodeBinary(v, element);
      len.writeInt32BE(body.length, 0);
      parts.push(len, body);
    }
  }
  header.writeInt32BE(hasNull, 4);
  return Buffer.concat(parts);
}

function decodeArray(b: Buffer, element: SqlType): Datum[] {
  if (b.length < 12) throw invalid('insufficient data for array');
  const ndim = b.readInt32BE(0);
  const flags = b.readInt32BE(4);
  const elemOid = b.readUInt32BE(8);
  if (flags !== 0 && flags !== 1) throw invalid('invalid array flags');
  if (elemOid !== typeOid(element)) throw invalid(`wrong element type ${elemOid} in array, expected ${typeOid(element)}`);
  if (ndim === 0) {
    if (b.length !== 12) throw invalid('invalid empty array');
    return [];
  }
  if (ndim !== 1) throw new SqlError('0A000', 'multidimensional arrays are not supported');
  if (b.length < 20) throw invalid('insufficient data for array');
  const count = b.readInt32BE(12);
  if (count < 0) throw invalid('invalid array dimension');
  const out: Datum[] = [];
  let pos = 20;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > b.length) throw invalid('insufficient data left in array');
    const len = b.readInt32BE(pos);
    pos += 4;
    if (len === -1) {
      out.push(null);
      continue;
    }
    if (len < 0 || pos + len > b.length) throw invalid('insufficient data left in array');
    out.push(decodeBinary(b.subarray(pos, pos + len), element));
    pos += len;
  }
  if (pos !== b.length) throw invalid('extra data at end of array');
  return out;
}

/** The binary wire form of a non-null datum of `type`. */
export function encodeBinary(value: Datum, type: SqlType): Buffer {
  if (value === null) throw new SqlError('XX000', 'encodeBinary called with NULL');
  switch (type.kind) {
    case 'bool':
      return Buffer.from([value ? 1 : 0]);
    case 'int2':
      return fixed(2, (b) => b.writeInt16BE(Number(value), 0));
    case 'int4':
      return fixed(4, (b) => b.writeInt32BE(Number(value), 0));
    case 'int8':
      return fixed(8, (b) => b.writeBigInt64BE(typeof value === 'bigint' ? value : BigInt(value as number), 0));
    case 'float4':
      return fixed(4, (b) => b.writeFloatBE(Number(value), 0));
    case 'float8':
      return fixed(8, (b) => b.writeDoubleBE(Number(value), 0));
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
    case 'regnamespace':
      return fixed(4, (b) => b.writeUInt32BE(Number(value) >>> 0, 0));
    case 'numeric':
      if (!Decimal.isDecimal(value)) {
        if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string')
          return encodeNumeric(new Decimal(value.toString()), typmodScale(type));
        throw bad(value, type);
      }
      return encodeNumeric(value as Decimal, typmodScale(type));
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'json':
    case 'unknown':
      if (typeof value !== 'string') throw bad(value, type);
      return Buffer.from(value, 'utf8');
    case 'char':
      if (typeof value !== 'string') throw bad(value, type);
      return Buffer.from(value, 'utf8').subarray(0, 1);
    case 'jsonb':
      if (typeof value !== 'string') throw bad(value, type);
      return Buffer.concat([Buffer.from([1]), Buffer.from(value, 'utf8')]);
    case 'bytea':
      if (!(value instanceof Uint8Array)) throw bad(value, type);
      return Buffer.from(value);
    case 'uuid':
      if (typeof value !== 'string') throw bad(value, type);
      return encodeUuid(value);
    case 'date': {
      const days = Number(value);
      const wire = days === Infinity ? INT32_MAX : days === -Infinity ? INT32_MIN : days - PG_EPOCH_DAYS;
      return fixed(4, (b) => b.writeInt32BE(wire, 0));
    }
    case 'time':
      return fixed(8, (b) => b.writeBigInt64BE(BigInt(Math.round(Number(value))), 0));
    case 'timestamp':
    case 'timestamptz': {
      const micros = Number(value);
      const wire = Number.isFinite(micros) ? numberToInt64(micros - PG_EPOCH_MICROS) : numberToInt64(micros);
      return fixed(8, (b) => b.writeBigInt64BE(wire, 0));
    }
    case 'interval': {
      if (!(value instanceof Interval)) throw bad(value, type);
      return fixed(16, (b) => {
        b.writeBigInt64BE(BigInt(Math.round(value.micros)), 0);
        b.writeInt32BE(value.days, 8);
        b.writeInt32BE(value.months, 12);
      });
    }
    case 'void':
      return Buffer.alloc(0);
    case 'array':
    case 'int2vector':
    case 'oidvector': {
      const element = elementOf(type);
      if (!element || !Array.isArray(value)) throw bad(value, type);
      return encodeArray(value, element);
    }
    default: {
      const never: never = type.kind;
      throw new SqlError('XX000', `no binary encoding for type ${String(never)}`);
    }
  }
}

/** The datum of `type` held in binary wire bytes (a Bind parameter). */
export function decodeBinary(bytes: Uint8Array, type: SqlType): Datum {
  const b = toBuffer(bytes);
  switch (type.kind) {
    case 'bool':
      expectLength(b, 1, type);
      return b[0] !== 0;
    case 'int2':
      expectLength(b, 2, type);
      return b.readInt16BE(0);
    case 'int4':
      expectLength(b, 4, type);
      return b.readInt32BE(0);
    case 'int8':
      expectLength(b, 8, type);
      return b.readBigInt64BE(0);
    case 'float4':
      expectLength(b, 4, type);
      return b.readFloatBE(0);
    case 'float8':
      expectLength(b, 8, type);
      return b.readDoubleBE(0);
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
    case 'regnamespace':
      expectLength(b, 4, type);
      return b.readUInt32BE(0);
    case 'numeric':
      return decodeNumeric(b);
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'json':
    case 'char':
    case 'unknown':
      return b.toString('utf8');
    case 'jsonb':
      if (b.length < 1 || b[0] !== 1) throw invalid('unsupported jsonb version number');
      return b.toString('utf8', 1);
    case 'bytea':
      return new Uint8Array(b);
    case 'uuid':
      expectLength(b, 16, type);
      return decodeUuid(b);
    case 'date': {
      expectLength(b, 4, type);
      const wire = b.readInt32BE(0);
      return wire === INT32_MAX ? Infinity : wire === INT32_MIN ? -Infinity : wire + PG_EPOCH_DAYS;
    }
    case 'time':
      expectLength(b, 8, type);
      return Number(b.readBigInt64BE(0));
    case 'timestamp':
    case 'timestamptz': {
      expectLength(b, 8, type);
      const wire = int64ToNumber(b.readBigInt64BE(0));
      return Number.isFinite(wire) ? wire + PG_EPOCH_MICROS : wire;
    }
    case 'interval':
      expectLength(b, 16, type);
      return new Interval(b.readInt32BE(12), b.readInt32BE(8), Number(b.readBigInt64BE(0)));
    case 'void':
      return null;
    case 'array':
    case 'int2vector':
    case 'oidvector': {
      const element = elementOf(type);
      if (!element) throw invalid(`array type without element type`);
      return decodeArray(b, element);
    }
    default: {
      const never: never = type.kind;
      throw new SqlError('XX000', `no binary decoding for type ${String(never)}`);
    }
  }
}
