/**
 * Operator resolution and implementation: `binaryOperator(op, left, right)` picks the operand types
 * PostgreSQL would cast to and returns a function over non-null values, so the expression compiler
 * resolves once and calls per row. Covers arithmetic (numbers, dates, timestamps, intervals),
 * comparison, ||, LIKE/ILIKE (~~ family), POSIX regex (~ family) and integer bit operators.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { floatArith, floatPower, int8Arith, intArith, numericArith, type ArithOp } from './arithmetic.js';
import { MAX_DATE_DAYS, MIN_DATE_DAYS, USECS_PER_DAY } from './calendar.js';
import { castDatum, commonSupertype } from './cast.js';
import { compareDatums } from './compare.js';
import {
  addIntervals, divideInterval, negateInterval, scaleInterval, subIntervals, timestampDifference,
  timestampPlusInterval, timestamptzPlusInterval,
} from './datetime-arith.js';
import { Interval, type Datum, type Decimal } from './datum.js';
import { likeMatcher, type LikeMatcher } from './like.js';
import { numericAbs, numericNeg, numericPower } from './numeric.js';
import { regexMatches } from './regex.js';
import { arrayOf, scalar, T, type SqlType, type TypeKind } from './sql-type.js';
import { DEFAULT_TEXT_CONTEXT, type TextFormatContext } from './text-io.js';
import { resolveTimeZone } from './time-zone.js';

export type BinaryFn = (a: Datum, b: Datum) => Datum;

export interface ResolvedBinaryOperator {
  readonly returns: SqlType;
  /** Cast the left operand to this type before calling fn. */
  readonly leftType: SqlType;
  readonly rightType: SqlType;
  /** Called only with non-null operands. */
  readonly fn: BinaryFn;
}

export interface ResolvedUnaryOperator {
  readonly returns: SqlType;
  readonly operandType: SqlType;
  readonly fn: (a: Datum) => Datum;
}

const NUMBER_KINDS = new Set<TypeKind>(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);
const OID_KINDS = new Set<TypeKind>(['oid', 'regclass', 'regtype', 'regproc', 'regnamespace']);
const STRING_KINDS = new Set<TypeKind>(['text', 'varchar', 'bpchar', 'name', 'char', 'unknown']);
const INT_ORDER: Record<string, number> = { int2: 1, int4: 2, int8: 3 };

const isNumber = (t: SqlType) => NUMBER_KINDS.has(t.kind);
const isString = (t: SqlType) => STRING_KINDS.has(t.kind);

/** The type both numeric operands are brought to for arithmetic and comparison. */
function promoteNumbers(a: SqlType, b: SqlType): SqlType {
  if (a.kind === b.kind) return scalar(a.kind as Exclude<TypeKind, 'array'>);
  if (a.kind === 'float8' || b.kind === 'float8' || a.kind === 'float4' || b.kind === 'float4') return T.float8;
  if (a.kind === 'numeric' || b.kind === 'numeric') return T.numeric;
  return INT_ORDER[a.kind] >= INT_ORDER[b.kind] ? scalar(a.kind as 'int4') : scalar(b.kind as 'int4');
}

function arithFn(op: ArithOp, t: SqlType): BinaryFn | undefined {
  switch (t.kind) {
    case 'int2': case 'int4': {
      const k = t.kind;
      return (a, b) => intArith(op, k, a as number, b as number);
    }
    case 'int8': return (a, b) => int8Arith(op, a as bigint, b as bigint);
    case 'float4': case 'float8': {
      if (op === '%') return undefined;
      const f4 = t.kind === 'float4';
      return (a, b) => floatArith(op, f4, a as number, b as number);
    }
    case 'numeric': return (a, b) => numericArith(op, a as Decimal, b as Decimal);
    default: return undefined;
  }
}

