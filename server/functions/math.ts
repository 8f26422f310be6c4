/**
 * Mathematical built-ins (abs, ceil, floor, round, trunc, sqrt, cbrt, power, exp, ln, log, mod,
 * sign, div, pi, random, trigonometry) with PostgreSQL's overloads: float8 versions first (the
 * preferred numeric type), numeric versions keeping PostgreSQL's result scales.
 */
import { SqlError } from '../errors.js';
import { checkFloat, floatPower, int8Arith, intArith } from '../types/arithmetic.js';
import type { Datum, Decimal } from '../types/datum.js';
import {
  Numeric, numericAbs, numericCeil, numericDivTrunc, numericExp, numericFloor, numericLn, numericLog, numericMod,
  numericPower, numericRound, numericSqrt, numericTrunc, withScale,
} from '../types/numeric.js';
import { T } from '../types/sql-type.js';
import { defineFunction, over } from './define.js';

const f = (fn: (x: number) => number) => (args: readonly Datum[]) => fn(args[0] as number);
const n = (fn: (x: Decimal) => Decimal) => (args: readonly Datum[]) => fn(args[0] as Decimal);

/** rint: round half to even, as float8 round() does. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  const v = Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return v === 0 && (x < 0 || Object.is(x, -0)) ? -0 : v;
}

function domain(message: string): SqlError {
  return new SqlError('2201F', message);
}

function lnDomain(x: number): void {
  if (x === 0) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
}

defineFunction('abs', [
  over([T.float8], T.float8, f(Math.abs)),
  over([T.int4], T.int4, (a) => ((a[0] as number) < 0 ? intArith('-', 'int4', 0, a[0] as number) : a[0])),
  over([T.int2], T.int2, (a) => ((a[0] as number) < 0 ? intArith('-', 'int2', 0, a[0] as number) : a[0])),
  over([T.int8], T.int8, (a) => ((a[0] as bigint) < 0n ? int8Arith('-', 0n, a[0] as bigint) : a[0])),
  over([T.float4], T.float4, f(Math.abs)),
  over([T.numeric], T.numeric, n(numericAbs)),
]);

for (const name of ['ceil', 'ceiling']) {
  defineFunction(name, [over([T.float8], T.float8, f(Math.ceil)), over([T.numeric], T.numeric, n(numericCeil))]);
}
defineFunction('floor', [over([T.float8], T.float8, f(Math.floor)), over([T.numeric], T.numeric, n(numericFloor))]);
defineFunction('round', [
  over([T.float8], T.float8, f(rint)),
  over([T.numeric], T.numeric, n((x) => numericRound(x, 0))),
  over([T.numeric, T.int4], T.numeric, (a) => numericRound(a[0] as Decimal, a[1] as number)),
]);
defineFunction('trunc', [
  over([T.float8], T.float8, f(Math.trunc)),
  over([T.numeric], T.numeric, n((x) => numericTrunc(x, 0))),
  over([T.numeric, T.int4], T.numeric, (a) => numericTrunc(a[0] as Decimal, a[1] as number)),
]);
defineFunction('sqrt', [
  over([T.float8], T.float8, f((x) => {
    if (x < 0) throw domain('cannot take square root of a negative number');
    return Math.sqrt(x);
  })),
  over([T.numeric], T.numeric, n(numericSqrt)),
]);
// Math.cbrt: PostgreSQL calls the C library's cbrt, whose last bit can differ (cbrt(27) = 3.0000000000000004 on glibc)
defineFunction('cbrt', [over([T.float8], T.float8, f(Math.cbrt))]);
for (const name of ['power', 'pow']) {
  defineFunction(name, [
    over([T.float8, T.float8], T.float8, (a) => floatPower(a[0] as number, a[1] as number)),
    over([T.numeric, T.numeric], T.numeric, (a) => numericPower(a[0] as Decimal, a[1] as Decimal)),
  ]);
}
defineFunction('exp', [
  over([T.float8], T.float8, f((x) => checkFloat(Math.exp(x), x, 0, true, false))),
  over([T.numeric], T.numeric, n(numericExp)),
]);
defineFunction('ln', [
  over([T.float8], T.float8, f((x) => { lnDomain(x); return Math.log(x); })),
  over([T.numeric], T.numeric, n(numericLn)),
]);
const TEN = withScale(new Numeric(10), 0);
defineFunction('log', [
  over([T.float8], T.float8, f((x) => { lnDomain(x); return Math.log10(x); })),
  over([T.numeric], T.numeric, n((x) => numericLog(TEN, x))),
  over([T.numeric, T.numeric], T.numeric, (a) => numericLog(a[0] as Decimal, a[1] as Decimal)),
]);
defineFunction('log10', [
  over([T.float8], T.float8, f((x) => { lnDomain(x); return Math.log10(x); })),
  over([T.numeric], T.numeric, n((x) => numericLog(TEN, x))),
]);
defineFunction('mod', [
  over([T.int4, T.int4], T.int4, (a) => intArith('%', 'int4', a[0] as number, a[1] as number)),
  over([T.int2, T.int2], T.int2, (a) => intArith('%', 'int2', a[0] as number, a[1] as number)),
  over([T.int8, T.int8], T.int8, (a) => int8Arith('%', a[0] as bigint, a[1] as bigint)),
  over([T.numeric, T.numeric], T.numeric, (a) => numericMod(a[0] as Decimal, a[1] as Decimal)),
]);
defineFunction('div', [over([T.numeric, T.numeric], T.numeric, (a) => numericDivTrunc(a[0] as Decimal, a[1] as Decimal))]);
defineFunction('sign', [
  over([T.float8], T.float8, f((x) => (x > 0 ? 1 : x < 0 ? -1 : Number.isNaN(x) ? NaN : 0))),
  over([T.numeric], T.numeric, n((x) => (x.isNaN() ? x : withScale(new Numeric(x.isZero() ? 0 : x.isNegative() ? -1 : 1), 0)))),
]);
defineFunction('pi', [over([], T.float8, () => Math.PI)]);
defineFunction('random', [over([], T.float8, () => Math.random())], { volatility: 'volatile' });
defineFunction('degrees', [over([T.float8], T.float8, f((x) => (x * 180) / Math.PI))]);
defineFunction('radians', [over([T.float8], T.float8, f((x) => (x * Math.PI) / 180))]);

const trig: [string, (x: number) => number, boolean][] = [
  ['sin', Math.sin, false], ['cos', Math.cos, false], ['tan', Math.tan, false], ['atan', Math.atan, false],
  ['asin', Math.asin, true], ['acos', Math.acos, true],
];
for (const [name, fn, bounded] of trig) {
  defineFunction(name, [over([T.float8], T.float8, f((x) => {
    if ((bounded && (x < -1 || x > 1)) || (!bounded && name !== 'atan' && !Number.isFinite(x) && !Number.isNaN(x))) {
      throw new SqlError('22003', 'input is out of range');
    }
    return fn(x);
  }))]);
}
defineFunction('atan2', [over([T.float8, T.float8], T.float8, (a) => Math.atan2(a[0] as number, a[1] as number))]);
