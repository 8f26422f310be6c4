/**
 * Interval text I/O in IntervalStyle postgres: output like '1 year 2 mons 3 days 04:05:06.5' and
 * '-1 days +02:00:00'; input in the postgres form (with units, '@ ... ago', 'hh:mm:ss'), and ISO 8601
 * ('P1Y2M3DT4H5M6S'). Fractional units spill downward as PostgreSQL does (1 month = 30 days).
 */
import { Interval } from './datum.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { formatClock, fractionMicros } from './datetime-text.js';
import { USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC } from './calendar.js';

function intPart(label: string, value: number, state: { zero: boolean; neg: boolean }): string {
  if (value === 0) return '';
  const s = `${state.zero ? '' : ' '}${state.neg && value > 0 ? '+' : ''}${value} ${label}${value !== 1 ? 's' : ''}`;
  state.neg = value < 0;
  state.zero = false;
  return s;
}

export function formatInterval(iv: Interval): string {
  const years = Math.trunc(iv.months / 12);
  const mons = iv.months - years * 12;
  const state = { zero: true, neg: false };
  let out = intPart('year', years, state) + intPart('mon', mons, state) + intPart('day', iv.days, state);
  if (state.zero || iv.micros !== 0) {
    const minus = iv.micros < 0;
    const sign = minus ? '-' : state.neg ? '+' : '';
    out += `${state.zero ? '' : ' '}${sign}${formatClock(Math.abs(iv.micros))}`;
  }
  return out;
}

function bad(text: string): SqlError {
  return new SqlError(SQLSTATE.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
}

/** Accumulates fields; fractions of months and days spill into smaller units. */
class IntervalBuilder {
  months = 0;
  days = 0;
  micros = 0;

  addMonths(v: number): void {
    const whole = Math.trunc(v);
    this.months += whole;
    this.addDays((v - whole) * 30);
  }
  addDays(v: number): void {
    const whole = Math.trunc(v);
    this.days += whole;
    this.micros += Math.round((v - whole) * USECS_PER_DAY);
  }
  addMicros(v: number): void {
    this.micros += Math.round(v);
  }
  add(unit: string, v: number, text: string): void {
    switch (unitOf(unit, text)) {
      case 'millennium': this.months += Math.round(v * 12000); break;
      case 'century': this.months += Math.round(v * 1200); break;
      case 'decade': this.months += Math.round(v * 120); break;
      case 'year': this.months += Math.round(v * 12); break;
      case 'month': this.addMonths(v); break;
      case 'week': this.addDays(v * 7); break;
      case 'day': this.addDays(v); break;
      case 'hour': this.addMicros(v * USECS_PER_HOUR); break;
      case 'minute': this.addMicros(v * USECS_PER_MINUTE); break;
      case 'second': this.addMicros(v * USECS_PER_SEC); break;
      case 'millisecond': this.addMicros(v * 1000); break;
      case 'microsecond': this.addMicros(v); break;
    }
  }
}

type IntervalUnit = 'millennium' | 'century' | 'decade' | 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond';

const UNIT_NAMES: Record<string, IntervalUnit> = {
  millennium: 'millennium', millennia: 'millennium', millenniums: 'millennium', mil: 'millennium', mils: 'millennium',
  century: 'century', centuries: 'century', cent: 'century', c: 'century',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
  month: 'month', months: 'month', mon: 'month', mons: 'month',
  week: 'week', weeks: 'week', w: 'week',
  day: 'day', days: 'day', d: 'day',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  minute: 'minute', minutes: 'minute', min: 'minute', mins: 'minute', m: 'minute',
  second: 'second', seconds: 'second', sec: 'second', secs: 'second', s: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond', msecs: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', us: 'microsecond', usec: 'microsecond', usecs: 'microsecond',
};

function unitOf(unit: string, text: string): IntervalUnit {
  const u = UNIT_NAMES[unit];
  if (!u) throw bad(text);
  return u;
}

/** Parse interval text; a bare number takes `bareUnit` (seconds unless a qualifier says otherwise). */
export function parseInterval(text: string, bareUnit = 'second'): Interval {
  let s = text.trim().toLowerCase();
  if (s.startsWith('@')) s = s.slice(1).trim();
  let ago = false;
  if (/\sago$/.test(s) || s === 'ago') {
    ago = true;
    s = s.slice(0, -3).trim();
  }
  if (s.length === 0) throw bad(text);
  const b = new IntervalBuilder();
  if (s.startsWith('p')) parseIso(s, text, b);
  else {
    const token = /\s*(?:([+-]?)(\d{1,}):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d*))?|([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]+)?)\s*/y;
    let pos = 0;
    while (pos < s.length) {
      token.lastIndex = pos;
      const m = token.exec(s);
      if (!m || m[0].length === 0) throw bad(text);
      pos = token.lastIndex;
      if (m[2] !== undefined) {
        // hh:mm[:ss[.f]] (or mm:ss.f when a fraction follows two fields)
        const neg = m[1] === '-';
        let micros: number;
        if (m[4] === undefined && m[5] !== undefined) {
          micros = Number(m[2]) * USECS_PER_MINUTE + Number(m[3]) * USECS_PER_SEC + fractionMicros(m[5]);
        } else {
          micros = Number(m[2]) * USECS_PER_HOUR + Number(m[3]) * USECS_PER_MINUTE + Number(m[4] ?? 0) * USECS_PER_SEC + fractionMicros(m[5] ?? '');
        }
        b.addMicros(neg ? -micros : micros);
      } else {
        const v = Number(m[6]);
        if (!Number.isFinite(v)) throw bad(text);
        b.add(m[7] ?? bareUnit, v, text);
      }
    }
  }
  const sign = ago ? -1 : 1;
  const iv = new Interval(sign * b.months + 0, sign * b.days + 0, sign * b.micros + 0);
  if (!Number.isSafeInteger(iv.micros) || Math.abs(iv.months) > 2147483647 || Math.abs(iv.days) > 2147483647) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `interval out of range`);
  }
  return iv;
}

function parseIso(s: string, text: string, b: IntervalBuilder): void {
  const m = /^p(?:([+-]?[\d.]+)y)?(?:([+-]?[\d.]+)m)?(?:([+-]?[\d.]+)w)?(?:([+-]?[\d.]+)d)?(?:t(?:([+-]?[\d.]+)h)?(?:([+-]?[\d.]+)m)?(?:([+-]?[\d.]+)s)?)?$/.exec(s);
  if (!m || s === 'p' || s.endsWith('t')) throw bad(text);
  const units = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  for (let i = 0; i < units.length; i++) {
    const v = m[i + 1];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw bad(text);
    b.add(units[i], n, text);
  }
}