/** The type two operands are compared as, or undefined when they are not comparable. */
export function comparisonType(left: SqlType, right: SqlType): SqlType | undefined {
  if (left.kind === right.kind) {
    if (left.kind !== 'array') return left.typmod === -1 ? left : scalar(left.kind as Exclude<TypeKind, 'array'>);
    const el = left.element && right.element ? comparisonType(left.element, right.element) : undefined;
    return el ? arrayOf(el) : undefined;
  }
  if (isNumber(left) && isNumber(right)) return promoteNumbers(left, right);
  if ((OID_KINDS.has(left.kind) || isNumber(left)) && (OID_KINDS.has(right.kind) || isNumber(right))) {
    return OID_KINDS.has(left.kind) && OID_KINDS.has(right.kind) ? T.oid : OID_KINDS.has(left.kind) ? scalar(left.kind as 'oid') : scalar(right.kind as 'oid');
  }
  if (isString(left) && isString(right)) return T.text;
  const dt = new Set([left.kind, right.kind]);
  if (dt.has('timestamptz') && (dt.has('date') || dt.has('timestamp'))) return T.timestamptz;
  if (dt.has('timestamp') && dt.has('date')) return T.timestamp;
  return commonSupertype([left, right]);
}

type Sig = { returns: SqlType; leftType: SqlType; rightType: SqlType; fn: BinaryFn };
const sig = (returns: SqlType, leftType: SqlType, rightType: SqlType, fn: BinaryFn): Sig => ({ returns, leftType, rightType, fn });

function comparison(op: string, t: SqlType): BinaryFn {
  switch (op) {
    case '=': return (a, b) => compareDatums(a, b, t) === 0;
    case '<>': return (a, b) => compareDatums(a, b, t) !== 0;
    case '<': return (a, b) => compareDatums(a, b, t) < 0;
    case '<=': return (a, b) => compareDatums(a, b, t) <= 0;
    case '>': return (a, b) => compareDatums(a, b, t) > 0;
    default: return (a, b) => compareDatums(a, b, t) >= 0;
  }
}

/** A LIKE operator whose pattern is compiled on first use and reused while it stays the same. */
function likeFn(caseInsensitive: boolean, negate: boolean): BinaryFn {
  let lastPattern: string | undefined;
  let matcher: LikeMatcher = () => false;
  return (a, b) => {
    const p = b as string;
    if (p !== lastPattern) {
      matcher = likeMatcher(p, '\\', caseInsensitive);
      lastPattern = p;
    }
    return matcher(a as string) !== negate;
  };
}

