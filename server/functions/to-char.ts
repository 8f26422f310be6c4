/**
 * to_char / to_date / to_timestamp with format templates: the common date/time patterns (YYYY, MM,
 * DD, HH24, MI, SS, MS, US, Mon/Month/Day, AM, IW, Q, TZ, FM and TH modifiers, quoted literals)
 * and numeric templates (9, 0, '.', D, ',', G, S, MI, PL, FM). Unsupported patterns are copied as text.
 */
import { Decimal as DecimalCtor } from 'decimal.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { daysFromCivil, dayOfWeek, daysInMonth, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC } from '../types/calendar.js';
import type { Datum, Decimal, Interval } from '../types/datum.js';
import { formatOffset } from '../types/datetime-text.js';
import { Numeric, parseNumeric } from '../types/numeric.js';
import { T } from '../types/sql-type.js';
import { localToUtc, resolveTimeZone } from '../types/time-zone.js';
import { breakDownLocal, breakDownTimestamptz, dayOfYear, isoWeek, type BrokenDown } from './datetime-fields.js';
import { defineFunction, over, sessionTimeZone } from './define.js';

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const DT_PATTERNS = [
  'HH24', 'HH12', 'HH', 'MI', 'SSSSS', 'SSSS', 'SS', 'MS', 'US', 'A.M.', 'P.M.', 'a.m.', 'p.m.', 'AM', 'PM', 'am', 'pm',
  'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y', 'IYYY', 'IW', 'MONTH', 'Month', 'month', 'MON', 'Mon', 'mon', 'MM',
  'DAY', 'Day', 'day', 'DY', 'Dy', 'dy', 'DDD', 'DD', 'D', 'ID', 'WW', 'W', 'Q', 'CC', 'J', 'TZH', 'TZM', 'TZ', 'tz', 'OF',
];

function ordinal(n: number, upper: boolean): string {
  const t = n % 100;
  const s = t >= 11 && t <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return upper ? s.toUpperCase() : s;
}

function caseAs(pattern: string, name: string): string {
  if (pattern === pattern.toUpperCase()) return name.toUpperCase();
  if (pattern[0] === pattern[0].toUpperCase()) return name;
  return name.toLowerCase();
}

