/**
 * Whether two output rows are identical as a client would see them (1.50 differs from 1.5, -0 from
 * 0), unlike row-key.ts's SQL equality. Stateful operators use it to skip emitting an update whose
 * new row equals the old one.
 */
import { Interval, type Datum } from '../../types/datum.js';
import { isNumeric, numericScale } from '../../types/numeric.js';

export function sameDatum(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.isNaN() || b.isNaN()) return a.isNaN() && b.isNaN();
    return a.eq(b) && numericScale(a) === numericScale(b) && a.isNegative() === b.isNegative();
  }
  if (a instanceof Interval && b instanceof Interval) return a.months === b.months && a.days === b.days && a.micros === b.micros;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return sameRow(a, b);
  return false;
}

export function sameRow(a: readonly Datum[], b: readonly Datum[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameDatum(a[i]!, b[i]!)) return false;
  return true;
}