function dateTimeArith(op: string, l: SqlType, r: SqlType, ctx: TextFormatContext): Sig | undefined {
  const L = l.kind;
  const R = r.kind;
  const isInt = (k: TypeKind) => k === 'int2' || k === 'int4' || k === 'int8';
  const zone = () => resolveTimeZone(ctx.timeZone);
  const dateShift = (days: number, n: number) => {
    if (!Number.isFinite(days)) return days;
    const v = days + n;
    if (v < MIN_DATE_DAYS || v > MAX_DATE_DAYS) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'date out of range');
    return v;
  };
  if (op === '+') {
    if (L === 'date' && isInt(R)) return sig(T.date, T.date, T.int4, (a, b) => dateShift(a as number, b as number));
    if (isInt(L) && R === 'date') return sig(T.date, T.int4, T.date, (a, b) => dateShift(b as number, a as number));
    if ((L === 'date' || L === 'timestamp') && R === 'interval') return sig(T.timestamp, T.timestamp, T.interval, (a, b) => timestampPlusInterval(a as number, b as Interval));
    if (L === 'interval' && (R === 'date' || R === 'timestamp')) return sig(T.timestamp, T.interval, T.timestamp, (a, b) => timestampPlusInterval(b as number, a as Interval));
    if (L === 'timestamptz' && R === 'interval') return sig(T.timestamptz, T.timestamptz, T.interval, (a, b) => timestamptzPlusInterval(a as number, b as Interval, zone()));
    if (L === 'interval' && R === 'timestamptz') return sig(T.timestamptz, T.interval, T.timestamptz, (a, b) => timestamptzPlusInterval(b as number, a as Interval, zone()));
    if (L === 'date' && R === 'time') return sig(T.timestamp, T.date, T.time, (a, b) => (a as number) * USECS_PER_DAY + (b as number));
    if (L === 'time' && R === 'date') return sig(T.timestamp, T.time, T.date, (a, b) => (b as number) * USECS_PER_DAY + (a as number));
    if (L === 'time' && R === 'interval') return sig(T.time, T.time, T.interval, (a, b) => wrapTime((a as number) + (b as Interval).micros));
    if (L === 'interval' && R === 'time') return sig(T.time, T.interval, T.time, (a, b) => wrapTime((b as number) + (a as Interval).micros));
    if (L === 'interval' && R === 'interval') return sig(T.interval, T.interval, T.interval, (a, b) => addIntervals(a as Interval, b as Interval));
  }
  if (op === '-') {
    if (L === 'date' && isInt(R)) return sig(T.date, T.date, T.int4, (a, b) => dateShift(a as number, -(b as number)));
    if (L === 'date' && R === 'date') return sig(T.int4, T.date, T.date, (a, b) => {
      if (!Number.isFinite(a as number) || !Number.isFinite(b as number)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'cannot subtract infinite dates');
      return (a as number) - (b as number);
    });
    if ((L === 'date' || L === 'timestamp') && R === 'interval') return sig(T.timestamp, T.timestamp, T.interval, (a, b) => timestampPlusInterval(a as number, negateInterval(b as Interval)));
    if (L === 'timestamptz' && R === 'interval') return sig(T.timestamptz, T.timestamptz, T.interval, (a, b) => timestamptzPlusInterval(a as number, negateInterval(b as Interval), zone()));
    if ((L === 'timestamp' && (R === 'timestamp' || R === 'date')) || (L === 'date' && R === 'timestamp')) {
      return sig(T.interval, T.timestamp, T.timestamp, (a, b) => timestampDifference(a as number, b as number));
    }
    if ((L === 'timestamptz' && (R === 'timestamptz' || R === 'timestamp' || R === 'date')) || (R === 'timestamptz' && (L === 'timestamp' || L === 'date'))) {
      return sig(T.interval, T.timestamptz, T.timestamptz, (a, b) => timestampDifference(a as number, b as number));
    }
    if (L === 'time' && R === 'time') return sig(T.interval, T.time, T.time, (a, b) => new Interval(0, 0, (a as number) - (b as number)));
    if (L === 'time' && R === 'interval') return sig(T.time, T.time, T.interval, (a, b) => wrapTime((a as number) - (b as Interval).micros));
    if (L === 'interval' && R === 'interval') return sig(T.interval, T.interval, T.interval, (a, b) => subIntervals(a as Interval, b as Interval));
  }
  if (op === '*') {
    if (L === 'interval' && isNumber(r)) return sig(T.interval, T.interval, T.float8, (a, b) => scaleInterval(a as Interval, b as number));
    if (isNumber(l) && R === 'interval') return sig(T.interval, T.float8, T.interval, (a, b) => scaleInterval(b as Interval, a as number));
  }
  if (op === '/' && L === 'interval' && isNumber(r)) return sig(T.interval, T.interval, T.float8, (a, b) => divideInterval(a as Interval, b as number));
  return undefined;
}

function wrapTime(m: number): number {
  const r = m % USECS_PER_DAY;
  return r < 0 ? r + USECS_PER_DAY : r;
}

