/**
 * PostgreSQL `numeric` on decimal.js: a high-precision Decimal clone plus the display scale (dscale)
 * PostgreSQL keeps beside each value ('1.50' stays 1.50). The scale rides on the Decimal instance as
 * `dscale`; every operation here computes the result scale by PostgreSQL's rules (sum: max scale,
 * product: sum of scales, quotient: select_div_scale) and rounds half away from zero.
 */
import { Decimal as DecimalCtor } from 'decimal.js';
import { SqlError, SQLSTATE, err } from '../errors.js';
import type { Decimal } from './datum.js';

/** Decimal constructor for numeric values: wide precision, half-away-from-zero, never exponent form. */
export const Numeric = DecimalCtor.clone({
  precision: 1200,
  rounding: DecimalCtor.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
  minE: -9e15,
  maxE: 9e15,
});
/** Working constructor for quotients: truncates (the caller rounds once at the final scale). */
const Truncating = Numeric.clone({ rounding: DecimalCtor.ROUND_DOWN });

const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;
/** numeric's limits: 131072 digits before the point, 16383 after. */
const MAX_WEIGHT_DIGITS = 131072;

type Scaled = Decimal & { dscale?: number };

export function isNumeric(v: unknown): v is Decimal {
  return DecimalCtor.isDecimal(v);
}

/** The display scale of a numeric: the one recorded, else its own decimal places. */
export function numericScale(d: Decimal): number {
  const s = (d as Scaled).dscale;
  if (s !== undefined) return s;
  return d.isFinite() ? d.decimalPlaces() : 0;
}

/** `d` rounded (half away from zero) to `scale` places, remembering that display scale. */
export function withScale(d: Decimal, scale: number): Decimal {
  if (!d.isFinite()) return d;
  const s = Math.max(0, scale);
  const r = (d.decimalPlaces() > s ? d.toDecimalPlaces(s, DecimalCtor.ROUND_HALF_UP) : new Numeric(d)) as Scaled;
  r.dscale = s;
  return r;
}

export const NUMERIC_NAN: Decimal = new Numeric(NaN);

export function numericFromInt(n: number | bigint): Decimal {
  const d = new Numeric(typeof n === 'number' && Number.isSafeInteger(n) ? n : n.toString()) as Scaled;
  d.dscale = 0;
  return d;
}

/** decimal.js's instance layout: sign, base-10 exponent of the first digit, base-1e7 words. */
interface NumericLayout {
  constructor: typeof Numeric;
  s: number;
  e: number;
  d: number[];
  dscale: number;
}

/**
 * Makes a Numeric instance from its parts without parsing: same prototype and the same own
 * properties, in the same order, as decimal.js's constructor followed by setting `dscale`.
 */
const NumericFromLayout = function (this: NumericLayout, s: number, e: number, d: number[], dscale: number) {
  this.constructor = Numeric;
  this.s = s;
  this.e = e;
  this.d = d;
  this.dscale = dscale;
} as unknown as new (s: number, e: number, d: number[], dscale: number) => Decimal;
(NumericFromLayout as unknown as { prototype: object }).prototype = Numeric.prototype;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];
/** 10^-k, rounded: multiplying by it is much cheaper than dividing by 10^k. */
const INV_POW10 = [1, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7];
const WORD = 1e7;

function digitsOfWord(w: number): number {
  return w < 1e4 ? (w < 100 ? (w < 10 ? 1 : 2) : w < 1e3 ? 3 : 4) : w < 1e6 ? (w < 1e5 ? 5 : 6) : 7;
}

/**
 * floor(m / divisor) for a safe integer m >= 0 and divisor = 10^k (1 <= k <= 7), `inverse` = 10^-k,
 * without `%` or `/` (slow in floating point): m * 10^-k is within 1/5 of m / 10^k, so its floor
 * is off by at most one, and q * divisor is exact (an even integer below 2^54), so the remainder
 * tells which way to correct it.
 */
