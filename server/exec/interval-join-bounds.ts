/**
 * Interval-join analysis: recognises an inner join of two append-only inputs whose ON condition
 * bounds `right.t - left.t` between two constants (BETWEEN, or a pair of <, <=, >, >= with either side
 * first and constant intervals added to or subtracted from either column). Pure: it reads a JoinNode
 * and returns the bounds and the rest of the condition, or undefined; it never builds operators.
 * Outer interval joins are not recognised yet (their NULL padding would need the watermark to decide).
 */
import type { BoundExpr } from '../plan/bound/expr.js';
import type { JoinNode } from '../plan/logical/join.js';
import { Interval } from '../types/datum.js';
import type { TypeKind } from '../types/sql-type.js';
import { T } from '../types/sql-type.js';

const MICROS_PER_DAY = 86_400_000_000;

/** One end of the range of `right.t - left.t`, in microseconds. */
interface IntervalBound {
  readonly micros: number;
  readonly inclusive: boolean;
}

/**
 * `right[rightTime] - left[leftTime]` lies in [lower, upper] (each end inclusive or not) for every
 * joined pair; `residual` is the rest of the ON condition over [left cols..., right cols...] (the
 * equi-key equalities the hash lookup decides and the two time bounds left out), undefined when
 * nothing is left.
 */
export interface IntervalJoinBounds {
  readonly leftTime: number;
  readonly rightTime: number;
  readonly lowerMicros: number;
  readonly lowerInclusive: boolean;
  readonly upperMicros: number;
  readonly upperInclusive: boolean;
  readonly residual: BoundExpr | undefined;
}

/** `column + offset`: a time column moved by a constant, in microseconds. */
interface ShiftedColumn {
  readonly column: number;
  readonly kind: TypeKind;
  readonly offset: number;
}

/** A conjunct `right.t - left.t <op> micros` over one pair of time columns. */
interface TimeBound {
  readonly conjunct: number;
  readonly leftTime: number;
  readonly rightTime: number;
  readonly side: 'lower' | 'upper';
  readonly bound: IntervalBound;
}

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** Key types whose hash key (row-key.ts) is exactly SQL equality, so the hash lookup decides `=`. */
const HASH_DECIDES_EQUALITY: ReadonlySet<TypeKind> = new Set<TypeKind>([
  'bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'name', 'date', 'time',
  'timestamp', 'timestamptz', 'interval', 'uuid', 'oid', 'bytea',
]);

/** The interval as microseconds, when it is a fixed length on this time type (no months; days only on timestamp). */
function fixedMicros(value: unknown, timeKind: TypeKind): number | undefined {
  if (!(value instanceof Interval) || value.months !== 0) return undefined;
  // A day on timestamptz is a calendar day in the session's time zone (23 or 25 hours across DST).
  if (value.days !== 0 && timeKind !== 'timestamp') return undefined;
  const micros = value.days * MICROS_PER_DAY + value.micros;
  return Number.isFinite(micros) ? micros : undefined;
}

function shiftedColumn(e: BoundExpr): ShiftedColumn | undefined {
  if (e.kind === 'column') {
    return e.type.kind === 'timestamp' || e.type.kind === 'timestamptz' ? { column: e.index, kind: e.type.kind, offset: 0 } : undefined;
  }
  if (e.kind !== 'call' || e.args.length !== 2 || (e.label !== '+' && e.label !== '-')) return undefined;
  const [a, b] = e.args as [BoundExpr, BoundExpr];
  // time + interval, interval + time, time - interval
  const [timeArg, constArg] = b.kind === 'const' ? [a, b] : e.label === '+' && a.kind === 'const' ? [b, a] : [undefined, undefined];
  if (!timeArg || !constArg || constArg.kind !== 'const') return undefined;
  const inner = shiftedColumn(timeArg);
  if (!inner || e.type.kind !== inner.kind) return undefined;
  const micros = fixedMicros(constArg.value, inner.kind);
  if (micros === undefined) return undefined;
  return { ...inner, offset: inner.offset + (e.label === '+' ? micros : -micros) };
}

