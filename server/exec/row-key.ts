/**
 * Hash keys for grouping, joining, DISTINCT and set operations: a string equal exactly when the
 * values are equal under SQL equality (1.50 = 1.5, 'a ' = 'a' for char(n), -0 = 0, NaN = NaN,
 * '1 mon' = '30 days'), so a JavaScript Map can stand in for a hash table.
 */
import { Interval, type Datum } from '../types/datum.js';
import { isNumeric, numericScale } from '../types/numeric.js';
import { intervalSpan } from '../plan/type-runtime.js';

function part(v: Datum): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? 'n0' : `n${v}`;
    case 'bigint': return `n${v}`;
    case 'string': return `s${v.length}:${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default: break;
  }
  if (isNumeric(v)) return v.isZero() ? 'n0' : `n${v.toString()}`;
  if (v instanceof Interval) return `i${intervalSpan(v)}`;
  if (v instanceof Uint8Array) return `x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(part).join(',')}]`;
  return `?${String(v)}`;
}

/** The key of several values (a row or a list of key columns). */
export function keyOf(values: readonly Datum[]): string {
  if (values.length === 1) return part(values[0]!);
  let k = '';
  for (let i = 0; i < values.length; i++) k += (i ? '|' : '') + part(values[i]!);
  return k;
}

/**
 * A Map key for one value that is equal (SameValueZero) exactly when `keyOf([v])` is: values whose
 * key is a safe integer (int2/int4, int8 and numeric that equal one) become that number, so the
 * common integer keys hash without building a string; anything else is keyOf's string.
 */
export function hashKeyOfValue(v: Datum): number | string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  const s = part(v);
  if (s.charCodeAt(0) !== 110 /* n */ || typeof v === 'number') return s;
  const n = Number(s.slice(1));
  return Number.isSafeInteger(n) && `n${n}` === s ? n : s;
}

/** Whether two values have the same key (`keyOf([a]) === keyOf([b])`), without building keys for the usual cases. */
export function sameKeyDatum(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'number' && typeof b === 'number') return a !== a && b !== b;
  if (ta === 'string' && typeof b === 'string') return false;
  return part(a) === part(b);
}

/** The key of one value; bpchar values compare without trailing spaces. */
export function valueKey(v: Datum, trimTrailingSpaces = false): string {
  return trimTrailingSpaces && typeof v === 'string' ? part(v.replace(/ +$/, '')) : part(v);
}

function exactPart(v: Datum): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'bigint': return `n${v}`;
    case 'string': return `s${v.length}:${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default: break;
  }
  if (isNumeric(v)) return `d${v.toString()}:${numericScale(v)}`;
  if (v instanceof Interval) return `i${v.months}:${v.days}:${v.micros}`;
  if (v instanceof Uint8Array) return `x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(exactPart).join(',')}]`;
  return `?${String(v)}`;
}

/**
 * A key equal only for rows that print the same (3 and 3.00, '1 mon' and '30 days' differ): the
 * identity of a row in a result multiset, where a retraction must remove exactly the row emitted.
 */
export function exactKeyOf(values: readonly Datum[]): string {
  let k = '';
  for (let i = 0; i < values.length; i++) k += (i ? '|' : '') + exactPart(values[i]!);
  return k;
}

/** Whether two values have the same exact key (`exactKeyOf([a]) === exactKeyOf([b])`), without building keys for the usual cases. */
export function exactSameDatum(a: Datum, b: Datum): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  return exactPart(a) === exactPart(b);
}

/** A number hash of one more value into `h`: equal for values with the same key (so with the same exact key too). */
export function mixHash(h: number, v: Datum): number {
  let x: number;
  if (typeof v === 'number') x = Number.isSafeInteger(v) ? v : 1;
  else if (typeof v === 'string') x = -2 - v.length;
  else if (v === null) x = 1;
  else {
    const k = hashKeyOfValue(v);
    x = typeof k === 'number' ? k : 1;
  }
  return (Math.imul(h, 31) + (x | 0) + ((x / 4294967296) | 0)) | 0;
}

/**
 * A number hash of a row, equal for rows with the same keyOf (and so the same exactKeyOf): integer
 * values mix in their value, strings their length, other values a constant, so rows that collide
 * are told apart by comparing them.
 */
export function rowHash(row: readonly Datum[]): number {
  let h = 0;
  for (let c = 0; c < row.length; c++) h = mixHash(h, row[c]!);
  return h;
}
