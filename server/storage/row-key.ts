/**
 * Row keys: primary-key values to one deterministic string, equal exactly when PostgreSQL's equality
 * says the values are equal. Numbers of every numeric kind (int2/int4/int8/numeric/float, and the
 * number-held date/time kinds) share one canonical decimal form, so 1 = 1::bigint = 1.0::numeric;
 * bpchar ignores trailing spaces; intervals compare as PostgreSQL does (1 mon = 30 days, 1 day = 24 h).
 * Every part is tagged and strings are length-prefixed, so ('a|','b') and ('a','|b') never collide.
 * jsonb is compared by its text (PostgreSQL compares it semantically; keys on jsonb are rare).
 */
import { Decimal } from 'decimal.js';
import { Interval, type Datum } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import type { RowKey } from './api.js';

const MICROS_PER_DAY = 86_400_000_000n;

/** Canonical text of a numeric value: the same for every representation of the same number. */
function canonicalNumber(d: number | bigint | Decimal): string {
  if (typeof d === 'number') {
    if (Number.isSafeInteger(d)) return d === 0 ? '0' : String(d);
    if (Number.isNaN(d)) return 'NaN';
    if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
    // Shortest round-trip text, as float8 output and numeric(float8) casts give.
    return new Decimal(String(d)).toString();
  }
  if (typeof d === 'bigint') {
    return d > -1_000_000_000_000_000_000_000n && d < 1_000_000_000_000_000_000_000n ? d.toString() : new Decimal(d.toString()).toString();
  }
  if (d.isNaN()) return 'NaN';
  if (d.isZero()) return '0';
  return d.toString(); // decimal.js normalises: 1.50 -> 1.5, 1.0 -> 1
}

function appendPart(parts: string[], value: Datum, type: SqlType | undefined): void {
  if (value === null) {
    parts.push('N');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      parts.push(value ? 'T' : 'F');
      return;
    case 'number':
    case 'bigint':
      parts.push('n', canonicalNumber(value), ';');
      return;
    case 'string': {
      const s = type?.kind === 'bpchar' ? value.replace(/ +$/, '') : value;
      parts.push('s', String(s.length), ':', s);
      return;
    }
    case 'object':
      break;
    default:
      throw new TypeError(`row key: cannot encode a ${typeof value}`);
  }
  if (value instanceof Uint8Array) {
    parts.push('x', Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'), ';');
    return;
  }
  if (Array.isArray(value)) {
    parts.push('a', String(value.length), ':');
    const element = type?.kind === 'array' ? type.element : undefined;
    for (const v of value) appendPart(parts, v, element);
    return;
  }
  if (value instanceof Interval) {
    const span =
      (BigInt(Math.trunc(value.months)) * 30n + BigInt(Math.trunc(value.days))) * MICROS_PER_DAY + BigInt(Math.trunc(value.micros));
    parts.push('i', span.toString(), ';');
    return;
  }
  if (Decimal.isDecimal(value)) {
    parts.push('n', canonicalNumber(value), ';');
    return;
  }
  throw new TypeError(`row key: cannot encode object ${Object.prototype.toString.call(value)}`);
}

/** The storage key of primary-key `values` of the given column `types` (same length). */
export function encodeKey(values: readonly Datum[], types: readonly SqlType[]): RowKey {
  if (values.length === 1) {
    const v = values[0]!;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? 'n0;' : `n${v};`;
    if (typeof v === 'string' && types[0]?.kind !== 'bpchar') return `s${v.length}:${v}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) appendPart(parts, values[i]!, types[i]);
  return parts.join('');
}
