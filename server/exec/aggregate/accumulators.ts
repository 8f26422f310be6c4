/**
 * Aggregate state per group. Every accumulator takes rows with a sign (+1 insert, -1 retraction),
 * so the same code serves a batch GROUP BY and an incrementally maintained one: count, sum, avg and
 * the bool aggregates keep counters; min/max keep a value multiset; string_agg/array_agg keep lists.
 * Results follow PostgreSQL: sum of no rows is NULL, count is 0, avg(int) is an exact numeric.
 * Each accumulator saves its whole state as datums and loads it back exactly (checkpoints).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, type Datum, type Decimal } from '../../types/datum.js';
import { Numeric, NUMERIC_NAN, numericDiv, numericFromInt, numericMul, numericScale, numericSub, withScale } from '../../types/numeric.js';
import { FloatSum, NumericSum } from './exact-sum.js';
import { addIntervals, divideInterval, subIntervals } from '../../types/datetime-arith.js';
import type { SqlType } from '../../types/sql-type.js';
import type { AggregateCall } from '../../plan/logical/aggregate-call.js';
import { compareDatums } from '../../plan/type-runtime.js';
import { keyOf, valueKey } from '../row-key.js';
import { compareKeys } from '../operators/sort.js';

export interface Accumulator {
  /** Adds (sign 1) or retracts (sign -1) one row's arguments; `order` holds its ORDER BY keys. */
  add(args: readonly Datum[], sign: 1 | -1, order: readonly Datum[] | undefined): void;
  result(): Datum;
  /**
   * The whole state as datums (nested arrays allowed; the row codec keeps each exactly): `load` of it
   * into a fresh accumulator of the same call gives one that behaves as this one from here on.
   */
  save(): Datum[];
  /** Takes back what `save` gave, into a fresh accumulator created for the same call. */
  load(state: readonly Datum[]): void;
}

const toBig = (v: Datum): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));

class CountAccumulator implements Accumulator {
  /** A number: exact far beyond any row count a group reaches, and no bigint allocated per row. */
  private n = 0;
  constructor(private readonly star: boolean) {}
  add(args: readonly Datum[], sign: 1 | -1): void {
    if (this.star || args[0] !== null) this.n += sign;
  }
  result(): Datum {
    return BigInt(this.n);
  }
  save(): Datum[] {
    return [this.n];
  }
  load(state: readonly Datum[]): void {
    this.n = state[0] as number;
  }
}

/** Beyond this a number sum of int4 values might lose exactness on the next add: it moves to the bigint. */
const SMALL_SUM_LIMIT = 2 ** 52;

/** sum and avg over integers (exact, bigint), numerics (Decimal), floats and intervals. */
class SumAccumulator implements Accumulator {
  private n = 0;
  private int = 0n;
  /** int2/int4 values summed as a number while it stays exact; `int` + `small` is the sum. */
  private small = 0;
  private readonly dec = new NumericSum();
  private readonly float: FloatSum;
  private iv = new Interval(0, 0, 0);

  constructor(private readonly argType: SqlType, private readonly avg: boolean, private readonly resultType: SqlType) {
    this.float = new FloatSum(argType.kind === 'float4');
  }

  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === null) return;
    this.n += sign;
    switch (this.argType.kind) {
      case 'int2': case 'int4':
        if (typeof v !== 'number') {
          this.int += sign > 0 ? toBig(v) : -toBig(v);
          break;
        }
        this.small += sign > 0 ? v : -v;
        if (this.small > SMALL_SUM_LIMIT || this.small < -SMALL_SUM_LIMIT) {
          this.int += BigInt(this.small);
          this.small = 0;
        }
        break;
      case 'int8': this.int += sign > 0 ? toBig(v) : -toBig(v); break;
      case 'numeric': this.dec.add(v as Decimal, sign); break;
      case 'float4': case 'float8': this.float.add(v as number, sign); break;
      case 'interval': this.iv = sign > 0 ? addIntervals(this.iv, v as Interval) : subIntervals(this.iv, v as Interval); break;
      default: throw new SqlError(SQLSTATE.internalError, `sum over ${this.argType.kind}`);
    }
  }

  result(): Datum {
    if (this.n === 0) return null;
    if (this.small !== 0) {
      this.int += BigInt(this.small);
      this.small = 0;
    }
    const k = this.argType.kind;
    if (!this.avg) {
      if (k === 'int2' || k === 'int4') {
        if (this.int > 9223372036854775807n || this.int < -9223372036854775808n) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'bigint out of range');
        return this.int;
      }
      if (k === 'int8') return numericFromInt(this.int);
      if (k === 'numeric') return this.dec.value();
      if (k === 'interval') return this.iv;
      return this.float.value();
    }
    if (k === 'int2' || k === 'int4' || k === 'int8') return numericDiv(numericFromInt(this.int), numericFromInt(this.n));
    if (k === 'numeric') {
      const sum = this.dec.value();
      return sum.isFinite() ? numericDiv(sum, numericFromInt(this.n)) : sum;
    }
    if (k === 'interval') return divideInterval(this.iv, this.n);
    void this.resultType;
    return this.float.value() / this.n;
  }

  /** [n, int, small, numeric sum, float sum, interval]. */
  save(): Datum[] {
    return [this.n, this.int, this.small, this.dec.save(), this.float.save(), this.iv];
  }

  load(state: readonly Datum[]): void {
    this.n = state[0] as number;
    this.int = state[1] as bigint;
    this.small = state[2] as number;
    this.dec.load(state[3] as Datum[]);
    this.float.load(state[4] as Datum[]);
    this.iv = state[5] as Interval;
  }
}

