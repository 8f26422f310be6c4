/**
 * PostgreSQL text I/O for every type, as PostgreSQL 15 does it with DateStyle ISO, MDY and
 * IntervalStyle postgres: `formatText` produces exactly what the type's output function prints,
 * `parseText` accepts what its input function accepts (and applies the typmod as the input function
 * would). The per-family details live in float-text, numeric, datetime-text, interval-text,
 * array-text and json-text; this module dispatches on the type kind.
 */
import { SqlError, SQLSTATE, err } from '../errors.js';
import { formatArray, parseArray } from './array-text.js';
import { formatDate, formatTime, formatTimestamp, formatTimestamptz, parseDate, parseTime, parseTimestamp } from './datetime-text.js';
import { Interval, type Datum, type Decimal } from './datum.js';
import { formatFloat, parseFloatText } from './float-text.js';
import { formatInterval, parseInterval } from './interval-text.js';
import { parseJsonbText, parseJsonText } from './json-text.js';
import { applyNumericTypmod, numericToString, parseNumeric } from './numeric.js';
import { scalar, TYPE_OIDS, type SqlType } from './sql-type.js';
import { resolveTimeZone } from './time-zone.js';

export interface TextFormatContext {
  /** Session TimeZone setting (IANA name or POSIX-style offset as in PostgreSQL); timestamptz is shown in it. */
  readonly timeZone: string;
  /** Current time (µs since epoch) for 'now', 'today' inputs; Date.now() when absent. */
  readonly nowMicros?: number;
  /**
   * Names for reg* values (regclass 1259 prints as pg_class), from the session's catalog and search
   * path. Without it reg* values print as their OID numbers.
   */
  readonly regName?: (kind: RegTypeKind, oid: number) => string;
}

export type RegTypeKind = 'regclass' | 'regtype' | 'regproc' | 'regnamespace';

export const DEFAULT_TEXT_CONTEXT: TextFormatContext = { timeZone: 'UTC' };

const INT_RANGES = {
  int2: { min: -32768, max: 32767, name: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, name: 'integer' },
} as const;

/** The SQL name of a type as error messages spell it. */
export function typeDisplayName(type: SqlType): string {
  if (type.kind === 'array') return (type.element ? typeDisplayName(type.element) : 'unknown') + '[]';
  return TYPE_OIDS[type.kind].name;
}

// ---------------------------------------------------------------------------------------------
// Output