function formatTimestampTemplate(b: BrokenDown, fmt: string, zoneAbbrev: string | null): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    if (fmt[i] === '"') {
      const end = fmt.indexOf('"', i + 1);
      const lit = end < 0 ? fmt.slice(i + 1) : fmt.slice(i + 1, end);
      out += lit.replace(/\\(.)/g, '$1');
      i = end < 0 ? fmt.length : end + 1;
      continue;
    }
    if (fmt[i] === '\\' && i + 1 < fmt.length) { out += fmt[i + 1]; i += 2; continue; }
    let fm = false;
    if (fmt.startsWith('FM', i)) { fm = true; i += 2; }
    const p = DT_PATTERNS.find((x) => fmt.startsWith(x, i));
    if (!p) { if (!fm) out += fmt[i]; i += fm ? 0 : 1; continue; }
    i += p.length;
    let th: 'TH' | 'th' | null = null;
    if (fmt.startsWith('TH', i)) { th = 'TH'; i += 2; } else if (fmt.startsWith('th', i)) { th = 'th'; i += 2; }
    const num = (v: number, width: number) => {
      const s = fm ? String(v) : String(Math.abs(v)).padStart(width, '0');
      const withSign = !fm && v < 0 ? '-' + s : s;
      return withSign + (th ? ordinal(Math.abs(v), th === 'TH') : '');
    };
    const year = b.year > 0 ? b.year : 1 - b.year;
    const hour12 = b.hour % 12 === 0 ? 12 : b.hour % 12;
    switch (p) {
      case 'HH24': out += num(b.hour, 2); break;
      case 'HH12': case 'HH': out += num(hour12, 2); break;
      case 'MI': out += num(b.minute, 2); break;
      case 'SS': out += num(b.second, 2); break;
      case 'SSSS': case 'SSSSS': out += num(b.hour * 3600 + b.minute * 60 + b.second, 0); break;
      case 'MS': out += num(Math.floor(b.micros / 1000), 3); break;
      case 'US': out += num(b.micros, 6); break;
      case 'AM': case 'PM': out += b.hour < 12 ? 'AM' : 'PM'; break;
      case 'am': case 'pm': out += b.hour < 12 ? 'am' : 'pm'; break;
      case 'A.M.': case 'P.M.': out += b.hour < 12 ? 'A.M.' : 'P.M.'; break;
      case 'a.m.': case 'p.m.': out += b.hour < 12 ? 'a.m.' : 'p.m.'; break;
      case 'Y,YYY': out += `${Math.floor(year / 1000)},${String(year % 1000).padStart(3, '0')}`; break;
      case 'YYYY': out += num(year, 4); break;
      case 'YYY': out += num(year % 1000, 3); break;
      case 'YY': out += num(year % 100, 2); break;
      case 'Y': out += num(year % 10, 1); break;
      case 'IYYY': out += num(isoWeek(b.days).isoYear, 4); break;
      case 'IW': out += num(isoWeek(b.days).week, 2); break;
      case 'MONTH': case 'Month': case 'month': {
        const name = caseAs(p, MONTH_NAMES[b.month - 1]);
        out += fm ? name : name.padEnd(9, ' ');
        break;
      }
      case 'MON': case 'Mon': case 'mon': out += caseAs(p, MONTH_NAMES[b.month - 1].slice(0, 3)); break;
      case 'MM': out += num(b.month, 2); break;
      case 'DAY': case 'Day': case 'day': {
        const name = caseAs(p, DAY_NAMES[dayOfWeek(b.days)]);
        out += fm ? name : name.padEnd(9, ' ');
        break;
      }
      case 'DY': case 'Dy': case 'dy': out += caseAs(p, DAY_NAMES[dayOfWeek(b.days)].slice(0, 3)); break;
      case 'DDD': out += num(dayOfYear(b), 3); break;
      case 'DD': out += num(b.day, 2); break;
      case 'D': out += num(dayOfWeek(b.days) + 1, 1); break;
      case 'ID': out += num(((dayOfWeek(b.days) + 6) % 7) + 1, 1); break;
      case 'WW': out += num(Math.floor((dayOfYear(b) - 1) / 7) + 1, 2); break;
      case 'W': out += num(Math.floor((b.day - 1) / 7) + 1, 1); break;
      case 'Q': out += num(Math.floor((b.month - 1) / 3) + 1, 1); break;
      case 'CC': out += num(b.year > 0 ? Math.floor((b.year + 99) / 100) : -Math.floor((99 - (b.year - 1)) / 100), 2); break;
      case 'J': out += num(b.days + 2440588, 0); break;
      case 'TZ': case 'tz': {
        const z = zoneAbbrev ?? '';
        out += p === 'tz' ? z.toLowerCase() : z;
        break;
      }
      case 'TZH': out += (b.offsetSec < 0 ? '-' : '+') + String(Math.floor(Math.abs(b.offsetSec) / 3600)).padStart(2, '0'); break;
      case 'TZM': out += String(Math.floor((Math.abs(b.offsetSec) % 3600) / 60)).padStart(2, '0'); break;
      case 'OF': {
        const a = Math.abs(b.offsetSec);
        const mins = Math.floor((a % 3600) / 60);
        out += (b.offsetSec < 0 ? '-' : '+') + String(Math.floor(a / 3600)).padStart(2, '0') + (mins ? ':' + String(mins).padStart(2, '0') : '');
        break;
      }
      default: out += p;
    }
  }
  return out;
}

