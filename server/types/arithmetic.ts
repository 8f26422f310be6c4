/**
 * Arithmetic on the numeric types with PostgreSQL's errors: int2/int4/int8 overflow ("integer out
 * of range"), division by zero, truncating integer division, float overflow/underflow checks, and
 * numeric through numeric.ts. Every function takes non-null operands of one type.
 */
import { SqlError, SQLSTATE, err } from '../errors.js';
import type { Decimal } from './datum.js';
import {
  numericAdd, numericDiv, numericFromInt, numericMagnitudeAtScale, numericMod, numericMul,
  numericNeg, numericPower, numericScale, numericSub, scaledIntToNumeric,
} from './numeric.js';

export type ArithOp = '+' | '-' | '*' | '/' | '%';

const INT_RANGE = {
  int2: { min: -32768, max: 32767, name: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, name: 'integer' },
} as const;

export function intArith(op: ArithOp, kind: 'int2' | 'int4', a: number, b: number): number {
  const r = INT_RANGE[kind];
  let v: number;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/':
      if (b === 0) throw err.divisionByZero();
      v = Math.trunc(a / b);
      break;
    case '%':
      if (b === 0) throw err.divisionByZero();
      v = a % b;
      break;
  }
  if (v < r.min || v > r.max) throw err.outOfRange(r.name);
  return v + 0; // normalise -0
}

const INT8_MIN = -9223372036854775808n;
const INT8_MAX = 9223372036854775807n;

export function int8Arith(op: ArithOp, a: bigint, b: bigint): bigint {
  let v: bigint;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/':
      if (b === 0n) throw err.divisionByZero();
      v = a / b;
      break;
    case '%':
      if (b === 0n) throw err.divisionByZero();
      v = a % b;
      break;
  }
  if (v < INT8_MIN || v > INT8_MAX) throw err.outOfRange('bigint');
  return v;
}

function overflow(): SqlError {
  return new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: overflow');
}
function underflow(): SqlError {
  return new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: underflow');
}

/** Check a float result as PostgreSQL's float_overflow_error / underflow checks do. */
export function checkFloat(v: number, a: number, b: number, zeroOk: boolean, float4: boolean): number {
  const r = float4 ? Math.fround(v) : v;
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(a) && Number.isFinite(b)) throw overflow();
  if (r === 0 && !zeroOk) throw underflow();
  return r;
}

export function floatArith(op: ArithOp, float4: boolean, a: number, b: number): number {
  switch (op) {
    case '+': return checkFloat(a + b, a, b, true, float4);
    case '-': return checkFloat(a - b, a, b, true, float4);
    case '*': return checkFloat(a * b, a, b, a === 0 || b === 0, float4);
    case '/':
      if (b === 0) throw err.divisionByZero();
      return checkFloat(a / b, a, b, a === 0 || !Number.isFinite(b), float4);
    case '%':
      throw new SqlError(SQLSTATE.undefinedFunction, 'operator does not exist: double precision % double precision');
  }
}

export function numericArith(op: ArithOp, a: Decimal, b: Decimal): Decimal {
  switch (op) {
    case '+': return numericAdd(a, b);
    case '-': return numericSub(a, b);
    case '*': return numericMul(a, b);
    case '/': return numericDiv(a, b);
    case '%': return numericMod(a, b);
  }
}

/** A numeric constant combined with one integer operand (int2, int4 or int8), row by row. */
export type NumericIntFn = (x: number | bigint) => Decimal;

/** Largest scale whose power of ten is an exact double (10^22). */
const MAX_EXACT_POW10 = 22;

/**
 * `c op x` (or `x op c` when `intOnLeft`) for a numeric constant `c` and an integer `x`: exactly what
 * `numericArith(op, ...)` gives on `c` and `numericFromInt(x)` (value, display scale, sign of a zero),
 * computed on the scaled integers in JS numbers while they stay safe integers, and through
 * numericArith otherwise (bigints beyond 2^53, large scaled results). Undefined when `c` does not
 * suit: NaN, infinite, or its digits at its scale beyond a safe integer.
 */
export function numericConstIntArith(op: '+' | '-' | '*', c: Decimal, intOnLeft: boolean): NumericIntFn | undefined {
  const scale = numericScale(c);
  const magnitude = numericMagnitudeAtScale(c, scale);
  if (magnitude === undefined) return undefined;
  const cSign = c.isNegative() ? -1 : 1;
  const signed = cSign * magnitude;
  const build = scaledIntToNumeric(scale);
  const slow: NumericIntFn = intOnLeft ? (x) => numericArith(op, numericFromInt(x), c) : (x) => numericArith(op, c, numericFromInt(x));
  if (op === '*') {
    return (x) => {
      const n = typeof x === 'number' ? x : Number(x);
      const p = signed * n;
      // |p| <= 2^53 - 1 means the product was exact (and so was n, unless c is zero).
      if (!(p <= Number.MAX_SAFE_INTEGER && p >= -Number.MAX_SAFE_INTEGER)) return slow(x);
      if (p !== 0) return build(p < 0 ? -1 : 1, p < 0 ? -p : p);
      // decimal.js gives a zero product the product of the operands' signs.
      return build(cSign * intSign(n), 0);
    };
  }
  if (scale > MAX_EXACT_POW10) return undefined;
  const unit = Number(`1e${scale}`);
  // value = left + right' where right' is the right operand, negated for '-'.
  const cTerm = intOnLeft && op === '-' ? -signed : signed;
  const xFactor = !intOnLeft && op === '-' ? -unit : unit;
  return (x) => {
    const n = typeof x === 'number' ? x : Number(x);
    const scaledX = n * xFactor;
    const r = cTerm + scaledX;
    if (!(scaledX <= Number.MAX_SAFE_INTEGER && scaledX >= -Number.MAX_SAFE_INTEGER && r <= Number.MAX_SAFE_INTEGER && r >= -Number.MAX_SAFE_INTEGER)) return slow(x);
    if (r !== 0) return build(r < 0 ? -1 : 1, r < 0 ? -r : r);
    return build(zeroSumSign(op, intOnLeft, cSign, magnitude, n), 0);
  };
}

/** The sign decimal.js gives an integer turned numeric: -0 keeps its sign. */
function intSign(n: number): number {
  return n < 0 || Object.is(n, -0) ? -1 : 1;
}

/**
 * Sign of an exactly zero sum or difference as decimal.js gives it (rounding half up): negative only
 * when both operands are zeros that are negative once the subtrahend's sign is flipped.
 */
function zeroSumSign(op: '+' | '-', intOnLeft: boolean, cSign: number, cMagnitude: number, n: number): number {
  if (cMagnitude !== 0 || n !== 0) return 1;
  const xSign = intSign(n);
  const leftSign = intOnLeft ? xSign : cSign;
  const rightSign = intOnLeft ? cSign : xSign;
  const effectiveRight = op === '-' ? -rightSign : rightSign;
  return leftSign === -1 && effectiveRight === -1 ? -1 : 1;
}

/** float8 ^ float8 with PostgreSQL's domain errors. */
export function floatPower(a: number, b: number): number {
  if (a === 0 && b < 0) {
    throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  }
  if (a < 0 && !Number.isInteger(b) && Number.isFinite(b)) {
    throw new SqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  }
  const r = Math.pow(a, b);
  if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b)) return a === 1 || b === 0 ? 1 : r;
  return checkFloat(r, a, b, true, false);
}

export { numericNeg, numericPower };