function floorDiv(m: number, divisor: number, inverse: number): number {
  const q = Math.floor(m * inverse);
  const r = m - q * divisor;
  return r < 0 ? q - 1 : r >= divisor ? q + 1 : q;
}

/** Builds numerics of one display scale from scaled integers: see `scaledIntToNumeric`. */
export type ScaledIntToNumeric = (sign: number, magnitude: number) => Decimal;

/**
 * The builder of numerics `sign * magnitude * 10^-scale` with display scale `scale`, straight into
 * decimal.js's layout (words aligned on powers of 10^7, no leading or trailing zero word): the
 * hot-path twin of `withScale(new Numeric(text), scale)`. `magnitude` must be a safe integer >= 0,
 * `scale` an integer >= 0; `sign` (1 or -1) is kept on a zero, as decimal.js keeps -0.
 */
export function scaledIntToNumeric(scale: number): ScaledIntToNumeric {
  // The lowest word holds the powers 10^(7k)..10^(7k+6) with k = floor(-scale / 7); the last digit
  // of the magnitude sits `pad` places up in it, so it takes the magnitude's last 7 - pad digits.
  const pad = (7 - (scale % 7)) % 7;
  const split = POW10[7 - pad]!;
  const splitInverse = INV_POW10[7 - pad]!;
  const padFactor = POW10[pad]!;
  const lowestExponent = -scale - pad - 1; // of the lowest word's lowest digit, less one
  // Kept small enough for V8 to inline into the caller (so the magnitude is never boxed); values
  // of more than two words take the out-of-line path.
  return (sign, magnitude) => {
    const hi = floorDiv(magnitude, split, splitInverse);
    // Words below 10^7 go in as int32 (`| 0`), so V8 keeps them as small integers, as decimal.js does.
    const w0 = ((magnitude - hi * split) * padFactor) | 0;
    if (hi >= WORD) return numericFromWords(sign, hi, w0, lowestExponent, scale);
    const w1 = hi | 0;
    if (w1 !== 0) return new NumericFromLayout(sign, lowestExponent + 7 + digitsOfWord(w1), w0 === 0 ? [w1] : [w1, w0], scale);
    if (w0 !== 0) return new NumericFromLayout(sign, lowestExponent + digitsOfWord(w0), [w0], scale);
    return new NumericFromLayout(sign, 0, [0], scale);
  };
}

/** The rest of `scaledIntToNumeric` for hi >= 10^7: hi < 2^53 / 10 makes up to three words w3 w2 w1, w3 < 10. */
function numericFromWords(sign: number, hi: number, w0: number, lowestExponent: number, scale: number): Decimal {
  const upper = floorDiv(hi, WORD, 1e-7);
  const w1 = (hi - upper * WORD) | 0;
  if (upper < WORD) {
    const w2 = upper | 0;
    const d = w0 !== 0 ? [w2, w1, w0] : w1 !== 0 ? [w2, w1] : [w2];
    return new NumericFromLayout(sign, lowestExponent + 14 + digitsOfWord(w2), d, scale);
  }
  const w3 = floorDiv(upper, WORD, 1e-7) | 0;
  const w2 = (upper - w3 * WORD) | 0;
  const d = w0 !== 0 ? [w3, w2, w1, w0] : w1 !== 0 ? [w3, w2, w1] : w2 !== 0 ? [w3, w2] : [w3];
  return new NumericFromLayout(sign, lowestExponent + 21 + digitsOfWord(w3), d, scale);
}

/** `scaledIntToNumeric(scale)(sign, magnitude)`, for one-off values. */
export function numericFromScaledInt(sign: number, magnitude: number, scale: number): Decimal {
  return scaledIntToNumeric(scale)(sign, magnitude);
}

/**
 * `|d| * 10^scale` as a safe integer when `d` is finite and that is an exact safe integer, else
 * undefined. Used once per constant to set up the integer fast paths.
 */
