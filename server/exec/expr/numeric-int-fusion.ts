/**
 * Spots numeric arithmetic between a numeric constant and an integer expression cast to numeric
 * (`0.908 * price` with `price` bigint) so the compiler calls one fused function per row
 * (`numericConstIntArith`) instead of building the integer's Decimal and then the result's.
 * Recognises the binder's shapes only: an operator call is labelled with its operator, a cast `::numeric`.
 */
import type { BoundExpr, CallExpr } from '../../plan/bound/expr.js';
import { numericConstIntArith, type NumericIntFn } from '../../types/arithmetic.js';
import { isNumeric } from '../../types/numeric.js';
import type { SqlType } from '../../types/sql-type.js';

export interface FusedNumericIntCall {
  /** Called with the integer operand's non-null value. */
  readonly fn: NumericIntFn;
  /** The integer-typed expression under the cast. */
  readonly intArg: BoundExpr;
}

const isPlainNumeric = (t: SqlType): boolean => t.kind === 'numeric' && t.typmod < 0;
const isIntKind = (t: SqlType): boolean => t.kind === 'int2' || t.kind === 'int4' || t.kind === 'int8';

/** The integer expression under an implicit or explicit `::numeric` cast without typmod, if `e` is one. */
function castIntToNumeric(e: BoundExpr): BoundExpr | undefined {
  if (e.kind !== 'call' || e.label !== '::numeric' || !e.strict || e.args.length !== 1) return undefined;
  if (!isPlainNumeric(e.type) || !isIntKind(e.args[0]!.type)) return undefined;
  return e.args[0]!;
}

/** The fused form of `e` when it is `const op int::numeric` or `int::numeric op const` (op +, -, *). */
export function fuseNumericIntCall(e: CallExpr): FusedNumericIntCall | undefined {
  const op = e.label;
  if (op !== '+' && op !== '-' && op !== '*') return undefined;
  if (!e.strict || e.args.length !== 2 || !isPlainNumeric(e.type)) return undefined;
  const [left, right] = e.args as [BoundExpr, BoundExpr];
  if (left.type.kind !== 'numeric' || right.type.kind !== 'numeric') return undefined;
  const constLeft = left.kind === 'const' ? castIntToNumeric(right) : undefined;
  const constRight = !constLeft && right.kind === 'const' ? castIntToNumeric(left) : undefined;
  const intArg = constLeft ?? constRight;
  const c = constLeft ? left : right;
  if (!intArg || c.kind !== 'const' || !isNumeric(c.value)) return undefined;
  const fn = numericConstIntArith(op, c.value, constRight !== undefined);
  return fn ? { fn, intArg } : undefined;
}