const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A comparison of a right time against a left time, as a bound on right.t - left.t. */
function timeBound(e: BoundExpr, conjunct: number, nLeft: number): TimeBound | undefined {
  if (e.kind !== 'call' || e.args.length !== 2 || FLIPPED[e.label] === undefined) return undefined;
  let [a, b] = (e.args as [BoundExpr, BoundExpr]).map(shiftedColumn);
  if (!a || !b || a.kind !== b.kind) return undefined;
  let op = e.label;
  // Normalise to `right + offR <op> left + offL`, i.e. right - left <op> offL - offR.
  if (a.column < nLeft && b.column >= nLeft) {
    [a, b] = [b, a];
    op = FLIPPED[op]!;
  } else if (!(a.column >= nLeft && b.column < nLeft)) {
    return undefined;
  }
  const micros = b.offset - a.offset;
  const side = op === '>' || op === '>=' ? 'lower' : 'upper';
  return { conjunct, leftTime: b.column, rightTime: a.column - nLeft, side, bound: { micros, inclusive: op.length === 2 } };
}

/** The tighter of two bounds on the same side. */
function tighter(side: 'lower' | 'upper', x: IntervalBound | undefined, y: IntervalBound): IntervalBound {
  if (!x) return y;
  if (x.micros === y.micros) return { micros: x.micros, inclusive: x.inclusive && y.inclusive };
  return (side === 'lower') === x.micros > y.micros ? x : y;
}

/**
 * The interval-join bounds of `join`, or undefined when it is not an inner join of two append-only
 * inputs with both a lower and an upper constant bound on the same pair of timestamp(tz) columns.
 */
export function analyzeIntervalJoin(join: JoinNode): IntervalJoinBounds | undefined {
  if (join.joinType !== 'inner' || !join.condition || !join.left.appendOnly || !join.right.appendOnly) return undefined;
  const nLeft = join.left.schema.length;
  const parts = conjuncts(join.condition);
  const bounds = parts.map((c, i) => timeBound(c, i, nLeft)).filter((b): b is TimeBound => b !== undefined);
  // The first pair of time columns bounded from both sides; bounds on other pairs stay residual.
  for (const first of bounds) {
    const same = bounds.filter((b) => b.leftTime === first.leftTime && b.rightTime === first.rightTime);
    let lower: IntervalBound | undefined;
    let upper: IntervalBound | undefined;
    for (const b of same) {
      if (b.side === 'lower') lower = tighter('lower', lower, b.bound);
      else upper = tighter('upper', upper, b.bound);
    }
    if (!lower || !upper) continue;
    const used = new Set(same.map((b) => b.conjunct));
    const rest = parts.filter((c, i) => !used.has(i) && !isHashedEquality(c, join, nLeft));
    const residual = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { kind: 'and' as const, args: rest, type: T.bool };
    return {
      leftTime: first.leftTime, rightTime: first.rightTime,
      lowerMicros: lower.micros, lowerInclusive: lower.inclusive,
      upperMicros: upper.micros, upperInclusive: upper.inclusive,
      residual,
    };
  }
  return undefined;
}

/** An equi-key conjunct `left.c = right.c` that the hash lookup on the keys already decides. */
function isHashedEquality(e: BoundExpr, join: JoinNode, nLeft: number): boolean {
  if (e.kind !== 'call' || e.label !== '=' || e.args.length !== 2) return false;
  const [a, b] = e.args as [BoundExpr, BoundExpr];
  if (a.kind !== 'column' || b.kind !== 'column' || !HASH_DECIDES_EQUALITY.has(a.type.kind) || a.type.kind !== b.type.kind) return false;
  const [l, r] = a.index < nLeft ? [a.index, b.index - nLeft] : [b.index, a.index - nLeft];
  return join.equiKeys.some(([kl, kr]) => kl === l && kr === r);
}

/** EXPLAIN text of the bounds with each input's column number: `right#1 - left#1 in [-3600s, 0s]`. */
export function describeIntervalBounds(b: IntervalJoinBounds): string {
  const s = (m: number) => `${m / 1_000_000}s`;
  return `right#${b.rightTime} - left#${b.leftTime} in ${b.lowerInclusive ? '[' : '('}${s(b.lowerMicros)}, ${s(b.upperMicros)}${b.upperInclusive ? ']' : ')'}`;
}
