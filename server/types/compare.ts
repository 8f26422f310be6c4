/**
 * Total order and equality of non-null datums of one type, as PostgreSQL's btree opclasses define it
 * under C collation: text by code point, char(n) ignoring trailing spaces, NaN above every number,
 * intervals by their 30-day-month span, arrays element by element.
 */
import type { Datum, Decimal, Interval } from './datum.js';
import type { SqlType } from './sql-type.js';
import { USECS_PER_DAY } from './calendar.js';

/** Code-point order on JS strings (UTF-16 code units differ from it only around surrogates). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 || y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x >= 0xd800 ? x + 0x2000 : x;
        y = y >= 0xe000 ? y - 0x800 : y >= 0xd800 ? y + 0x2000 : y;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareNumber(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an && bn ? 0 : an ? 1 : -1;
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const an = a.isNaN();
  const bn = b.isNaN();
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a.cmp(b);
}

/** An interval's span in microseconds with months as 30 days, exact as a bigint when large. */
export function intervalSpan(iv: Interval): number | bigint {
  const approx = iv.months * 30 * USECS_PER_DAY + iv.days * USECS_PER_DAY + iv.micros;
  if (Math.abs(approx) < Number.MAX_SAFE_INTEGER) return approx;
  return BigInt(iv.months) * 30n * BigInt(USECS_PER_DAY) + BigInt(iv.days) * BigInt(USECS_PER_DAY) + BigInt(iv.micros);
}

function compareInterval(a: Interval, b: Interval): number {
  const x = intervalSpan(a);
  const y = intervalSpan(b);
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  const bx = BigInt(x);
  const by = BigInt(y);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const r = Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return r;
}

export function trimBpchar(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Compare two non-null datums of `type`: negative, zero or positive. NULLs are the caller's job. */
export function compareDatums(a: Datum, b: Datum, type: SqlType): number {
  switch (type.kind) {
    case 'bool': return a === b ? 0 : a ? 1 : -1;
    case 'int2': case 'int4': case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace':
    case 'date': case 'time': case 'timestamp': case 'timestamptz':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'int8': return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case 'float4': case 'float8': return compareNumber(a as number, b as number);
    case 'numeric': return compareDecimal(a as Decimal, b as Decimal);
    case 'bpchar': return compareText(trimBpchar(a as string), trimBpchar(b as string));
    case 'text': case 'varchar': case 'name': case 'char': case 'uuid': case 'json': case 'jsonb': case 'unknown':
      return compareText(a as string, b as string);
    case 'bytea': return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'interval': return compareInterval(a as Interval, b as Interval);
    case 'int2vector': case 'oidvector': case 'array': {
      const el: SqlType = type.kind === 'array' ? type.element ?? type : { kind: type.kind === 'int2vector' ? 'int2' : 'oid', typmod: -1 };
      const x = a as Datum[];
      const y = b as Datum[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const xi = x[i];
        const yi = y[i];
        if (xi === null || yi === null) {
          if (xi === yi) continue;
          return xi === null ? 1 : -1; // NULL elements sort after non-null ones
        }
        const c = Array.isArray(xi) ? compareDatums(xi, yi, { kind: 'array', typmod: -1, element: el }) : compareDatums(xi, yi, el);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 'void': return 0;
    default: {
      const never: never = type.kind;
      throw new Error(`compareDatums: ${String(never)}`);
    }
  }
}

export function datumEquals(a: Datum, b: Datum, type: SqlType): boolean {
  return compareDatums(a, b, type) === 0;
}