function concatFn(l: SqlType, r: SqlType): Sig | undefined {
  if (l.kind === 'array' || r.kind === 'array') {
    if (l.kind === 'array' && r.kind === 'array') {
      const t = comparisonType(l, r) ?? l;
      return sig(t, t, t, (a, b) => [...(a as Datum[]), ...(b as Datum[])]);
    }
    if (l.kind === 'array') {
      const el = l.element ?? T.text;
      return sig(l, l, el, (a, b) => [...(a as Datum[]), b]);
    }
    const el = r.element ?? T.text;
    return sig(r, el, r, (a, b) => [a, ...(b as Datum[])]);
  }
  if (isString(l) || isString(r)) {
    if (!isString(l) && !isString(r)) return undefined;
    return sig(T.text, T.text, T.text, (a, b) => (a as string) + (b as string));
  }
  if (l.kind === 'bytea' && r.kind === 'bytea') {
    return sig(T.bytea, T.bytea, T.bytea, (a, b) => {
      const x = a as Uint8Array;
      const y = b as Uint8Array;
      const out = new Uint8Array(x.length + y.length);
      out.set(x, 0);
      out.set(y, x.length);
      return out;
    });
  }
  if (l.kind === 'jsonb' && r.kind === 'jsonb') return undefined;
  return undefined;
}

function bitFn(op: string, t: SqlType): BinaryFn | undefined {
  if (t.kind === 'int8') {
    switch (op) {
      case '&': return (a, b) => (a as bigint) & (b as bigint);
      case '|': return (a, b) => (a as bigint) | (b as bigint);
      case '#': return (a, b) => (a as bigint) ^ (b as bigint);
      default: return undefined;
    }
  }
  const wrap16 = (v: number) => (t.kind === 'int2' ? (v << 16) >> 16 : v | 0);
  switch (op) {
    case '&': return (a, b) => wrap16((a as number) & (b as number));
    case '|': return (a, b) => wrap16((a as number) | (b as number));
    case '#': return (a, b) => wrap16((a as number) ^ (b as number));
    case '<<': return (a, b) => wrap16((a as number) << (b as number));
    case '>>': return (a, b) => wrap16((a as number) >> (b as number));
    default: return undefined;
  }
}

const OP_ALIASES: Record<string, string> = {
  '!=': '<>', like: '~~', 'not like': '!~~', ilike: '~~*', 'not ilike': '!~~*',
};

/**
 * Resolve `left op right`. Untyped literals ('unknown') take the other operand's type, as
 * PostgreSQL's operator resolution does. `ctx.timeZone` is used by timestamptz +/- interval.
 */
export function binaryOperator(op: string, left: SqlType, right: SqlType, ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): ResolvedBinaryOperator | undefined {
  const o = OP_ALIASES[op.toLowerCase()] ?? op;
  let l = left;
  let r = right;
  if (o !== '||') {
    if (l.kind === 'unknown' && r.kind !== 'unknown') l = r.kind === 'array' && (o === '~~' || o === '~') ? T.text : r;
    else if (r.kind === 'unknown' && l.kind !== 'unknown') r = l;
    else if (l.kind === 'unknown' && r.kind === 'unknown') l = r = T.text;
  }
  switch (o) {
    case '=': case '<>': case '<': case '<=': case '>': case '>=': {
      const t = comparisonType(l, r);
      if (!t) return undefined;
      if (t.kind === 'json') return undefined;
      return sig(T.bool, t, t, comparison(o, t));
    }
    case '+': case '-': case '*': case '/': case '%': {
      if (isNumber(l) && isNumber(r)) {
        const t = promoteNumbers(l, r);
        const fn = arithFn(o, t);
        return fn ? sig(t, t, t, fn) : undefined;
      }
      return dateTimeArith(o, l, r, ctx);
    }
    case '^': {
      if (!isNumber(l) || !isNumber(r)) return undefined;
      if ((l.kind === 'numeric' || r.kind === 'numeric') && l.kind !== 'float4' && l.kind !== 'float8' && r.kind !== 'float4' && r.kind !== 'float8') {
        return sig(T.numeric, T.numeric, T.numeric, (a, b) => numericPower(a as Decimal, b as Decimal));
      }
      return sig(T.float8, T.float8, T.float8, (a, b) => floatPower(a as number, b as number));
    }
    case '||': return concatFn(l, r);
    case '~~': case '!~~': case '~~*': case '!~~*': {
      if (!isString(l) || !isString(r)) return undefined;
      return sig(T.bool, T.text, T.text, likeFn(o.includes('*'), o.startsWith('!')));
    }
    case '~': case '!~': case '~*': case '!~*': {
      if (!isString(l) || !isString(r)) return undefined;
      const ci = o.endsWith('*');
      const neg = o.startsWith('!');
      return sig(T.bool, T.text, T.text, (a, b) => regexMatches(a as string, b as string, ci) !== neg);
    }
    case '&': case '|': case '#': case '<<': case '>>': {
      const ints = (k: TypeKind) => k === 'int2' || k === 'int4' || k === 'int8';
      if (!ints(l.kind) || !ints(r.kind)) return undefined;
      const t = o === '<<' || o === '>>' ? l : promoteNumbers(l, r);
      const fn = bitFn(o, t);
      return fn ? sig(t, t, o === '<<' || o === '>>' ? T.int4 : t, fn) : undefined;
    }
    default:
      return undefined;
  }
}