function zoneAbbreviation(utcMicros: number, zone: string, offsetSec: number): string {
  const z = resolveTimeZone(zone);
  if (z.kind === 'fixed') return offsetSec === 0 ? 'UTC' : formatOffset(offsetSec);
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: z.name, timeZoneName: 'short' })
      .formatToParts(new Date(Math.floor(utcMicros / 1000))).find((x) => x.type === 'timeZoneName');
    const v = part?.value ?? '';
    return /^GMT[+-]/.test(v) || v === 'GMT' ? formatOffset(offsetSec) : v;
  } catch {
    return formatOffset(offsetSec);
  }
}

// --- numbers -----------------------------------------------------------------------------------

/** to_char(number, template) for the digit/sign/separator patterns. */
export function formatNumberTemplate(value: Decimal, fmt: string): string {
  const fm = /FM/i.test(fmt);
  let f = fmt.replace(/FM/gi, '');
  let signMode: 'default' | 'S-lead' | 'S-trail' | 'MI' | 'PL' | 'SG' = 'default';
  if (/^S/.test(f)) { signMode = 'S-lead'; f = f.slice(1); }
  else if (/S$/.test(f)) { signMode = 'S-trail'; f = f.slice(0, -1); }
  else if (/MI/i.test(f)) { signMode = 'MI'; f = f.replace(/MI/i, ''); }
  else if (/PL/i.test(f)) { signMode = 'PL'; f = f.replace(/PL/i, ''); }
  else if (/SG/i.test(f)) { signMode = 'SG'; f = f.replace(/SG/i, ''); }
  const pointAt = f.search(/[.D]/);
  const intPart = pointAt < 0 ? f : f.slice(0, pointAt);
  const fracPart = pointAt < 0 ? '' : f.slice(pointAt + 1);
  const fracDigits = (fracPart.match(/[90]/g) ?? []).length;
  const intDigits = (intPart.match(/[90]/g) ?? []).length;
  if (value.isNaN()) return ' NaN';
  const rounded = value.abs().toDecimalPlaces(fracDigits, DecimalCtor.ROUND_HALF_UP);
  const neg = value.isNegative() && !rounded.isZero();
  const [ip, fp = ''] = rounded.toFixed(fracDigits).split('.');
  const intStr = ip === '0' ? '' : ip;
  const blank = fm ? '' : ' ';
  const body = intStr.length > intDigits
    ? f.replace(/[90]/g, '#').replace(/D/g, '.').replace(/G/g, ',')
    : digitsBody(intPart, fracPart, intStr, fp, fracDigits, intDigits, fm, pointAt >= 0);
  const insertLeading = (sign: string) => {
    const k = body.search(/[^ ]/);
    return k < 0 ? body + sign : body.slice(0, k) + sign + body.slice(k);
  };
  switch (signMode) {
    case 'default': return insertLeading(neg ? '-' : blank);
    case 'S-lead': return insertLeading(neg ? '-' : '+');
    case 'S-trail': return body + (neg ? '-' : '+');
    case 'MI': return body + (neg ? '-' : blank);
    case 'PL': return insertLeading(neg ? '-' : blank) + (neg ? '' : '+');
    case 'SG': return insertLeading(neg ? '-' : '+');
  }
}

