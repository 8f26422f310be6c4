/**
 * Casts between SQL types as pg_cast defines them: `castRule` says in which context a cast may be
 * applied (implicit, assignment, explicit), `castDatum` converts a value (numeric rounding, range
 * errors, char/varchar length rules, date/time shifts), and `commonSupertype` picks the result type
 * of CASE/UNION/COALESCE/IN as PostgreSQL's select_common_type does.
 */
import { Decimal as DecimalCtor } from 'decimal.js';
import { SqlError, SQLSTATE, err } from '../errors.js';
import { splitTimestamp, USECS_PER_DAY, USECS_PER_SEC } from './calendar.js';
import { Interval, type Datum, type Decimal } from './datum.js';
import { decimalToFloat32 } from './float-text.js';
import { parseJsonbText } from './json-text.js';
import { applyNumericTypmod, Numeric, numericFromInt, parseNumeric } from './numeric.js';
import { scalar, type SqlType, type TypeKind } from './sql-type.js';
import { applyCharTypmod, DEFAULT_TEXT_CONTEXT, formatText, parseText, type TextFormatContext } from './text-io.js';
import { localToUtc, resolveTimeZone, zoneOffsetAt } from './time-zone.js';
import { isPreferredType, typeCategory } from './type-category.js';

export type CastContext = 'implicit' | 'assignment' | 'explicit';

const INT_KINDS = ['int2', 'int4', 'int8'] as const;
const REG_KINDS: readonly TypeKind[] = ['oid', 'regclass', 'regtype', 'regproc', 'regnamespace'];
const STRING_KINDS: readonly TypeKind[] = ['text', 'varchar', 'bpchar', 'name'];

/** pg_cast entries among scalar kinds, as "from>to" -> context (same-kind casts are implicit). */
const CAST_TABLE = new Map<string, CastContext>();
function rule(from: readonly TypeKind[], to: readonly TypeKind[], ctx: CastContext): void {
  for (const f of from) for (const t of to) if (f !== t) CAST_TABLE.set(f + '>' + t, ctx);
}
rule(['int2'], ['int4', 'int8', 'float4', 'float8', 'numeric'], 'implicit');
rule(['int4'], ['int8', 'float4', 'float8', 'numeric'], 'implicit');
rule(['int4'], ['int2'], 'assignment');
rule(['int8'], ['float4', 'float8', 'numeric'], 'implicit');
rule(['int8'], ['int2', 'int4'], 'assignment');
rule(['float4'], ['float8'], 'implicit');
rule(['float4'], ['int2', 'int4', 'int8', 'numeric'], 'assignment');
rule(['float8'], ['float4', 'int2', 'int4', 'int8', 'numeric'], 'assignment');
rule(['numeric'], ['float4', 'float8'], 'implicit');
rule(['numeric'], ['int2', 'int4', 'int8'], 'assignment');
rule(['int4'], ['bool', 'char'], 'explicit');
rule(['bool', 'char'], ['int4'], 'explicit');
rule(['int2', 'int4', 'int8'], REG_KINDS, 'implicit');
rule(REG_KINDS, REG_KINDS, 'implicit');
rule(REG_KINDS, ['int4', 'int8'], 'assignment');
rule(['text', 'varchar', 'bpchar'], ['regclass'], 'implicit');
rule(['text', 'varchar', 'bpchar', 'name'], ['text', 'varchar', 'bpchar', 'name'], 'implicit');
rule(['name'], ['varchar', 'bpchar'], 'assignment');
rule(['char'], ['text', 'varchar', 'bpchar'], 'implicit');
rule(['text', 'varchar', 'bpchar'], ['char'], 'assignment');
rule(['date'], ['timestamp', 'timestamptz'], 'implicit');
rule(['timestamp'], ['timestamptz'], 'implicit');
rule(['timestamp', 'timestamptz'], ['date', 'time'], 'assignment');
rule(['timestamptz'], ['timestamp'], 'assignment');
rule(['time'], ['interval'], 'implicit');
rule(['interval'], ['time'], 'assignment');
rule(['json'], ['jsonb'], 'explicit');
rule(['jsonb'], ['json'], 'explicit');
rule(['int2vector'], ['int2vector'], 'implicit');

