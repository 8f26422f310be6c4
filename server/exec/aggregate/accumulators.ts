/**
 * Aggregate state per group. Every accumulator takes rows with a sign (+1 insert, -1 retraction),
 * so the same code serves a batch GROUP BY and an incrementally maintained one: count, sum, avg and
 * the bool aggregates keep counters; min/max keep a value multiset; string_agg/array_agg keep lists.
 * Results follow PostgreSQL: sum of no rows is NULL, count is 0, avg(int) is an exact numeric.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, type Datum, type Decimal } from '../../types/datum.js';
import { Numeric, numericAdd, numericDiv, numericFromInt, numericMul, numericScale, numericSub, withScale } from '../../types/numeric.js';
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
}

const toBig = (v: Datum): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));

class CountAccumulator implements Accumulator {
  private n = 0n;
  constructor(private readonly star: boolean) {}
  add(args: readonly Datum[], sign: 1 | -1): void {
    if (this.star || args[0] !== null) this.n += BigInt(sign);
  }
  result(): Datum {
    return this.n;
  }
}

/** sum and avg over integers (exact, bigint), numerics (Decimal), floats and intervals. */
class SumAccumulator implements Accumulator {
  private n = 0;
  private int = 0n;
  private dec: Decimal | null = null;
  private float = 0;
  private iv = new Interval(0, 0, 0);

  constructor(private readonly argType: SqlType, private readonly avg: boolean, private readonly resultType: SqlType) {}

  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === null) return;
    this.n += sign;
    switch (this.argType.kind) {
      case 'int2': case 'int4': case 'int8': this.int += sign > 0 ? toBig(v) : -toBig(v); break;
      case 'numeric': {
        const d = v as Decimal;
        this.dec = this.dec === null ? (sign > 0 ? d : numericSub(numericFromInt(0), d)) : sign > 0 ? numericAdd(this.dec, d) : numericSub(this.dec, d);
        break;
      }
      case 'float4': this.float = Math.fround(this.float + sign * (v as number)); break;
      case 'float8': this.float += sign * (v as number); break;
      case 'interval': this.iv = sign > 0 ? addIntervals(this.iv, v as Interval) : subIntervals(this.iv, v as Interval); break;
      default: throw new SqlError(SQLSTATE.internalError, `sum over ${this.argType.kind}`);
    }
  }

  result(): Datum {
    if (this.n === 0) return null;
    const k = this.argType.kind;
    if (!this.avg) {
      if (k === 'int2' || k === 'int4') {
        if (this.int > 9223372036854775807n || this.int < -9223372036854775808n) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'bigint out of range');
        return this.int;
      }
      if (k === 'int8') return numericFromInt(this.int);
      if (k === 'numeric') return this.dec;
      if (k === 'interval') return this.iv;
      return this.float;
    }
    if (k === 'int2' || k === 'int4' || k === 'int8') return numericDiv(numericFromInt(this.int), numericFromInt(this.n));
    if (k === 'numeric') return numericDiv(this.dec!, numericFromInt(this.n));
    if (k === 'interval') return divideInterval(this.iv, this.n);
    void this.resultType;
    return this.float / this.n;
  }
}

/** min / max over a multiset of values, so a retraction of the current extreme finds the next. */
class ExtremeAccumulator implements Accumulator {
  private readonly values = new Map<string, { v: Datum; n: number }>();
  private best: Datum = null;
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
      if (!this.dirty && (this.best === null || compareDatums(v, this.best, this.type) * this.sign > 0)) this.best = v;
    } else if (e) {
      if (--e.n === 0) this.values.delete(key);
      this.dirty = true;
    }
  }

  result(): Datum {
    if (this.dirty) {
      this.best = null;
      for (const { v } of this.values.values()) if (this.best === null || compareDatums(v, this.best, this.type) * this.sign > 0) this.best = v;
      this.dirty = false;
    }
    return this.best;
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
}

/** string_agg / array_agg: the rows in arrival order, or sorted by the aggregate's ORDER BY. */
class ListAccumulator implements Accumulator {
  private readonly items: { args: Datum[]; order: readonly Datum[] | undefined }[] = [];

  constructor(
    private readonly kind: 'string_agg' | 'array_agg',
    private readonly orderKeys: readonly { type: SqlType; desc: boolean; nullsFirst: boolean }[],
    /** DISTINCT without ORDER BY: PostgreSQL sorts by the argument itself. */
    private readonly orderByArgument = false,
  ) {}

  add(args: readonly Datum[], sign: 1 | -1, order0: readonly Datum[] | undefined): void {
    if (this.kind === 'string_agg' && args[0] === null) return;
    const order = this.orderByArgument ? [args[0]!] : order0;
    if (sign > 0) {
      this.items.push({ args: [...args], order });
      return;
    }
    const k = keyOf(args);
    const at = this.items.findIndex((it) => keyOf(it.args) === k);
    if (at >= 0) this.items.splice(at, 1);
  }

  result(): Datum {
    if (this.items.length === 0) return null;
    const items = this.orderKeys.length > 0
      ? this.items.map((it, i) => ({ it, i })).sort((a, b) => compareKeys(a.it.order!, b.it.order!, this.orderKeys) || a.i - b.i).map((x) => x.it)
      : this.items;
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
}

/** Variance family: floats by Youngs-Cramer as PostgreSQL; exact types by exact sums. */
class VarianceAccumulator implements Accumulator {
  private n = 0;
  private sx = 0;
  private sxx = 0;
  private dx: Decimal = numericFromInt(0);
  private dxx: Decimal = numericFromInt(0);

  constructor(private readonly argType: SqlType, private readonly sample: boolean, private readonly stddev: boolean) {}

  private get exact(): boolean {
    return this.argType.kind !== 'float4' && this.argType.kind !== 'float8';
  }

  add(args: readonly Datum[], sign: 1 | -1): void {
    const v = args[0]!;
    if (v === null) return;
    if (this.exact) {
      const d = typeof v === 'number' || typeof v === 'bigint' ? numericFromInt(v) : (v as Decimal);
      const sq = numericMul(d, d);
      this.n += sign;
      this.dx = sign > 0 ? numericAdd(this.dx, d) : numericSub(this.dx, d);
      this.dxx = sign > 0 ? numericAdd(this.dxx, sq) : numericSub(this.dxx, sq);
      return;
    }
    const x = v as number;
    if (sign > 0) {
      this.n++;
      this.sx += x;
      if (this.n > 1) {
        const t = x * this.n - this.sx;
        this.sxx += (t * t) / (this.n * (this.n - 1));
      } else this.sxx = 0;
    } else {
      const t = x * this.n - this.sx;
      if (this.n > 1) this.sxx -= (t * t) / (this.n * (this.n - 1));
      this.n--;
      this.sx -= x;
      if (this.n <= 1) this.sxx = 0;
    }
  }

  result(): Datum {
    if (this.n === 0 || (this.sample && this.n === 1)) return null;
    if (!this.exact) {
      const v = this.sxx / (this.sample ? this.n - 1 : this.n);
      return this.stddev ? Math.sqrt(v) : v;
    }
    const n = numericFromInt(this.n);
    const num = numericSub(numericMul(n, this.dxx), numericMul(this.dx, this.dx));
    if (num.isZero() || num.isNegative()) return numericFromInt(0);
    const den = numericMul(n, numericFromInt(this.sample ? this.n - 1 : this.n));
    const variance = numericDiv(num, den);
    if (!this.stddev) return variance;
    return withScale(new Numeric(variance.toString()).sqrt(), numericScale(variance));
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