export function numericMagnitudeAtScale(d: Decimal, scale: number): number | undefined {
  if (!d.isFinite() || scale < 0 || scale > 1000) return undefined;
  const m = d.abs().times(new Numeric(10).pow(scale));
  if (!m.isInteger() || m.gt(Number.MAX_SAFE_INTEGER)) return undefined;
  return m.toNumber();
}

/**
 * `withScale` for a value this module just computed (nobody else holds it): when no rounding is
 * needed the scale is recorded on it instead of on a copy. Arithmetic on every row goes through here.
 */
function withScaleFresh(d: Decimal, scale: number): Decimal {
  if (!d.isFinite()) return d;
  const s = Math.max(0, scale);
  if (d.decimalPlaces() > s) return withScale(d, s);
  (d as Scaled).dscale = s;
  return d;
}

function clampScale(s: number): number {
  return Math.min(MAX_DISPLAY_SCALE, Math.max(0, s));
}

function checkRange(d: Decimal): Decimal {
  if (d.isFinite() && !d.isZero() && d.e >= MAX_WEIGHT_DIGITS) throw err.outOfRange('value overflows numeric format');
  return d;
}

export function numericAdd(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  return checkRange(withScaleFresh(a.plus(b), Math.max(numericScale(a), numericScale(b))));
}

export function numericSub(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  return checkRange(withScaleFresh(a.minus(b), Math.max(numericScale(a), numericScale(b))));
}

export function numericMul(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  const exact = exactProduct(a, b);
  return checkRange(withScaleFresh(exact, clampScale(numericScale(a) + numericScale(b))));
}

function exactProduct(a: Decimal, b: Decimal): Decimal {
  const need = a.sd() + b.sd() + 2;
  if (need <= Numeric.precision) return a.times(b);
  const Wide = Numeric.clone({ precision: need });
  return new Numeric(new Wide(a.toString()).times(b.toString()).toString());
}

/**
 * PostgreSQL's weight and first digit in base 10000: the quotient scale depends on them.
 */
function base10000Head(d: Decimal): { weight: number; first: number } {
  if (d.isZero()) return { weight: 0, first: 0 };
  const e = d.e; // decimal exponent of the first significant digit
  const weight = Math.floor(e / 4);
  const digitsInGroup = e - weight * 4 + 1; // 1..4 leading decimal digits in the first group
  const sig = d.abs().toFixed().replace('.', '').replace(/^0+/, '');
  const first = Number(sig.slice(0, digitsInGroup).padEnd(digitsInGroup, '0'));
  return { weight, first };
}

/** Result scale of a / b as PostgreSQL's select_div_scale picks it. */
export function divisionScale(a: Decimal, b: Decimal): number {
  const ha = base10000Head(a);
  const hb = base10000Head(b);
  let qweight = ha.weight - hb.weight;
  if (ha.first <= hb.first) qweight--;
  let rscale = MIN_SIG_DIGITS - qweight * 4;
  rscale = Math.max(rscale, numericScale(a), numericScale(b));
  return clampScale(rscale);
}

/** a / b correctly rounded to `scale` places (half away from zero). */
export function divideToScale(a: Decimal, b: Decimal, scale: number): Decimal {
  const intDigits = Math.max(1, a.e - b.e + 2);
  const prec = intDigits + scale + 4;
  const Ctor = prec <= Truncating.precision ? Truncating : Truncating.clone({ precision: prec });
  const q = new Ctor(a.toString()).div(b.toString());
  return withScale(new Numeric(q.toString()), scale);
}

export function numericDiv(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  if (b.isZero()) throw err.divisionByZero();
  return checkRange(divideToScale(a, b, divisionScale(a, b)));
}

/** Integer division truncating toward zero (div(numeric, numeric)). */
export function numericDivTrunc(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  if (b.isZero()) throw err.divisionByZero();
  return withScale(new Truncating(a.toString()).div(b.toString()).trunc(), 0);
}

export function numericMod(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return NUMERIC_NAN;
  if (b.isZero()) throw err.divisionByZero();
  const q = numericDivTrunc(a, b);
  return withScale(a.minus(exactProduct(q, b)), Math.max(numericScale(a), numericScale(b)));
}