/** The context in which `from` may be cast to `to`, or undefined when PostgreSQL has no such cast. */
export function castRule(from: SqlType, to: SqlType): CastContext | undefined {
  if (from.kind === 'unknown') return 'implicit';
  if (from.kind === to.kind) {
    if (from.kind !== 'array') return 'implicit';
    return from.element && to.element ? castRule(from.element, to.element) : 'implicit';
  }
  const hit = CAST_TABLE.get(from.kind + '>' + to.kind);
  if (hit) return hit;
  if (to.kind === 'array' && (from.kind === 'int2vector' || from.kind === 'oidvector')) {
    const el = to.element?.kind;
    return (from.kind === 'int2vector' && el === 'int2') || (from.kind === 'oidvector' && el === 'oid') ? 'implicit' : undefined;
  }
  // I/O conversion casts: anything to a string type by assignment, from a string type explicitly.
  if (STRING_KINDS.includes(to.kind) && from.kind !== 'void') return 'assignment';
  if (STRING_KINDS.includes(from.kind) && to.kind !== 'void') return 'explicit';
  return undefined;
}

/** Whether `from` converts to `to` in context `ctx` (implicit < assignment < explicit). */
export function canCast(from: SqlType, to: SqlType, ctx: CastContext): boolean {
  const r = castRule(from, to);
  if (!r) return false;
  if (ctx === 'explicit') return true;
  if (ctx === 'assignment') return r !== 'explicit';
  return r === 'implicit';
}

/**
 * The common type of a set of expression types (CASE, UNION, COALESCE, IN, VALUES):
 * all unknown gives text; otherwise the first known type, moved to a later type of the same category
 * when the candidate casts to it implicitly but not back (or the later one is preferred).
 * Undefined when categories differ or no implicit cast exists.
 */
export function commonSupertype(types: readonly SqlType[]): SqlType | undefined {
  const known = types.filter((t) => t.kind !== 'unknown');
  if (known.length === 0) return scalar('text');
  let candidate = known[0];
  const allSame = known.every((t) => t.kind === candidate.kind && t.typmod === candidate.typmod && (t.kind !== 'array' || sameArray(t, candidate)));
  if (allSame) return candidate;
  const category = typeCategory(candidate);
  for (const t of known.slice(1)) {
    if (t.kind === candidate.kind && (t.kind !== 'array' || sameArray(t, candidate))) continue;
    if (typeCategory(t) !== category) return undefined;
    if (!isPreferredType(candidate) && canCast(candidate, t, 'implicit') && !canCast(t, candidate, 'implicit')) candidate = t;
  }
  for (const t of known) if (!canCast(t, candidate, 'implicit')) return undefined;
  if (candidate.kind === 'array') return candidate;
  return candidate.typmod === -1 ? candidate : scalar(candidate.kind as Exclude<TypeKind, 'array'>);
}

function sameArray(a: SqlType, b: SqlType): boolean {
  return !!a.element && !!b.element && a.element.kind === b.element.kind;
}

// ---------------------------------------------------------------------------------------------
// Value conversion

const INT_LIMITS = {
  int2: { min: -32768, max: 32767, msg: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, msg: 'integer' },
} as const;

function checkInt(n: number, kind: 'int2' | 'int4'): number {
  const l = INT_LIMITS[kind];
  if (!(n >= l.min && n <= l.max)) throw err.outOfRange(l.msg);
  return n === 0 ? 0 : n;
}

function checkInt8(n: bigint): bigint {
  if (n < -9223372036854775808n || n > 9223372036854775807n) throw err.outOfRange('bigint');
  return n;
}

/** rint(): round half to even, as PostgreSQL's float-to-integer casts do. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function floatToInt(x: number, to: 'int2' | 'int4' | 'int8'): number | bigint {
  if (!Number.isFinite(x)) throw err.outOfRange(to === 'int8' ? 'bigint' : INT_LIMITS[to].msg);
  const r = rint(x);
  if (to === 'int8') {
    if (r < -9223372036854775808 || r >= 9223372036854775808) throw err.outOfRange('bigint');
    return BigInt(r);
  }
  return checkInt(r, to);
}

function numericToInt(d: Decimal, to: 'int2' | 'int4' | 'int8'): number | bigint {
  if (d.isNaN()) throw new SqlError(SQLSTATE.featureNotSupported, `cannot convert NaN to ${to === 'int8' ? 'bigint' : INT_LIMITS[to].msg}`);
  if (!d.isFinite()) throw new SqlError(SQLSTATE.featureNotSupported, `cannot convert infinity to ${to === 'int8' ? 'bigint' : INT_LIMITS[to].msg}`);
  const r = d.toDecimalPlaces(0, DecimalCtor.ROUND_HALF_UP);
  if (to === 'int8') return checkInt8(BigInt(r.toFixed(0)));
  if (r.abs().gt(3e9)) throw err.outOfRange(INT_LIMITS[to].msg);
  return checkInt(r.toNumber(), to);
}

/** float to numeric keeps DBL_DIG (15) / FLT_DIG (6) significant digits, as PostgreSQL 15 does. */
function floatToNumeric(x: number, float4: boolean): Decimal {
  if (Number.isNaN(x)) return new Numeric(NaN);
  if (!Number.isFinite(x)) return new Numeric(x);
  // like printf("%.15g"): significant digits without trailing zeros
  return parseNumeric(stripFractionZeros(x.toPrecision(float4 ? 6 : 15)));
}

