/**
 * Rows of the set-returning functions Freshet knows: generate_series over integers, bigints,
 * numerics and timestamps, unnest of one or more arrays (zipped, shorter padded with NULL),
 * generate_subscripts and information_schema._pg_expandarray (pgJDBC's (x, n) pairs).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Datum, Decimal, Interval } from '../types/datum.js';
import { numericAdd, numericFromInt } from '../types/numeric.js';
import type { SqlType } from '../types/sql-type.js';
import { timestampPlusInterval } from '../types/datetime-arith.js';
import type { TableFunctionName } from '../plan/logical/table-function.js';

export function* tableFunctionRows(fn: TableFunctionName, a: readonly Datum[], types: readonly SqlType[]): Generator<Datum[]> {
  switch (fn) {
    case 'generate_series': yield* series(a, types); return;
    case '_pg_expandarray': {
      const arr = a[0] as Datum[] | null;
      if (arr === null) return;
      for (let i = 0; i < arr.length; i++) yield [arr[i] ?? null, i + 1];
      return;
    }
    case 'unnest': {
      if (a.every((x) => x === null)) return;
      const arrays = a.map((x) => (x ?? []) as Datum[]);
      const n = Math.max(...arrays.map((x) => x.length));
      for (let i = 0; i < n; i++) yield arrays.map((x) => x[i] ?? null);
      return;
    }
    case 'generate_subscripts': {
      const arr = a[0] as Datum[] | null;
      if (arr === null || a[1] !== 1) return;
      if (a[2] === true) for (let i = arr.length; i >= 1; i--) yield [i];
      else for (let i = 1; i <= arr.length; i++) yield [i];
      return;
    }
    default: {
      const never: never = fn;
      return never;
    }
  }
}

function* series(a: readonly Datum[], types: readonly SqlType[]): Generator<Datum[]> {
  const [start, stop] = a;
  const step = a.length > 2 ? a[2]! : undefined;
  if (start === null || stop === null || step === null) return;
  const zero = () => new SqlError(SQLSTATE.invalidParameterValue, 'step size cannot equal zero');
  switch (types[0]!.kind) {
    case 'int4': {
      const s = (step as number | undefined) ?? 1;
      if (s === 0) throw zero();
      for (let v = start as number; s > 0 ? v <= (stop as number) : v >= (stop as number); v += s) yield [v];
      return;
    }
    case 'int8': {
      const s = (step as bigint | undefined) ?? 1n;
      if (s === 0n) throw zero();
      for (let v = start as bigint; s > 0n ? v <= (stop as bigint) : v >= (stop as bigint); v += s) yield [v];
      return;
    }
    case 'numeric': {
      const one = (step as Decimal | undefined) ?? numericFromInt(1);
      if (one.isZero()) throw zero();
      const up = one.isPositive();
      for (let v = start as Decimal; up ? v.lte(stop as Decimal) : v.gte(stop as Decimal); v = numericAdd(v, one)) yield [v];
      return;
    }
    case 'timestamp': case 'timestamptz': {
      const iv = step as Interval;
      const probe = timestampPlusInterval(start as number, iv);
      if (probe === start) throw zero();
      const up = probe > (start as number);
      for (let v = start as number; up ? v <= (stop as number) : v >= (stop as number); v = timestampPlusInterval(v, iv)) yield [v];
      return;
    }
    default:
      throw new SqlError(SQLSTATE.featureNotSupported, `generate_series over ${types[0]!.kind} is not supported`);
  }
}
