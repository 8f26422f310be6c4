/**
 * `x IN (c1, c2, ...)` with many constants, as the binder gives it (an OR of `x = ci` over one shared
 * `x`), evaluated by one Set lookup instead of one comparison per constant, as PostgreSQL hashes long
 * IN lists. Only for types whose SQL equality is JavaScript's SameValueZero on the held values
 * (integers, floats with NaN = NaN and -0 = 0, bigints, text without padding semantics, booleans,
 * dates and times); anything else keeps the OR.
 */
import type { BoundExpr } from '../../plan/bound/expr.js';
import type { Datum } from '../../types/datum.js';

/** Fewer constants than this are compared one by one (the OR is as fast). */
const MIN_HASHED = 8;

const HASHABLE = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'text', 'varchar', 'name', 'bool', 'date', 'time', 'timestamp', 'timestamptz']);

export interface HashedInList {
  /** The tested expression (shared by every term). */
  readonly operand: BoundExpr;
  /** The non-NULL constants. */
  readonly values: ReadonlySet<Datum>;
  /** A NULL among the constants: a miss is then NULL, not false. */
  readonly hasNull: boolean;
}

export function hashedInList(e: Extract<BoundExpr, { kind: 'or' }>): HashedInList | undefined {
  if (e.args.length < MIN_HASHED) return undefined;
  const first = e.args[0]!;
  if (first.kind !== 'call' || first.args.length !== 2) return undefined;
  const operand = first.args[0]!;
  if (!HASHABLE.has(operand.type.kind)) return undefined;
  const values = new Set<Datum>();
  let hasNull = false;
  for (const term of e.args) {
    if (term.kind !== 'call' || term.label !== '=' || !term.strict || term.args.length !== 2 || term.args[0] !== operand) return undefined;
    const c = term.args[1]!;
    if (c.kind !== 'const' || c.type.kind !== operand.type.kind) return undefined;
    if (c.value === null) hasNull = true;
    else values.add(c.value);
  }
  return { operand, values, hasNull };
}