/** min / max over a multiset of values, so a retraction of the current extreme finds the next. */
class ExtremeAccumulator implements Accumulator {
  private readonly values = new Map<string, { v: Datum; n: number }>();
  private best: Datum = null;
  private bestKey: string | undefined;
  private dirty = false;

  constructor(private readonly type: SqlType, private readonly sign: 1 | -1) {}

  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === null) return;
    const key = valueKey(v, this.type.kind === 'bpchar');
    const e = this.values.get(key);
    if (sign > 0) {
      if (e) e.n++;
      else this.values.set(key, { v, n: 1 });
      if (!this.dirty && (this.best === null || compareDatums(v, this.best, this.type) * this.sign > 0)) {
        this.best = v;
        this.bestKey = key;
      }
    } else if (e) {
      if (--e.n === 0) {
        this.values.delete(key);
        // Only losing the extreme itself means searching the remaining values.
        if (key === this.bestKey) this.dirty = true;
      }
    }
  }

  result(): Datum {
    if (this.dirty) {
      this.best = null;
      this.bestKey = undefined;
      for (const [key, { v }] of this.values) {
        if (this.best === null || compareDatums(v, this.best, this.type) * this.sign > 0) {
          this.best = v;
          this.bestKey = key;
        }
      }
      this.dirty = false;
    }
    return this.best;
  }

  /** [dirty, best, bestKey or NULL, [value, count, ...] in insertion order (ties keep the first)]. */
  save(): Datum[] {
    const values: Datum[] = [];
    for (const { v, n } of this.values.values()) values.push(v, n);
    return [this.dirty, this.best, this.bestKey ?? null, values];
  }

  load(state: readonly Datum[]): void {
    this.dirty = state[0] as boolean;
    this.best = state[1]!;
    this.bestKey = (state[2] as string | null) ?? undefined;
    this.values.clear();
    const values = state[3] as Datum[];
    const bpchar = this.type.kind === 'bpchar';
    for (let i = 0; i < values.length; i += 2) {
      const v = values[i]!;
      this.values.set(valueKey(v, bpchar), { v, n: values[i + 1] as number });
    }
  }
}

class BoolAccumulator implements Accumulator {
  private trues = 0;
  private falses = 0;
  constructor(private readonly isAnd: boolean) {}
  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === true) this.trues += sign;
    else if (v === false) this.falses += sign;
  }
  result(): Datum {
    if (this.trues + this.falses === 0) return null;
    return this.isAnd ? this.falses === 0 : this.trues > 0;
  }
  save(): Datum[] {
    return [this.trues, this.falses];
  }
  load(state: readonly Datum[]): void {
    this.trues = state[0] as number;
    this.falses = state[1] as number;
  }
}

/**
 * string_agg / array_agg: the rows in arrival order, or kept sorted by the aggregate's ORDER BY keys
 * (ties in arrival order). A retraction removes an item equal in both arguments and ORDER BY keys.
 */
class ListAccumulator implements Accumulator {
  private items: { args: Datum[]; order: readonly Datum[] | undefined; key: string }[] = [];

  constructor(
    private readonly kind: 'string_agg' | 'array_agg',
    private readonly orderKeys: readonly { type: SqlType; desc: boolean; nullsFirst: boolean }[],
    /** DISTINCT without ORDER BY: PostgreSQL sorts by the argument itself. */
    private readonly orderByArgument = false,
  ) {}