/** The digits, separators and fraction of a number template, without its sign. */
function digitsBody(intPart: string, fracPart: string, intStr: string, fp: string, fracDigits: number, intDigits: number, fm: boolean, hasPoint: boolean): string {
  const blank = fm ? '' : ' ';
  let out = '';
  let printed = false;
  const firstZero = intPart.indexOf('0');
  let slot = intDigits;
  for (let k = 0; k < intPart.length; k++) {
    const c = intPart[k];
    if (c === '9' || c === '0') {
      const lastSlot = slot === 1;
      if (slot <= intStr.length) { out += intStr[intStr.length - slot]; printed = true; }
      else if (firstZero >= 0 && k >= firstZero) { out += '0'; printed = true; }
      else if (lastSlot && intStr === '' && fracDigits === 0) { out += '0'; printed = true; }
      else out += blank;
      slot--;
    } else if (c === ',' || c === 'G') out += printed ? ',' : blank;
    else out += c;
  }
  let frac = '';
  if (hasPoint) {
    let k = 0;
    for (const c of fracPart) {
      if (c === '9' || c === '0') frac += fp[k++] ?? '0';
      else frac += c;
    }
    if (fm) {
      const keepThrough = fracPart.lastIndexOf('0');
      let end = frac.length;
      while (end > 0 && frac[end - 1] === '0' && end - 1 > keepThrough) end--;
      frac = frac.slice(0, end);
    }
    if (fm && !printed && !/[0-9]/.test(frac)) out += '0';
    frac = '.' + frac;
  }
  return out + frac;
}

function floatToDecimal(x: number): Decimal {
  if (Number.isNaN(x)) return new Numeric(NaN);
  return parseNumeric(x.toPrecision(15));
}

// --- parsing (to_date / to_timestamp) ------------------------------------------------------------

function parseWithTemplate(text: string, fmt: string): { days: number; micros: number } {
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
  let pm: boolean | null = null;
  let ti = 0;
  let i = 0;
  const bad = () => new SqlError(SQLSTATE.invalidDatetimeFormat, `invalid value "${text.slice(ti, ti + 10)}" for "${fmt.slice(i, i + 4)}"`);
  const readInt = (maxLen: number) => {
    while (text[ti] === ' ') ti++;
    const m = new RegExp(`^[+-]?\\d{1,${maxLen}}`).exec(text.slice(ti));
    if (!m) throw bad();
    ti += m[0].length;
    return Number(m[0]);
  };
  while (i < fmt.length) {
    if (fmt.startsWith('FM', i)) { i += 2; continue; }
    const p = DT_PATTERNS.find((x) => fmt.startsWith(x, i));
    if (!p) {
      if (fmt[i] === '"') { const end = fmt.indexOf('"', i + 1); ti += (end < 0 ? fmt.length : end) - i - 1; i = end < 0 ? fmt.length : end + 1; continue; }
      i++;
      if (ti < text.length && !/[0-9a-zA-Z]/.test(text[ti])) ti++;
      continue;
    }
    switch (p) {
      case 'YYYY': case 'IYYY': year = readInt(p === 'YYYY' ? 8 : 4); break;
      case 'YYY': year = 2000 + readInt(3); break;
      case 'YY': { const y = readInt(2); year = y < 70 ? 2000 + y : 1900 + y; break; }
      case 'Y': year = 2000 + readInt(1); break;
      case 'MM': month = readInt(2); break;
      case 'DD': day = readInt(2); break;
      case 'HH24': hour = readInt(2); break;
      case 'HH12': case 'HH': hour = readInt(2); break;
      case 'MI': minute = readInt(2); break;
      case 'SS': second = readInt(2); break;
      case 'MS': { const s = /^\d{1,3}/.exec(text.slice(ti))?.[0] ?? ''; ti += s.length; micros = Number(s.padEnd(3, '0')) * 1000; break; }
      case 'US': { const s = /^\d{1,6}/.exec(text.slice(ti))?.[0] ?? ''; ti += s.length; micros = Number(s.padEnd(6, '0')); break; }
      case 'AM': case 'PM': case 'am': case 'pm': case 'A.M.': case 'P.M.': case 'a.m.': case 'p.m.': {
        const m = /^(a\.?m\.?|p\.?m\.?)/i.exec(text.slice(ti));
        if (!m) throw bad();
        pm = m[0][0].toLowerCase() === 'p';
        ti += m[0].length;
        break;
      }
      case 'MONTH': case 'Month': case 'month': case 'MON': case 'Mon': case 'mon': {
        const rest = text.slice(ti).toLowerCase();
        const idx = MONTH_NAMES.findIndex((n) => rest.startsWith(p.length > 3 ? n.toLowerCase() : n.slice(0, 3).toLowerCase()));
        if (idx < 0) throw bad();
        month = idx + 1;
        ti += p.length > 3 ? MONTH_NAMES[idx].length : 3;
        break;
      }
      case 'DAY': case 'Day': case 'day': case 'DY': case 'Dy': case 'dy': {
        const m = /^[a-zA-Z]+/.exec(text.slice(ti));
        ti += m ? m[0].length : 0;
        break;
      }
      case 'DDD': { const doy = readInt(3); month = 1; day = doy; break; }
      default: break;
    }
    i += p.length;
  }
  if (pm !== null) {
    if (hour < 1 || hour > 12) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `hour "${hour}" is invalid for the 12-hour clock`);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const astroYear = year <= 0 ? year + 1 : year;
  if (month < 1 || month > 12 || day < 1 || (day > daysInMonth(astroYear, month) && !(month === 1 && day <= 366))) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  }
  if (hour > 24 || minute > 59 || second > 60) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  const days = daysFromCivil(astroYear, month, 1) + day - 1;
  return { days, micros: hour * USECS_PER_HOUR + minute * USECS_PER_MINUTE + second * USECS_PER_SEC + micros };
}

