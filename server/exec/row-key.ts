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
