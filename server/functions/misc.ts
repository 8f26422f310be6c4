/**
 * Array and miscellaneous built-ins: array_length/upper/lower, cardinality, array_to_string,
 * array_append/prepend/cat, array_position, gen_random_uuid (volatile) and pg_typeof.
 * Arrays are one-dimensional JS arrays (nested arrays for more dimensions) with lower bound 1.
 */
import { randomUUID } from 'node:crypto';
import { SqlError, SQLSTATE } from '../errors.js';
import { compareDatums } from '../types/compare.js';
import type { Datum } from '../types/datum.js';
import { T, typeOid, type SqlType } from '../types/sql-type.js';
import { formatText } from '../types/text-io.js';
import { ANY_ARRAY, ANY_TYPE, defineFunction, over, sessionTimeZone } from './define.js';

const arr = (a: readonly Datum[]) => a[0] as Datum[];

/** Length of dimension `dim` (1-based) of a possibly nested array, or null when it has no such dimension. */
function dimLength(v: Datum[], dim: number): number | null {
  let cur: Datum = v;
  for (let d = 1; d < dim; d++) {
    if (!Array.isArray(cur) || cur.length === 0 || !Array.isArray(cur[0])) return null;
    cur = cur[0];
  }
  return Array.isArray(cur) && cur.length > 0 ? cur.length : null;
}

function cardinality(v: Datum[]): number {
  let n = 0;
  for (const x of v) n += Array.isArray(x) ? cardinality(x) : 1;
  return n;
}

function elementType(t: SqlType): SqlType {
  return t.kind === 'array' && t.element ? t.element : T.text;
}

defineFunction('array_length', [over([ANY_ARRAY, T.int4], T.int4, (a) => dimLength(arr(a), a[1] as number))]);
defineFunction('array_upper', [over([ANY_ARRAY, T.int4], T.int4, (a) => dimLength(arr(a), a[1] as number))]);
defineFunction('array_lower', [over([ANY_ARRAY, T.int4], T.int4, (a) => (dimLength(arr(a), a[1] as number) === null ? null : 1))]);
defineFunction('array_ndims', [over([ANY_ARRAY], T.int4, (a) => {
  let n = 0;
  let cur: Datum = arr(a);
  while (Array.isArray(cur) && cur.length > 0) { n++; cur = cur[0]; }
  return n === 0 ? null : n;
})]);
defineFunction('cardinality', [over([ANY_ARRAY], T.int4, (a) => cardinality(arr(a)))]);

function arrayToString(v: Datum[], el: SqlType, sep: string, nullText: string | null, tz: string): string {
  const parts: string[] = [];
  const walk = (xs: Datum[]) => {
    for (const x of xs) {
      if (Array.isArray(x)) walk(x);
      else if (x === null) { if (nullText !== null) parts.push(nullText); }
      else parts.push(formatText(x, el, { timeZone: tz }));
    }
  };
  walk(v);
  return parts.join(sep);
}

defineFunction('array_to_string', [
  over([ANY_ARRAY, T.text], T.text, (a, ctx, r) => (a[0] === null || a[1] === null ? null : arrayToString(arr(a), elementType(r.argTypes[0]), a[1] as string, null, sessionTimeZone(ctx)))),
  over([ANY_ARRAY, T.text, T.text], T.text, (a, ctx, r) => (a[0] === null || a[1] === null ? null : arrayToString(arr(a), elementType(r.argTypes[0]), a[1] as string, a[2] as string | null, sessionTimeZone(ctx)))),
], { strict: false, volatility: 'stable' });

defineFunction('array_append', [{ params: [ANY_ARRAY, ANY_TYPE], returns: (t) => t[0], impl: (a) => [...((a[0] as Datum[] | null) ?? []), a[1]] }], { strict: false });
defineFunction('array_prepend', [{ params: [ANY_TYPE, ANY_ARRAY], returns: (t) => t[1], impl: (a) => [a[0], ...((a[1] as Datum[] | null) ?? [])] }], { strict: false });
defineFunction('array_cat', [{ params: [ANY_ARRAY, ANY_ARRAY], returns: (t) => t[0], impl: (a) => (a[0] === null ? a[1] : a[1] === null ? a[0] : [...(a[0] as Datum[]), ...(a[1] as Datum[])]) }], { strict: false });
defineFunction('array_position', [{
  params: [ANY_ARRAY, ANY_TYPE], returns: T.int4,
  impl: (a, _ctx, r) => {
    if (a[0] === null) return null;
    const el = elementType(r.argTypes[0]);
    const xs = a[0] as Datum[];
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] === null ? a[1] === null : a[1] !== null && compareDatums(xs[i], a[1], el) === 0) return i + 1;
    }
    return null;
  },
}], { strict: false });

defineFunction('gen_random_uuid', [over([], T.uuid, () => randomUUID())], { volatility: 'volatile' });
defineFunction('pg_typeof', [{ params: [ANY_TYPE], returns: T.regtype, impl: (_a, _ctx, r) => typeOid(r.argTypes[0]) }], { strict: false, volatility: 'stable' });
defineFunction('num_nulls', [{ params: [], variadic: ANY_TYPE, returns: T.int4, impl: (a) => a.filter((x) => x === null).length }], { strict: false });
defineFunction('num_nonnulls', [{ params: [], variadic: ANY_TYPE, returns: T.int4, impl: (a) => a.filter((x) => x !== null).length }], { strict: false });

/** The element type of an array type, or an error when `t` is not an array (used by unnest-like callers). */
export function arrayElementType(t: SqlType): SqlType {
  if (t.kind !== 'array') throw new SqlError(SQLSTATE.datatypeMismatch, 'argument must be an array');
  return elementType(t);
}