  private static itemKey(args: readonly Datum[], order: readonly Datum[] | undefined): string {
    return keyOf(args) + (order ? `#${keyOf(order)}` : '');
  }

  /** The first index whose order keys sort after `order` (upper bound), or (lower) not before it. */
  private bound(order: readonly Datum[], upper: boolean): number {
    let lo = 0, hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareKeys(this.items[mid]!.order!, order, this.orderKeys);
      if (c < 0 || (upper && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(args: readonly Datum[], sign: 1 | -1, order0: readonly Datum[] | undefined): void {
    if (this.kind === 'string_agg' && args[0] === null) return;
    const order = this.orderByArgument ? [args[0]!] : order0;
    const sorted = this.orderKeys.length > 0;
    const key = ListAccumulator.itemKey(args, order);
    if (sign > 0) {
      const item = { args: [...args], order, key };
      if (sorted) this.items.splice(this.bound(order!, true), 0, item);
      else this.items.push(item);
      return;
    }
    let at = -1;
    if (sorted) {
      const end = this.bound(order!, true);
      for (let i = this.bound(order!, false); i < end; i++) if (this.items[i]!.key === key) at = i;
    } else at = this.items.findIndex((it) => it.key === key);
    if (at >= 0) this.items.splice(at, 1);
  }

  result(): Datum {
    if (this.items.length === 0) return null;
    const items = this.items;
    if (this.kind === 'array_agg') return items.map((it) => it.args[0]!);
    if (items[0]!.args[0] instanceof Uint8Array) {
      const parts: number[] = [];
      items.forEach((it, i) => {
        if (i > 0 && it.args[1] !== null) parts.push(...(it.args[1] as Uint8Array));
        parts.push(...(it.args[0] as Uint8Array));
      });
      return new Uint8Array(parts);
    }
    let s = '';
    items.forEach((it, i) => {
      if (i > 0 && it.args[1] !== null) s += it.args[1] as string;
      s += it.args[0] as string;
    });
    return s;
  }

  /** [args, order keys or NULL, ...] per item in list order. */
  save(): Datum[] {
    const state: Datum[] = [];
    for (const it of this.items) state.push(it.args, it.order ? [...it.order] : null);
    return state;
  }

  load(state: readonly Datum[]): void {
    this.items = [];
    for (let i = 0; i < state.length; i += 2) {
      const args = state[i] as Datum[];
      const order = (state[i + 1] as Datum[] | null) ?? undefined;
      this.items.push({ args, order, key: ListAccumulator.itemKey(args, order) });
    }
  }
}

/**
 * Variance family: floats by Youngs-Cramer as PostgreSQL (its inverse step undoes a retraction);
 * exact types by exact sums of x and x^2 whose scales follow the inputs still present.
 */
class VarianceAccumulator implements Accumulator {
  private n = 0;
  private sx = 0;
  private sxx = 0;
  /** Float inputs that are NaN or infinite: any makes the result NaN, as PostgreSQL. */
  private nonFinite = 0;
  private readonly dx = new NumericSum();
  private readonly dxx = new NumericSum();

  constructor(private readonly argType: SqlType, private readonly sample: boolean, private readonly stddev: boolean) {}

  private get exact(): boolean {
    return this.argType.kind !== 'float4' && this.argType.kind !== 'float8';
  }

  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === null) return;
    if (this.exact) {
      const d = typeof v === 'number' || typeof v === 'bigint' ? numericFromInt(v) : (v as Decimal);
      this.n += sign;
      this.dx.add(d, sign);
      this.dxx.add(d.isFinite() ? numericMul(d, d) : d, sign);
      return;
    }
    const x = v as number;
    if (!Number.isFinite(x)) {
      this.nonFinite += sign;
      this.n += sign;
      return;
    }
    const finite = this.n - this.nonFinite;
    if (sign > 0) {
      this.n++;
      this.sx += x;
      if (finite + 1 > 1) {
        const t = x * (finite + 1) - this.sx;
        this.sxx += (t * t) / ((finite + 1) * finite);
      } else this.sxx = 0;
    } else {
      if (finite > 1) {
        const t = x * finite - this.sx;
        this.sxx -= (t * t) / (finite * (finite - 1));
      }
      this.n--;
      this.sx -= x;
      if (finite - 1 <= 1) this.sxx = 0;
      if (finite - 1 === 0) this.sx = 0;
    }
  }

  result(): Datum {
    if (this.n === 0 || (this.sample && this.n === 1)) return null;
    if (!this.exact) {
      if (this.nonFinite > 0) return NaN;
      const v = Math.max(0, this.sxx) / (this.sample ? this.n - 1 : this.n);
      return this.stddev ? Math.sqrt(v) : v;
    }
    if (this.dx.hasSpecial()) return NUMERIC_NAN;
    const scale = this.dx.scale();
    const dx = this.dx.finiteValue(scale);
    const dxx = this.dxx.finiteValue(scale * 2);
    const n = numericFromInt(this.n);
    const num = numericSub(numericMul(n, dxx), numericMul(dx, dx));
    if (num.isZero() || num.isNegative()) return numericFromInt(0);
    const den = numericMul(n, numericFromInt(this.sample ? this.n - 1 : this.n));
    const variance = numericDiv(num, den);
    if (!this.stddev) return variance;
    return withScale(new Numeric(variance.toString()).sqrt(), numericScale(variance));
  }

  /** [n, sx, sxx, nonFinite, sum of x, sum of x^2]. */
  save(): Datum[] {
    return [this.n, this.sx, this.sxx, this.nonFinite, this.dx.save(), this.dxx.save()];
  }

  load(state: readonly Datum[]): void {
    this.n = state[0] as number;
    this.sx = state[1] as number;
    this.sxx = state[2] as number;
    this.nonFinite = state[3] as number;
    this.dx.load(state[4] as Datum[]);
    this.dxx.load(state[5] as Datum[]);
  }
}

/** DISTINCT: feeds the inner accumulator only when a value's count goes 0 -> 1 or 1 -> 0. */
class DistinctAccumulator implements Accumulator {
  private readonly counts = new Map<string, number>();
  constructor(private readonly inner: Accumulator) {}
  add(args: readonly Datum[], sign: 1 | -1, order: readonly Datum[] | undefined): void {
    const k = keyOf(args);
    const before = this.counts.get(k) ?? 0;
    const after = before + sign;
    if (after <= 0) this.counts.delete(k);
    else this.counts.set(k, after);
    if (before === 0 && after > 0) this.inner.add(args, 1, order);
    else if (before > 0 && after <= 0) this.inner.add(args, -1, order);
  }
  result(): Datum {
    return this.inner.result();
  }
  /** [[value key, count, ...], inner state]. */
  save(): Datum[] {
    const counts: Datum[] = [];
    for (const [k, n] of this.counts) counts.push(k, n);
    return [counts, this.inner.save()];
  }
  load(state: readonly Datum[]): void {
    this.counts.clear();
    const counts = state[0] as Datum[];
    for (let i = 0; i < counts.length; i += 2) this.counts.set(counts[i] as string, counts[i + 1] as number);
    this.inner.load(state[1] as Datum[]);
  }
}

export function createAccumulator(call: AggregateCall): Accumulator {
  const t = call.argTypes[0]!;
  let acc: Accumulator;
  switch (call.name) {
    case 'count': acc = new CountAccumulator(call.star); break;
    case 'sum': acc = new SumAccumulator(t, false, call.type); break;
    case 'avg': acc = new SumAccumulator(t, true, call.type); break;
    case 'min': acc = new ExtremeAccumulator(t, -1); break;
    case 'max': acc = new ExtremeAccumulator(t, 1); break;
    case 'bool_and': case 'every': acc = new BoolAccumulator(true); break;
    case 'bool_or': acc = new BoolAccumulator(false); break;
    case 'string_agg': case 'array_agg': {
      const byArgument = call.distinct && call.orderBy.length === 0;
      const keys = byArgument ? [{ type: t, desc: false, nullsFirst: false }] : call.orderBy.map((k) => ({ type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
      acc = new ListAccumulator(call.name, keys, byArgument);
      break;
    }
    case 'stddev': case 'stddev_samp': acc = new VarianceAccumulator(t, true, true); break;
    case 'stddev_pop': acc = new VarianceAccumulator(t, false, true); break;
    case 'variance': case 'var_samp': acc = new VarianceAccumulator(t, true, false); break;
    case 'var_pop': acc = new VarianceAccumulator(t, false, false); break;
    default: throw new SqlError(SQLSTATE.undefinedFunction, `aggregate ${call.name} is not implemented`);
  }
  return call.distinct ? new DistinctAccumulator(acc) : acc;
}