export function numericNeg(a: Decimal): Decimal {
  if (a.isNaN()) return a;
  return withScale(a.neg(), numericScale(a));
}

export function numericAbs(a: Decimal): Decimal {
  if (a.isNaN()) return a;
  return withScale(a.abs(), numericScale(a));
}

/** round(x, n): half away from zero; negative n rounds left of the point. Scale becomes max(n, 0). */
export function numericRound(a: Decimal, places = 0): Decimal {
  if (a.isNaN()) return a;
  if (places >= 0) return withScale(a, Math.min(places, MAX_DISPLAY_SCALE));
  const f = new Numeric(10).pow(-places);
  return withScale(a.div(f).toDecimalPlaces(0, DecimalCtor.ROUND_HALF_UP).times(f), 0);
}

export function numericTrunc(a: Decimal, places = 0): Decimal {
  if (a.isNaN()) return a;
  if (places >= 0) {
    const r = a.toDecimalPlaces(Math.min(places, MAX_DISPLAY_SCALE), DecimalCtor.ROUND_DOWN);
    return withScale(r, places);
  }
  const f = new Numeric(10).pow(-places);
  return withScale(a.div(f).trunc().times(f), 0);
}

export function numericCeil(a: Decimal): Decimal {
  return a.isNaN() ? a : withScale(a.ceil(), 0);
}

export function numericFloor(a: Decimal): Decimal {
  return a.isNaN() ? a : withScale(a.floor(), 0);
}

/** Decode a numeric typmod into precision and scale (typmod = ((p << 16) | s) + 4). */
export function numericTypmod(typmod: number): { precision: number; scale: number } | undefined {
  if (typmod < 4) return undefined;
  const t = typmod - 4;
  const precision = (t >> 16) & 0xffff;
  let scale = t & 0x7ff;
  if (scale & 0x400) scale -= 0x800; // PostgreSQL 15 allows negative scales
  return { precision, scale };
}