/** Resolve a prefix operator: - + @ (abs) ~ (bitwise not) |/ (sqrt) ||/ (cbrt). */
export function unaryOperator(op: string, operand: SqlType): ResolvedUnaryOperator | undefined {
  const t = operand.kind === 'unknown' ? T.numeric : operand;
  const k = t.kind;
  switch (op) {
    case '+':
      return isNumber(t) || k === 'interval' ? { returns: t, operandType: t, fn: (a) => a } : undefined;
    case '-':
      switch (k) {
        case 'int2': case 'int4': return { returns: t, operandType: t, fn: (a) => intArith('-', k, 0, a as number) };
        case 'int8': return { returns: t, operandType: t, fn: (a) => int8Arith('-', 0n, a as bigint) };
        case 'float4': case 'float8': return { returns: t, operandType: t, fn: (a) => -(a as number) };
        case 'numeric': return { returns: t, operandType: t, fn: (a) => numericNeg(a as Decimal) };
        case 'interval': return { returns: t, operandType: t, fn: (a) => negateInterval(a as Interval) };
        default: return undefined;
      }
    case '@':
      switch (k) {
        case 'int2': case 'int4': return { returns: t, operandType: t, fn: (a) => ((a as number) < 0 ? intArith('-', k, 0, a as number) : a) };
        case 'int8': return { returns: t, operandType: t, fn: (a) => ((a as bigint) < 0n ? int8Arith('-', 0n, a as bigint) : a) };
        case 'float4': case 'float8': return { returns: t, operandType: t, fn: (a) => Math.abs(a as number) };
        case 'numeric': return { returns: t, operandType: t, fn: (a) => numericAbs(a as Decimal) };
        default: return undefined;
      }
    case '~':
      if (k === 'int8') return { returns: t, operandType: t, fn: (a) => ~(a as bigint) };
      if (k === 'int2' || k === 'int4') return { returns: t, operandType: t, fn: (a) => ~(a as number) };
      return undefined;
    case '|/': return isNumber(t) ? { returns: T.float8, operandType: T.float8, fn: (a) => sqrtFloat(a as number) } : undefined;
    case '||/': return isNumber(t) ? { returns: T.float8, operandType: T.float8, fn: (a) => Math.cbrt(a as number) } : undefined;
    default: return undefined;
  }
}

export function sqrtFloat(x: number): number {
  if (x < 0) throw new SqlError('2201F', 'cannot take square root of a negative number');
  return Math.sqrt(x);
}

/** Convenience for callers that hold operands of other types: cast, then apply. Null in, null out. */
export function applyBinary(opr: ResolvedBinaryOperator, a: Datum, aType: SqlType, b: Datum, bType: SqlType, ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): Datum {
  if (a === null || b === null) return null;
  const x = castDatum(a, aType, opr.leftType, false, ctx);
  const y = castDatum(b, bType, opr.rightType, false, ctx);
  if (x === null || y === null) return null;
  return opr.fn(x, y);
}
