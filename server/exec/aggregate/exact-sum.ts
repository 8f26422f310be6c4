/**
 * Retractable sums for aggregates. NumericSum keeps an exact Decimal sum, the multiset of input
 * scales (so the result's scale is the largest scale still present, as a recomputation would give)
 * and counts of NaN and infinities (which a subtraction could not undo). FloatSum does the same
 * for float8/float4: a running sum of finite values plus counts of the non-finite ones.
 * Both save their state as datums and load it back exactly (checkpoints of aggregate state).
 */
import type { Datum, Decimal } from '../../types/datum.js';
import { Numeric, NUMERIC_NAN, numericAdd, numericFromInt, numericScale, numericSub, withScale } from '../../types/numeric.js';

class SpecialCounts {
  nan = 0;
  posInf = 0;
  negInf = 0;
  /** Records `x` if it is NaN or infinite; false when it is finite. */
  add(isNaN: boolean, isInf: boolean, negative: boolean, sign: 1 | -1): boolean {
    if (isNaN) this.nan += sign;
    else if (isInf && negative) this.negInf += sign;
    else if (isInf) this.posInf += sign;
    else return false;
    return true;
  }
  /** The sum's value when a special is present: 'nan', 1, -1; or undefined when all are finite. */
  outcome(): 'nan' | 1 | -1 | undefined {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) return 'nan';
    if (this.posInf > 0) return 1;
    if (this.negInf > 0) return -1;
    return undefined;
  }
  save(): Datum[] {
    return [this.nan, this.posInf, this.negInf];
  }
  load(state: readonly Datum[]): void {
    this.nan = state[0] as number;
    this.posInf = state[1] as number;
    this.negInf = state[2] as number;
  }
}

export class NumericSum {
  private sum: Decimal = numericFromInt(0);
  private readonly scales = new Map<number, number>();
  private readonly specials = new SpecialCounts();

  add(d: Decimal, sign: 1 | -1): void {
    if (this.specials.add(d.isNaN(), !d.isFinite() && !d.isNaN(), d.isNegative(), sign)) return;
    const s = numericScale(d);
    const n = (this.scales.get(s) ?? 0) + sign;
    if (n === 0) this.scales.delete(s);
    else this.scales.set(s, n);
    this.sum = sign > 0 ? numericAdd(this.sum, d) : numericSub(this.sum, d);
  }

  /** The largest scale among the finite inputs present. */
  scale(): number {
    let m = 0;
    for (const [s, n] of this.scales) if (n > 0 && s > m) m = s;
    return m;
  }

  value(): Decimal {
    const o = this.specials.outcome();
    if (o === 'nan') return NUMERIC_NAN;
    if (o !== undefined) return new Numeric(o * Infinity);
    return withScale(this.sum, this.scale());
  }

  /** The finite part rescaled to `scale` (for sums of squares, whose scale is twice the inputs'). */
  finiteValue(scale: number): Decimal {
    return withScale(this.sum, scale);
  }

  hasSpecial(): boolean {
    return this.specials.outcome() !== undefined;
  }

  /** [sum, [scale, count, ...] in insertion order, [nan, +inf, -inf]]. */
  save(): Datum[] {
    const scales: Datum[] = [];
    for (const [s, n] of this.scales) scales.push(s, n);
    return [this.sum, scales, this.specials.save()];
  }

  load(state: readonly Datum[]): void {
    this.sum = state[0] as Decimal;
    this.scales.clear();
    const scales = state[1] as Datum[];
    for (let i = 0; i < scales.length; i += 2) this.scales.set(scales[i] as number, scales[i + 1] as number);
    this.specials.load(state[2] as Datum[]);
  }
}

export class FloatSum {
  private sum = 0;
  private finite = 0;
  private readonly specials = new SpecialCounts();

  constructor(private readonly single: boolean) {}

  add(x: number, sign: 1 | -1): void {
    if (this.specials.add(Number.isNaN(x), !Number.isFinite(x) && !Number.isNaN(x), x < 0, sign)) return;
    this.finite += sign;
    // With no finite value left, start from an exact zero (no rounding residue from retractions).
    if (this.finite === 0) this.sum = 0;
    else this.sum = this.single ? Math.fround(this.sum + sign * x) : this.sum + sign * x;
  }

  value(): number {
    const o = this.specials.outcome();
    if (o === 'nan') return NaN;
    if (o !== undefined) return o * Infinity;
    return this.sum;
  }

  /** [sum, finite count, [nan, +inf, -inf]]. */
  save(): Datum[] {
    return [this.sum, this.finite, this.specials.save()];
  }

  load(state: readonly Datum[]): void {
    this.sum = state[0] as number;
    this.finite = state[1] as number;
    this.specials.load(state[2] as Datum[]);
  }
}