/** Remove trailing zeros (and a bare point) from the mantissa of a toPrecision() string. */
function stripFractionZeros(s: string): string {
  const [mant, exp] = s.split('e');
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  return exp === undefined ? m : `${m}e${exp}`;
}

function intValue(v: Datum): number | bigint {
  return v as number | bigint;
}

function toIntKind(v: Datum, from: SqlType, to: 'int2' | 'int4' | 'int8'): Datum {
  switch (from.kind) {
    case 'int2': case 'int4': case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace': {
      const n = v as number;
      if (to === 'int8') return BigInt(n);
      if (from.kind !== 'int2' && from.kind !== 'int4' && to === 'int4') return n > 2147483647 ? n - 4294967296 : n;
      return checkInt(n, to);
    }
    case 'int8': {
      const n = v as bigint;
      if (to === 'int8') return n;
      const l = INT_LIMITS[to];
      if (n < BigInt(l.min) || n > BigInt(l.max)) throw err.outOfRange(l.msg);
      return Number(n);
    }
    case 'float4': case 'float8': return floatToInt(v as number, to);
    case 'numeric': return numericToInt(v as Decimal, to);
    case 'bool': return (v as boolean) ? 1 : 0;
    case 'char': {
      const code = (v as string).length === 0 ? 0 : Buffer.from(v as string, 'latin1')[0];
      return code > 127 ? code - 256 : code;
    }
    default: throw noCast(from, scalar(to));
  }
}

function toOid(v: Datum, from: SqlType): number {
  if (from.kind === 'int8') {
    const n = v as bigint;
    if (n < -2147483648n || n > 4294967295n) throw err.outOfRange('OID');
    const x = Number(n);
    return x < 0 ? x + 4294967296 : x;
  }
  const n = v as number;
  return n < 0 ? n + 4294967296 : n;
}

function noCast(from: SqlType, to: SqlType): SqlError {
  return new SqlError(SQLSTATE.cannotCoerce, `cannot cast type ${kindName(from)} to ${kindName(to)}`);
}

function kindName(t: SqlType): string {
  return t.kind === 'array' ? `${t.element ? kindName(t.element) : 'unknown'}[]` : t.kind;
}

const isStringKind = (k: TypeKind) => k === 'text' || k === 'varchar' || k === 'bpchar' || k === 'name' || k === 'unknown' || k === 'char';

/** Round a time/timestamp to `typmod` fractional digits (time(p), timestamp(p)). */
function applyTimePrecision(micros: number, typmod: number): number {
  if (typmod < 0 || typmod >= 6 || !Number.isFinite(micros)) return micros;
  const unit = 10 ** (6 - typmod);
  const q = micros / unit;
  // half away from zero, as PostgreSQL's AdjustTimestampForTypmod does
  return (q < 0 ? -Math.round(-q) : Math.round(q)) * unit;
}

/** Apply the target typmod to a value already of the target kind. */
export function applyTypmod(v: Datum, to: SqlType, explicit: boolean): Datum {
  if (v === null || to.typmod < 0) return v;
  switch (to.kind) {
    case 'numeric': return applyNumericTypmod(v as Decimal, to.typmod);
    case 'varchar': case 'bpchar': return applyCharTypmod(v as string, to, explicit);
    case 'timestamp': case 'timestamptz': case 'time': return applyTimePrecision(v as number, to.typmod);
    default: return v;
  }
}

/**
 * Convert `value` of type `from` to type `to`. `explicit` selects CAST semantics (char/varchar
 * truncate silently) over assignment semantics (error 22001). NULL stays NULL.
 */
export function castDatum(value: Datum, from: SqlType, to: SqlType, explicit: boolean, ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): Datum {
  if (value === null) return null;
  return applyTypmod(convert(value, from, to, explicit, ctx), to, explicit);
}