function hex(bytes: Uint8Array): string {
  return '\\x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The text form of a non-null datum of `type`. */
export function formatText(value: Datum, type: SqlType, ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): string {
  if (value === null) throw err.internal('formatText called with NULL');
  switch (type.kind) {
    case 'bool': return value ? 't' : 'f';
    case 'int2': case 'int4': case 'oid':
      return String(value);
    case 'regclass': case 'regtype': case 'regproc': case 'regnamespace':
      return ctx.regName ? ctx.regName(type.kind, value as number) : String(value);
    case 'int8': return String(value);
    case 'float4': return formatFloat(value as number, true);
    case 'float8': return formatFloat(value as number, false);
    case 'numeric': return numericToString(value as Decimal);
    case 'text': case 'varchar': case 'bpchar': case 'name': case 'char': case 'json': case 'jsonb': case 'uuid': case 'unknown':
      return value as string;
    case 'bytea': return hex(value as Uint8Array);
    case 'date': return formatDate(value as number);
    case 'time': return formatTime(value as number);
    case 'timestamp': return formatTimestamp(value as number);
    case 'timestamptz': return formatTimestamptz(value as number, resolveTimeZone(ctx.timeZone));
    case 'interval': return formatInterval(value as Interval);
    case 'int2vector': case 'oidvector': return (value as Datum[]).map((v) => String(v)).join(' ');
    case 'void': return '';
    case 'array': {
      const element = type.element ?? scalar('text');
      return formatArray(value as Datum[], (v) => formatText(v as Datum, element, ctx));
    }
    default: {
      const never: never = type.kind;
      throw err.internal(`formatText: unknown type ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Input

function parseInt32(text: string, kind: 'int2' | 'int4'): number {
  const r = INT_RANGES[kind];
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw err.invalidText(r.name, text);
  const n = Number(t);
  if (n < r.min || n > r.max) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, `value "${text}" is out of range for type ${r.name}`);
  }
  return n === 0 ? 0 : n;
}

function parseInt64(text: string): bigint {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw err.invalidText('bigint', text);
  const n = BigInt(t);
  if (n < -9223372036854775808n || n > 9223372036854775807n) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, `value "${text}" is out of range for type bigint`);
  }
  return n;
}

function parseOid(text: string, typeName: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw err.invalidText(typeName, text);
  const n = Number(t);
  if (n > 4294967295 || n < -2147483648) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, `value "${text}" is out of range for type ${typeName}`);
  }
  return n < 0 ? n + 4294967296 : n;
}

function parseBool(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t.length > 0) {
    if ('true'.startsWith(t) || 'yes'.startsWith(t) || t === 'on' || t === '1') return true;
    if ('false'.startsWith(t) || 'no'.startsWith(t) || (t.length >= 2 && 'off'.startsWith(t)) || t === '0') return false;
  }
  throw err.invalidText('boolean', text);
}

function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x') || text.startsWith('\\X')) {
    const out: number[] = [];
    let i = 2;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
      const hi = parseInt(c, 16);
      if (Number.isNaN(hi) || !/[0-9a-fA-F]/.test(c)) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid hexadecimal digit: "${c}"`);
      const d = text[i + 1];
      if (d === undefined) throw new SqlError(SQLSTATE.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
      if (!/[0-9a-fA-F]/.test(d)) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid hexadecimal digit: "${d}"`);
      out.push(hi * 16 + parseInt(d, 16));
      i += 2;
    }
    return Uint8Array.from(out);
  }
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== 0x5c) { bytes.push(raw[i++]); continue; }
    if (raw[i + 1] === 0x5c) { bytes.push(0x5c); i += 2; continue; }
    const oct = raw.subarray(i + 1, i + 4).toString('latin1');
    if (/^[0-3][0-7][0-7]$/.test(oct)) { bytes.push(parseInt(oct, 8)); i += 4; continue; }
    throw err.invalidText('bytea', text);
  }
  return Uint8Array.from(bytes);
}

function parseUuid(text: string): string {
  const t = text.trim();
  let body = t;
  if (body.startsWith('{')) {
    if (!body.endsWith('}')) throw err.invalidText('uuid', text);
    body = body.slice(1, -1);
  }
  if (!/^[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}$/.test(body)) throw err.invalidText('uuid', text);
  const h = body.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Apply a char(n)/varchar(n) typmod as the input function does: error when non-space characters overflow. */
export function applyCharTypmod(s: string, type: SqlType, explicit: boolean): string {
  if (type.typmod < 4) return s;
  const n = type.typmod - 4;
  const chars = [...s];
  if (chars.length > n) {
    if (!explicit && chars.slice(n).some((c) => c !== ' ')) {
      const name = type.kind === 'bpchar' ? 'character' : 'character varying';
      throw new SqlError(SQLSTATE.stringDataRightTruncation, `value too long for type ${name}(${n})`);
    }
    return chars.slice(0, n).join('');
  }
  if (type.kind === 'bpchar' && chars.length < n) return s + ' '.repeat(n - chars.length);
  return s;
}

/** name truncates to 63 bytes (never splitting a character). */
function truncateName(s: string): string {
  if (Buffer.byteLength(s, 'utf8') <= 63) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > 63) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** Parse the text form of `type` (as a literal cast or COPY/text parameter would). */
export function parseText(text: string, type: SqlType, ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): Datum {
  switch (type.kind) {
    case 'bool': return parseBool(text);
    case 'int2': case 'int4': return parseInt32(text, type.kind);
    case 'int8': return parseInt64(text);
    case 'float4': return parseFloatText(text, true);
    case 'float8': return parseFloatText(text, false);
    case 'numeric': return applyNumericTypmod(parseNumeric(text), type.typmod);
    case 'text': case 'unknown': return text;
    case 'varchar': case 'bpchar': return applyCharTypmod(text, type, false);
    case 'name': return truncateName(text);
    case 'char': return text.length === 0 ? '' : String.fromCharCode(Buffer.from(text, 'utf8')[0]);
    case 'json': return parseJsonText(text);
    case 'jsonb': return parseJsonbText(text);
    case 'uuid': return parseUuid(text);
    case 'bytea': return parseBytea(text);
    case 'date': return parseDate(text, datetimeInput(ctx));
    case 'time': return parseTime(text, datetimeInput(ctx));
    case 'timestamp': return parseTimestamp(text, false, datetimeInput(ctx));
    case 'timestamptz': return parseTimestamp(text, true, datetimeInput(ctx));
    case 'interval': return parseInterval(text);
    case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace':
      return parseOid(text, TYPE_OIDS[type.kind].name);
    case 'int2vector': return text.trim() === '' ? [] : text.trim().split(/\s+/).map((p) => parseInt32(p, 'int2'));
    case 'oidvector': return text.trim() === '' ? [] : text.trim().split(/\s+/).map((p) => parseOid(p, 'oid'));
    case 'void': return null;
    case 'array': {
      const element = type.element ?? scalar('text');
      return parseArray(text, (s) => parseText(s, element, ctx)) as Datum[];
    }
    default: {
      const never: never = type.kind;
      throw err.internal(`parseText: unknown type ${String(never)}`);
    }
  }
}

function datetimeInput(ctx: TextFormatContext) {
  return { zone: resolveTimeZone(ctx.timeZone), nowMicros: ctx.nowMicros ?? Date.now() * 1000 };
}

export { Interval };