// --- registration --------------------------------------------------------------------------------

defineFunction('to_char', [
  over([T.timestamptz, T.text], T.text, (a, ctx) => {
    const t = a[0] as number;
    if (!Number.isFinite(t)) return null;
    const zone = sessionTimeZone(ctx);
    const b = breakDownTimestamptz(t, zone);
    return formatTimestampTemplate(b, a[1] as string, zoneAbbreviation(t, zone, b.offsetSec));
  }),
  over([T.timestamp, T.text], T.text, (a) => {
    const t = a[0] as number;
    return Number.isFinite(t) ? formatTimestampTemplate(breakDownLocal(t), a[1] as string, null) : null;
  }),
  over([T.interval, T.text], T.text, (a) => {
    const iv = a[0] as Interval;
    const b = breakDownLocal(((iv.micros % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY);
    b.hour = Math.trunc(iv.micros / USECS_PER_HOUR);
    b.year = Math.trunc(iv.months / 12);
    b.month = iv.months % 12;
    b.day = iv.days;
    return formatTimestampTemplate(b, a[1] as string, null);
  }),
  over([T.numeric, T.text], T.text, (a) => formatNumberTemplate(a[0] as Decimal, a[1] as string)),
  over([T.float8, T.text], T.text, (a) => formatNumberTemplate(floatToDecimal(a[0] as number), a[1] as string)),
  over([T.int8, T.text], T.text, (a) => formatNumberTemplate(new Numeric((a[0] as bigint).toString()), a[1] as string)),
  over([T.int4, T.text], T.text, (a) => formatNumberTemplate(new Numeric(a[0] as number), a[1] as string)),
  // PostgreSQL marks to_char stable for locale-dependent patterns (TM...); Freshet's output reads no
  // session setting except the time zone of the timestamptz form, so the others are immutable and
  // materialized views may use them.
].map((o) => (o.params[0]!.kind === 'timestamptz' ? o : { ...o, volatility: 'immutable' as const })), { volatility: 'stable' });

defineFunction('to_date', [over([T.text, T.text], T.date, (a) => parseWithTemplate(a[0] as string, a[1] as string).days)], { volatility: 'stable' });
defineFunction('to_timestamp', [over([T.text, T.text], T.timestamptz, (a, ctx) => {
  const r = parseWithTemplate(a[0] as string, a[1] as string);
  return localToUtc(resolveTimeZone(sessionTimeZone(ctx)), r.days * USECS_PER_DAY + r.micros);
})], { volatility: 'stable' });

export type { Datum };