function convert(v: Datum, from: SqlType, to: SqlType, explicit: boolean, ctx: TextFormatContext): Datum {
  if (from.kind === to.kind && from.kind !== 'array') return v;
  if (to.kind === 'array') {
    const el = to.element ?? scalar('text');
    if (from.kind === 'array') return (v as Datum[]).map((x) => castDatum(x, from.element ?? scalar('text'), el, explicit, ctx));
    if (from.kind === 'int2vector') return (v as Datum[]).map((x) => castDatum(x, scalar('int2'), el, explicit, ctx));
    if (from.kind === 'oidvector') return (v as Datum[]).map((x) => castDatum(x, scalar('oid'), el, explicit, ctx));
    if (isStringKind(from.kind)) return parseText(v as string, to, ctx);
    throw noCast(from, to);
  }
  // to a string type
  if (to.kind === 'text' || to.kind === 'varchar' || to.kind === 'bpchar' || to.kind === 'name') {
    let s: string;
    if (from.kind === 'bool') s = (v as boolean) ? 'true' : 'false';
    else if (from.kind === 'bpchar') s = (v as string).replace(/ +$/, '');
    else s = formatText(v, from, ctx);
    return to.kind === 'name' || to.kind === 'text' ? (to.kind === 'name' ? parseText(s, to, ctx) : s) : s;
  }
  if (isStringKind(from.kind)) {
    const s = from.kind === 'bpchar' ? (v as string).replace(/ +$/, '') : (v as string);
    if (to.kind === 'char') return s.length === 0 ? '' : s[0];
    // the typmod is applied afterwards with the cast's own rules (explicit casts truncate)
    return parseText(s, to.typmod >= 0 ? scalar(to.kind) : to, ctx);
  }
  switch (to.kind) {
    case 'bool':
      if (from.kind === 'int4') return (v as number) !== 0;
      break;
    case 'int2': case 'int4': case 'int8':
      return toIntKind(v, from, to.kind);
    case 'float4': case 'float8': {
      let x: number;
      if (from.kind === 'numeric') x = (v as Decimal).toNumber();
      else if (from.kind === 'int8') x = Number(v as bigint);
      else if (from.kind === 'float4' || from.kind === 'float8' || from.kind === 'int2' || from.kind === 'int4') x = v as number;
      else break;
      if (to.kind === 'float4') {
        const f = from.kind === 'numeric' ? decimalToFloat32((v as Decimal).toString()) : Math.fround(x);
        if (!Number.isFinite(f) && Number.isFinite(x)) throw err.outOfRange('value out of range: overflow');
        return f;
      }
      return x;
    }
    case 'numeric':
      if (from.kind === 'int2' || from.kind === 'int4' || from.kind === 'int8') return numericFromInt(intValue(v));
      if (from.kind === 'float4' || from.kind === 'float8') return floatToNumeric(v as number, from.kind === 'float4');
      break;
    case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace':
      if (INT_KINDS.includes(from.kind as 'int4') || REG_KINDS.includes(from.kind)) return toOid(v, from);
      break;
    case 'char':
      if (from.kind === 'int4') return String.fromCharCode((v as number) & 0xff);
      break;
    case 'date':
      if (from.kind === 'timestamp') return Number.isFinite(v as number) ? splitTimestamp(v as number).days : v;
      if (from.kind === 'timestamptz') {
        const t = v as number;
        if (!Number.isFinite(t)) return t;
        const off = zoneOffsetAt(resolveTimeZone(ctx.timeZone), t);
        return splitTimestamp(t + off * USECS_PER_SEC).days;
      }
      break;
    case 'timestamp':
      if (from.kind === 'date') return Number.isFinite(v as number) ? (v as number) * USECS_PER_DAY : v;
      if (from.kind === 'timestamptz') {
        const t = v as number;
        return Number.isFinite(t) ? t + zoneOffsetAt(resolveTimeZone(ctx.timeZone), t) * USECS_PER_SEC : t;
      }
      break;
    case 'timestamptz':
      if (from.kind === 'date' || from.kind === 'timestamp') {
        const local = from.kind === 'date' ? (v as number) * USECS_PER_DAY : (v as number);
        return Number.isFinite(local) ? localToUtc(resolveTimeZone(ctx.timeZone), local) : local;
      }
      break;
    case 'time':
      if (from.kind === 'timestamp') return splitTimestamp(v as number).timeOfDay;
      if (from.kind === 'timestamptz') {
        const t = v as number;
        return splitTimestamp(t + zoneOffsetAt(resolveTimeZone(ctx.timeZone), t) * USECS_PER_SEC).timeOfDay;
      }
      if (from.kind === 'interval') {
        const m = (v as Interval).micros % USECS_PER_DAY;
        return m < 0 ? m + USECS_PER_DAY : m;
      }
      break;
    case 'interval':
      if (from.kind === 'time') return new Interval(0, 0, v as number);
      break;
    case 'json':
      if (from.kind === 'jsonb') return v;
      break;
    case 'jsonb':
      if (from.kind === 'json') return parseJsonbText(v as string);
      break;
    case 'int2vector': case 'oidvector':
      if (from.kind === 'array') return v;
      break;
    default:
      break;
  }
  throw noCast(from, to);
}
