/**
 * float4/float8 text I/O as PostgreSQL 15 prints it with extra_float_digits = 1: the shortest
 * digits that read back to the same value, in fixed notation for decimal exponents in [-4, 15)
 * (float4: [-4, 6)) and 'd.ddde+XX' otherwise; 'NaN', 'Infinity', '-Infinity'.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { Numeric } from './numeric.js';

function shortestDigits(x: number, float4: boolean): { digits: string; exp: number } {
  let s: string;
  if (float4) {
    s = shortestFloat32(x);
  } else {
    s = x.toExponential();
    // JS may pick digits lying exactly on a rounding boundary, which Ryu (PostgreSQL) never does;
    // only large magnitudes have boundaries short enough to be printed (see shortestOffBoundary)
    if (x >= 2 ** 50 && onBoundary(s, x)) s = shortestOffBoundary(x);
  }
  const [mant, e] = s.split('e');
  return { digits: mant.replace('-', '').replace('.', ''), exp: Number(e) };
}

/**
 * Shortest digits that read back as the float32 `x` (x > 0), as Ryu's f2s picks them: ties between
 * two candidates go to the even digit, and a candidate exactly on a rounding boundary is refused.
 */
function shortestFloat32(x: number): string {
  const exact = new Numeric(exactDecimalOfDouble(x));
  const upperMid = (x + nextFloat32(x, Infinity)) / 2;
  const lowerMid = (x + nextFloat32(x, 0)) / 2;
  for (let p = 1; p <= 9; p++) {
    const cand = exact.toSignificantDigits(p, Numeric.ROUND_HALF_EVEN);
    const n = cand.toNumber();
    if (Math.fround(n) === x && n !== upperMid && n !== lowerMid) return cand.toExponential();
  }
  return x.toExponential(8);
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function nextDouble(x: number, up: boolean): number {
  f64[0] = x;
  u64[0] += up ? 1n : -1n;
  return f64[0];
}

/** Whether the decimal `s` (read back as x > 0) lies exactly halfway between x and a neighbour. */
function onBoundary(s: string, x: number): boolean {
  const c = new Numeric(s);
  const ex = new Numeric(exactDecimalOfDouble(x));
  const nb = new Numeric(exactDecimalOfDouble(nextDouble(x, c.gt(ex))));
  return c.eq(ex.plus(nb).div(2));
}

function shortestOffBoundary(x: number): string {
  const exact = new Numeric(exactDecimalOfDouble(x));
  for (let p = 1; p <= 17; p++) {
    const cand = exact.toSignificantDigits(p, Numeric.ROUND_HALF_EVEN);
    const str = cand.toExponential();
    if (Number(str) === x && !onBoundary(str, x)) return str;
  }
  return x.toExponential(16);
}

export function formatFloat(x: number, float4: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const { digits, exp } = shortestDigits(Math.abs(x), float4);
  const maxFixed = float4 ? 6 : 15;
  let body: string;
  if (exp < -4 || exp >= maxFixed) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    body = `${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  } else if (exp < 0) {
    body = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    body = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    body = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + body : body;
}

export function parseFloatText(text: string, float4: boolean): number {
  const typeName = float4 ? 'real' : 'double precision';
  const t = text.trim();
  const lower = t.toLowerCase();
  switch (lower) {
    case 'nan': case '+nan': case '-nan': return NaN;
    case 'infinity': case '+infinity': case 'inf': case '+inf': return Infinity;
    case '-infinity': case '-inf': return -Infinity;
    default: break;
  }
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) {
    throw new SqlError(SQLSTATE.invalidTextRepresentation, `invalid input syntax for type ${typeName}: "${text}"`);
  }
  const r = float4 ? decimalToFloat32(t) : Number(t);
  const mantissaNonZero = /[1-9]/.test(t.replace(/[eE].*$/, ''));
  if (!Number.isFinite(r) || (r === 0 && mantissaNonZero)) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, `"${t}" is out of range for type ${typeName}`);
  }
  return r;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 adjacent to `f` in the direction of `toward`. */
function nextFloat32(f: number, toward: number): number {
  if (f === 0) return toward > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = f;
  const awayFromZero = (toward > f) === (f > 0);
  u32[0] += awayFromZero ? 1 : -1;
  return f32[0];
}

/** The exact decimal expansion of a double, as a string. */
export function exactDecimalOfDouble(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else { mantissa |= 1n << 52n; exp = biased - 1075; }
  let digits: string;
  if (exp >= 0) digits = (mantissa << BigInt(exp)).toString();
  else {
    const k = -exp;
    const scaled = (mantissa * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
    digits = scaled.slice(0, scaled.length - k) + '.' + scaled.slice(scaled.length - k);
  }
  return (negative ? '-' : '') + digits;
}

/** Round a decimal string straight to float32 (as strtof does), avoiding double rounding through float64. */
export function decimalToFloat32(text: string): number {
  const d = Number(text);
  const f = Math.fround(d);
  if (!Number.isFinite(f) || f === d || Number.isNaN(d)) return f;
  const g = nextFloat32(f, d);
  if (!Number.isFinite(g)) return f;
  const mid = (f + g) / 2; // exact in float64
  const cmp = compareDecimalStrings(text, exactDecimalOfDouble(mid));
  const beyond = d > f ? cmp > 0 : cmp < 0;
  if (beyond) return g;
  if (cmp !== 0) return f;
  f32[0] = f;
  return (u32[0] & 1) === 0 ? f : g; // tie: even mantissa
}

function compareDecimalStrings(a: string, b: string): number {
  return new Numeric(a).cmp(new Numeric(b));
}