export function makeNumericTypmod(precision: number, scale = 0): number {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

/** Coerce to numeric(p,s): round to s places, then error 22003 when more than p-s integer digits remain. */
export function applyNumericTypmod(a: Decimal, typmod: number): Decimal {
  const tm = numericTypmod(typmod);
  if (!tm || a.isNaN()) return a;
  const r = numericRound(a, tm.scale);
  const scaled = tm.scale < 0 ? withScale(r, 0) : r;
  const maxIntDigits = tm.precision - tm.scale;
  if (!r.isZero() && r.e + 1 > maxIntDigits) {
    const bound = maxIntDigits <= 0 ? `less than 10^${maxIntDigits}` : `less than 10^${maxIntDigits}`;
    throw new SqlError(SQLSTATE.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${tm.precision}, scale ${tm.scale} must round to an absolute value ${bound}.`,
    });
  }
  return scaled;
}

/** PostgreSQL's text for a numeric: fixed-point with exactly dscale decimals, NaN as "NaN". */
export function numericToString(d: Decimal): string {
  if (d.isNaN()) return 'NaN';
  if (!d.isFinite()) return d.isNegative() ? '-Infinity' : 'Infinity';
  const s = d.toFixed(numericScale(d));
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** Parse numeric input text: digits with optional sign, point and exponent; NaN; keeps the written scale. */
export function parseNumeric(text: string): Decimal {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return NUMERIC_NAN;
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return new Numeric(Infinity);
  if (lower === '-infinity' || lower === '-inf') return new Numeric(-Infinity);
  const m = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) throw err.invalidText('numeric', text);
  const frac = m[2].includes('.') ? m[2].length - m[2].indexOf('.') - 1 : 0;
  const exp = m[3] ? Number(m[3]) : 0;
  if (Math.abs(exp) > 1000) throw err.invalidText('numeric', text);
  const d = new Numeric(m[1] + m[2] + (m[3] ? 'e' + m[3] : ''));
  return checkRange(withScale(d, Math.max(0, frac - exp)));
}

/** Estimated decimal weight of ln(x), which sets the scale of ln/log results. */
function lnWeight(x: Decimal): number {
  if (x.lte(0)) return 0;
  if (x.gte('0.9') && x.lte('1.1')) {
    const d = x.minus(1);
    return d.isZero() ? 0 : d.e;
  }
  const ln = Math.log(x.toNumber());
  const v = Number.isFinite(ln) ? ln : x.ln().toNumber();
  return Math.trunc(Math.log10(Math.abs(v)));
}

function resultScale(weight: number, ...inputs: Decimal[]): number {
  let s = MIN_SIG_DIGITS - weight;
  for (const d of inputs) s = Math.max(s, numericScale(d));
  return clampScale(s);
}

function lnDomain(x: Decimal): void {
  if (x.isZero()) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (x.isNegative()) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
}

export function numericLn(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  lnDomain(x);
  const scale = resultScale(lnWeight(x), x);
  const W = wideCtor(scale + 20 + Math.abs(x.e));
  return withScale(new Numeric(new W(x.toString()).ln().toString()), scale);
}

/** log(base, x) for numerics; log10 is log(10, x). */
export function numericLog(base: Decimal, x: Decimal): Decimal {
  if (x.isNaN() || base.isNaN()) return NUMERIC_NAN;
  lnDomain(x);
  lnDomain(base);
  if (base.eq(1)) throw err.divisionByZero();
  const scale = resultScale(lnWeight(x) - lnWeight(base), base, x);
  const W = wideCtor(scale + 30 + Math.abs(x.e) + Math.abs(base.e));
  const r = new W(x.toString()).ln().div(new W(base.toString()).ln());
  return withScale(new Numeric(r.toString()), scale);
}

export function numericExp(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  let w = x.toNumber() * 0.434294481903252;
  w = Math.max(-2000, Math.min(2000, w));
  const scale = resultScale(Math.trunc(w), x);
  const W = wideCtor(scale + Math.max(0, Math.ceil(w)) + 20);
  return checkRange(withScale(new Numeric(new W(x.toString()).exp().toString()), scale));
}

export function numericSqrt(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  if (x.isNegative()) throw new SqlError('2201F', 'cannot take square root of a negative number');
  const weight10000 = x.isZero() ? 0 : Math.floor(x.e / 4);
  const sweight = Math.trunc(((weight10000 + 1) * 4) / 2) - 1;
  const scale = resultScale(sweight, x);
  const W = wideCtor(scale + Math.abs(x.e) + 20);
  return withScale(new Numeric(new W(x.toString()).sqrt().toString()), scale);
}

export function numericPower(base: Decimal, exp: Decimal): Decimal {
  if (base.isNaN() || exp.isNaN()) return base.isNaN() && !(exp.isZero()) ? NUMERIC_NAN : exp.isZero() ? withScale(new Numeric(1), 0) : NUMERIC_NAN;
  if (base.isZero() && exp.isNegative()) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  if (base.isNegative() && !exp.isInteger()) throw new SqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  let scale: number;
  if (exp.isInteger()) {
    scale = resultScale(0, base, exp);
  } else {
    const w = exp.toNumber() * Math.log10(Math.abs(base.toNumber()));
    scale = resultScale(Number.isFinite(w) ? Math.trunc(w) : 0, base, exp);
  }
  const digits = Math.abs(exp.toNumber() * Math.log10(Math.max(1e-300, Math.abs(base.toNumber()))));
  const W = wideCtor(scale + Math.ceil(digits) + 30);
  const r = new W(base.toString()).pow(exp.toString());
  return checkRange(withScale(new Numeric(r.toString()), scale));
}

const wideCache = new Map<number, typeof Numeric>();
function wideCtor(precision: number): typeof Numeric {
  const p = Math.max(40, Math.ceil(precision / 50) * 50);
  let c = wideCache.get(p);
  if (!c) {
    c = Numeric.clone({ precision: p });
    wideCache.set(p, c);
  }
  return c;
}
