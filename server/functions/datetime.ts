/**
 * Date/time built-ins: now() and friends (stable: the statement's time), extract/date_part,
 * date_trunc, age, make_date/make_timestamp, to_timestamp, justify_*. Timestamptz values are
 * read and truncated in the session's TimeZone setting.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { daysFromCivil, daysInMonth, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC } from '../types/calendar.js';
import { justifyDays, justifyHours, justifyInterval } from '../types/datetime-arith.js';
import { Interval, type Datum, type Decimal } from '../types/datum.js';
import { Numeric, withScale } from '../types/numeric.js';
import { T, type SqlType } from '../types/sql-type.js';
import { localToUtc, resolveTimeZone, zoneOffsetAt } from '../types/time-zone.js';
import {
  breakDownLocal, breakDownTimestamptz, centuryOf, dayOfYear, decadeOf, isoWeek, JULIAN_EPOCH_OFFSET, millenniumOf,
  yearField, type BrokenDown,
} from './datetime-fields.js';
import { defineFunction, over, sessionTimeZone, type Overload } from './define.js';
import type { FunctionContext } from './registry.js';
import { dayOfWeek } from '../types/calendar.js';

const tz = (ctx: FunctionContext) => sessionTimeZone(ctx);

// --- current time ----------------------------------------------------------------------------

for (const name of ['now', 'current_timestamp', 'transaction_timestamp', 'statement_timestamp']) {
  defineFunction(name, [over([], T.timestamptz, (_a, ctx) => ctx.statementTime)], { volatility: 'stable' });
}
defineFunction('clock_timestamp', [over([], T.timestamptz, () => Date.now() * 1000)], { volatility: 'volatile' });
// date_bin(stride, source, origin): the start of the stride-long bin (counted from origin) holding source.
function dateBin(a: readonly Datum[]): Datum {
  const stride = a[0] as Interval;
  const t = a[1] as number;
  const origin = a[2] as number;
  if (stride.months !== 0) throw new SqlError(SQLSTATE.featureNotSupported, 'timestamps cannot be binned into intervals containing months or years');
  const us = stride.days * USECS_PER_DAY + stride.micros;
  if (us <= 0) throw new SqlError('22008', 'stride must be greater than zero');
  if (!Number.isFinite(t)) return t;
  if (!Number.isFinite(origin)) throw new SqlError('22008', 'origin out of range');
  return origin + Math.floor((t - origin) / us) * us;
}
defineFunction('date_bin', [
  over([T.interval, T.timestamp, T.timestamp], T.timestamp, dateBin),
  over([T.interval, T.timestamptz, T.timestamptz], T.timestamptz, dateBin),
]);

// timezone(zone, t) = `t AT TIME ZONE zone`: a timestamptz shown as local time in zone, or a local
// timestamp read as local time in zone.
defineFunction('timezone', [
  over([T.text, T.timestamptz], T.timestamp, (a) => {
    const t = a[1] as number;
    if (!Number.isFinite(t)) return t;
    return t + zoneOffsetAt(resolveTimeZone(a[0] as string), t) * USECS_PER_SEC;
  }),
  over([T.text, T.timestamp], T.timestamptz, (a) => localToUtc(resolveTimeZone(a[0] as string), a[1] as number)),
]);

// Flink's processing-time attribute: the wall-clock time at which the row is processed. A batch
// SELECT may use it; a materialized view may not (its rows would depend on when they were computed).
defineFunction('proctime', [over([], T.timestamptz, () => Date.now() * 1000)], { volatility: 'volatile' });
defineFunction('current_date', [over([], T.date, (_a, ctx) => breakDownTimestamptz(ctx.statementTime, tz(ctx)).days)], { volatility: 'stable' });
defineFunction('localtimestamp', [over([], T.timestamp, (_a, ctx) => {
  const t = ctx.statementTime;
  return t + zoneOffsetAt(resolveTimeZone(tz(ctx)), t) * USECS_PER_SEC;
})], { volatility: 'stable' });
defineFunction('localtime', [over([], T.time, (_a, ctx) => breakDownTimestamptz(ctx.statementTime, tz(ctx)).timeOfDay)], { volatility: 'stable' });

// --- extract / date_part -----------------------------------------------------------------------

/** A field as extract() returns it (numeric), with the float8 date_part() computes when it differs. */
type FieldValue = { value: number; scale: number } | { exact: Decimal; float?: number };

function unsupported(field: string, type: string): SqlError {
  return new SqlError(SQLSTATE.featureNotSupported, `unit "${field}" not supported for type ${type}`);
}

function unrecognized(field: string, type: string): SqlError {
  return new SqlError(SQLSTATE.invalidParameterValue, `unit "${field}" not recognized for type ${type}`);
}

const FIELD_ALIASES: Record<string, string> = {
  years: 'year', y: 'year', yr: 'year', yrs: 'year', months: 'month', mon: 'month', mons: 'month', days: 'day', d: 'day',
  hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour', minutes: 'minute', min: 'minute', mins: 'minute', m: 'minute',
  seconds: 'second', sec: 'second', secs: 'second', s: 'second', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond',
  microseconds: 'microsecond', us: 'microsecond', usec: 'microsecond', centuries: 'century', decades: 'decade',
  millennia: 'millennium', millenniums: 'millennium', weeks: 'week', w: 'week', quarters: 'quarter', qtr: 'quarter',
};

export function normalizeField(f: string): string {
  const l = f.trim().toLowerCase();
  const a = FIELD_ALIASES[l] ?? l;
  if (a === 'millisecond') return 'milliseconds';
  if (a === 'microsecond') return 'microseconds';
  return a;
}

function timestampField(field: string, b: BrokenDown, epochMicros: number, withZone: boolean, typeName: string): FieldValue {
  const secMicros = b.second * USECS_PER_SEC + b.micros;
  switch (field) {
    case 'microseconds': return { value: secMicros, scale: 0 };
    case 'milliseconds': return { exact: withScale(new Numeric(secMicros).div(1000), 3), float: b.second * 1000 + b.micros / 1000 };
    case 'second': return { exact: withScale(new Numeric(secMicros).div(USECS_PER_SEC), 6), float: b.second + b.micros / 1e6 };
    case 'minute': return { value: b.minute, scale: 0 };
    case 'hour': return { value: b.hour, scale: 0 };
    case 'day': return { value: b.day, scale: 0 };
    case 'month': return { value: b.month, scale: 0 };
    case 'quarter': return { value: Math.floor((b.month - 1) / 3) + 1, scale: 0 };
    case 'week': return { value: isoWeek(b.days).week, scale: 0 };
    case 'year': return { value: yearField(b.year), scale: 0 };
    case 'decade': return { value: decadeOf(b.year), scale: 0 };
    case 'century': return { value: centuryOf(b.year), scale: 0 };
    case 'millennium': return { value: millenniumOf(b.year), scale: 0 };
    case 'dow': return { value: dayOfWeek(b.days), scale: 0 };
    case 'isodow': return { value: ((dayOfWeek(b.days) + 6) % 7) + 1, scale: 0 };
    case 'doy': return { value: dayOfYear(b), scale: 0 };
    case 'isoyear': {
      const y = isoWeek(b.days).isoYear;
      return { value: y > 0 ? y : y - 1, scale: 0 };
    }
    case 'julian': {
      const jd = new Numeric(b.days + JULIAN_EPOCH_OFFSET).plus(new Numeric(b.timeOfDay).div(USECS_PER_DAY));
      return { exact: jd };
    }
    case 'epoch': return { exact: withScale(new Numeric(epochMicros).div(USECS_PER_SEC), 6), float: epochMicros / 1e6 };
    case 'timezone': if (withZone) return { value: b.offsetSec, scale: 0 }; break;
    case 'timezone_hour': if (withZone) return { value: Math.trunc(b.offsetSec / 3600), scale: 0 }; break;
    case 'timezone_minute': if (withZone) return { value: Math.trunc((b.offsetSec % 3600) / 60), scale: 0 }; break;
    default: throw unrecognized(field, typeName);
  }
  throw unsupported(field, typeName);
}

function dateField(field: string, days: number): FieldValue {
  switch (field) {
    case 'microseconds': case 'milliseconds': case 'second': case 'minute': case 'hour':
    case 'timezone': case 'timezone_hour': case 'timezone_minute':
      throw unsupported(field, 'date');
    case 'epoch': return { value: days * 86400, scale: 0 };
    case 'julian': return { value: days + JULIAN_EPOCH_OFFSET, scale: 0 };
    default: return timestampField(field, breakDownLocal(days * USECS_PER_DAY), 0, false, 'date');
  }
}

function timeField(field: string, micros: number): FieldValue {
  const b = breakDownLocal(micros);
  switch (field) {
    case 'microseconds': case 'milliseconds': case 'second': case 'minute': return timestampField(field, b, 0, false, 'time without time zone');
    case 'hour': return { value: Math.floor(micros / USECS_PER_HOUR), scale: 0 };
    case 'epoch': return { exact: withScale(new Numeric(micros).div(USECS_PER_SEC), 6), float: micros / 1e6 };
    case 'day': case 'month': case 'year': case 'quarter': case 'week': case 'decade': case 'century': case 'millennium':
    case 'dow': case 'isodow': case 'doy': case 'isoyear': case 'julian':
      throw unsupported(field, 'time without time zone');
    default: throw unrecognized(field, 'time without time zone');
  }
}

function intervalField(field: string, iv: Interval): FieldValue {
  const years = Math.trunc(iv.months / 12);
  const secMicros = iv.micros % USECS_PER_MINUTE;
  const wholeSec = Math.trunc(secMicros / USECS_PER_SEC);
  const fracMicros = secMicros - wholeSec * USECS_PER_SEC;
  switch (field) {
    case 'microseconds': return { value: secMicros, scale: 0 };
    case 'milliseconds': return { exact: withScale(new Numeric(secMicros).div(1000), 3), float: wholeSec * 1000 + fracMicros / 1000 };
    case 'second': return { exact: withScale(new Numeric(secMicros).div(USECS_PER_SEC), 6), float: wholeSec + fracMicros / 1e6 };
    case 'minute': return { value: Math.trunc((iv.micros % USECS_PER_HOUR) / USECS_PER_MINUTE), scale: 0 };
    case 'hour': return { value: Math.trunc(iv.micros / USECS_PER_HOUR), scale: 0 };
    case 'day': return { value: iv.days, scale: 0 };
    case 'month': return { value: iv.months % 12, scale: 0 };
    case 'quarter': return { value: Math.trunc((iv.months % 12) / 3) + 1, scale: 0 };
    case 'year': return { value: years, scale: 0 };
    case 'decade': return { value: Math.trunc(years / 10), scale: 0 };
    case 'century': return { value: Math.trunc(years / 100), scale: 0 };
    case 'millennium': return { value: Math.trunc(years / 1000), scale: 0 };
    case 'epoch': {
      const secs = new Numeric(iv.micros).div(USECS_PER_SEC)
        .plus(new Numeric(365.25 * 86400).times(Math.trunc(iv.months / 12)))
        .plus((iv.months % 12) * 30 * 86400)
        .plus(iv.days * 86400);
      const float = iv.micros / 1e6 + 365.25 * 86400 * Math.trunc(iv.months / 12) + 30 * 86400 * (iv.months % 12) + 86400 * iv.days;
      return { exact: withScale(secs, 6), float };
    }
    case 'dow': case 'isodow': case 'doy': case 'week': case 'isoyear': case 'julian': case 'timezone': case 'timezone_hour': case 'timezone_minute':
      throw unsupported(field, 'interval');
    default: throw unrecognized(field, 'interval');
  }
}

function fieldOf(field: string, v: Datum, t: SqlType, ctx: FunctionContext): FieldValue | 'inf' | '-inf' {
  const f = normalizeField(field);
  switch (t.kind) {
    case 'date': {
      const d = v as number;
      if (!Number.isFinite(d)) return infiniteField(f, d, 'date');
      return dateField(f, d);
    }
    case 'timestamp': {
      const m = v as number;
      if (!Number.isFinite(m)) return infiniteField(f, m, 'timestamp without time zone');
      return timestampField(f, breakDownLocal(m), m, false, 'timestamp without time zone');
    }
    case 'timestamptz': {
      const m = v as number;
      if (!Number.isFinite(m)) return infiniteField(f, m, 'timestamp with time zone');
      return timestampField(f, breakDownTimestamptz(m, tz(ctx)), m, true, 'timestamp with time zone');
    }
    case 'time': return timeField(f, v as number);
    case 'interval': return intervalField(f, v as Interval);
    default: throw new SqlError(SQLSTATE.undefinedFunction, `function extract on ${t.kind} does not exist`);
  }
}

/** Fields of ±infinity: monotonic fields are ±infinity, others NULL. */
function infiniteField(field: string, v: number, typeName: string): 'inf' | '-inf' | FieldValue {
  const monotonic = ['year', 'decade', 'century', 'millennium', 'julian', 'isoyear', 'epoch'];
  if (monotonic.includes(field)) return v > 0 ? 'inf' : '-inf';
  void typeName;
  return { value: NaN, scale: -1 };
}

function asNumeric(r: FieldValue | 'inf' | '-inf'): Datum {
  if (r === 'inf') return new Numeric(Infinity);
  if (r === '-inf') return new Numeric(-Infinity);
  if ('exact' in r) return r.exact;
  if (r.scale < 0) return null;
  return withScale(new Numeric(r.value), r.scale);
}

function asFloat(r: FieldValue | 'inf' | '-inf'): Datum {
  if (r === 'inf') return Infinity;
  if (r === '-inf') return -Infinity;
  if ('exact' in r) return r.float ?? r.exact.toNumber();
  if (r.scale < 0) return null;
  return r.value + 0; // no negative zero (a remainder of a negative span)
}

const EXTRACTABLE = [T.timestamptz, T.timestamp, T.date, T.time, T.interval];
// As in PostgreSQL: only the timestamptz overloads depend on the session (its time zone).
const zoneFree = (o: Overload, t: SqlType): Overload => (t.kind === 'timestamptz' ? o : { ...o, volatility: 'immutable' });
defineFunction('extract', EXTRACTABLE.map((t) => zoneFree(over([T.text, t], T.numeric, (a, ctx, r) => asNumeric(fieldOf(a[0] as string, a[1], r.argTypes[1], ctx))), t)), { volatility: 'stable' });
defineFunction('date_part', [
  ...[T.timestamptz, T.timestamp, T.interval, T.time].map((t) => zoneFree(over([T.text, t], T.float8, (a, ctx, r) => asFloat(fieldOf(a[0] as string, a[1], r.argTypes[1], ctx))), t)),
  zoneFree(over([T.text, T.date], T.float8, (a, ctx) => {
    const d = a[1] as number;
    return asFloat(fieldOf(a[0] as string, Number.isFinite(d) ? d * USECS_PER_DAY : d, T.timestamp, ctx));
  }), T.date),
], { volatility: 'stable' });

// --- date_trunc --------------------------------------------------------------------------------

function truncLocal(field: string, local: number, typeName: string): number {
  const b = breakDownLocal(local);
  const day = (y: number, m: number, d: number) => daysFromCivil(y, m, d) * USECS_PER_DAY;
  switch (field) {
    case 'microseconds': return local;
    case 'milliseconds': return Math.floor(local / 1000) * 1000;
    case 'second': return Math.floor(local / USECS_PER_SEC) * USECS_PER_SEC;
    case 'minute': return Math.floor(local / USECS_PER_MINUTE) * USECS_PER_MINUTE;
    case 'hour': return Math.floor(local / USECS_PER_HOUR) * USECS_PER_HOUR;
    case 'day': return b.days * USECS_PER_DAY;
    case 'week': return (b.days - ((dayOfWeek(b.days) + 6) % 7)) * USECS_PER_DAY;
    case 'month': return day(b.year, b.month, 1);
    case 'quarter': return day(b.year, Math.floor((b.month - 1) / 3) * 3 + 1, 1);
    case 'year': return day(b.year, 1, 1);
    case 'decade': return day(b.year > 0 ? b.year - (b.year % 10) : -Math.trunc((8 - (b.year - 1)) / 10) * 10, 1, 1);
    case 'century': {
      const y = b.year > 0 ? Math.trunc((b.year + 99) / 100) * 100 - 99 : -Math.trunc((99 - (b.year - 1)) / 100) * 100 + 1;
      return day(y, 1, 1);
    }
    case 'millennium': {
      const y = b.year > 0 ? Math.trunc((b.year + 999) / 1000) * 1000 - 999 : -Math.trunc((999 - (b.year - 1)) / 1000) * 1000 + 1;
      return day(y, 1, 1);
    }
    default: throw unrecognized(field, typeName);
  }
}

function truncInterval(field: string, iv: Interval): Interval {
  const years = Math.trunc(iv.months / 12);
  switch (field) {
    case 'millennium': return new Interval(Math.trunc(years / 1000) * 12000, 0, 0);
    case 'century': return new Interval(Math.trunc(years / 100) * 1200, 0, 0);
    case 'decade': return new Interval(Math.trunc(years / 10) * 120, 0, 0);
    case 'year': return new Interval(years * 12, 0, 0);
    case 'quarter': return new Interval(years * 12 + Math.trunc((iv.months % 12) / 3) * 3, 0, 0);
    case 'month': return new Interval(iv.months, 0, 0);
    case 'day': return new Interval(iv.months, iv.days, 0);
    case 'hour': return new Interval(iv.months, iv.days, Math.trunc(iv.micros / USECS_PER_HOUR) * USECS_PER_HOUR);
    case 'minute': return new Interval(iv.months, iv.days, Math.trunc(iv.micros / USECS_PER_MINUTE) * USECS_PER_MINUTE);
    case 'second': return new Interval(iv.months, iv.days, Math.trunc(iv.micros / USECS_PER_SEC) * USECS_PER_SEC);
    case 'milliseconds': return new Interval(iv.months, iv.days, Math.trunc(iv.micros / 1000) * 1000);
    case 'microseconds': return iv;
    case 'week': throw new SqlError(SQLSTATE.featureNotSupported, 'unit "week" not supported for type interval', { detail: 'Months usually have fractional weeks.' });
    default: throw unrecognized(field, 'interval');
  }
}

defineFunction('date_trunc', [
  over([T.text, T.timestamptz], T.timestamptz, (a, ctx) => {
    const t = a[1] as number;
    if (!Number.isFinite(t)) return t;
    const zone = resolveTimeZone(tz(ctx));
    const f = normalizeField(a[0] as string);
    const local = t + zoneOffsetAt(zone, t) * USECS_PER_SEC;
    const truncated = truncLocal(f, local, 'timestamp with time zone');
    if (f === 'microseconds' || f === 'milliseconds' || f === 'second' || f === 'minute') return t - (local - truncated);
    return localToUtc(zone, truncated);
  }),
  over([T.text, T.timestamp], T.timestamp, (a) => {
    const t = a[1] as number;
    return Number.isFinite(t) ? truncLocal(normalizeField(a[0] as string), t, 'timestamp without time zone') : t;
  }),
  over([T.text, T.interval], T.interval, (a) => truncInterval(normalizeField(a[0] as string), a[1] as Interval)),
], { volatility: 'stable' });

// --- age ---------------------------------------------------------------------------------------

/** Symbolic difference a - b in years, months, days and time, borrowing as PostgreSQL's age() does. */
function symbolicAge(a: BrokenDown, b: BrokenDown, aMicros: number, bMicros: number): Interval {
  const sign = aMicros < bMicros ? -1 : 1;
  let micros = sign * ((a.timeOfDay) - (b.timeOfDay));
  let day = sign * (a.day - b.day);
  let month = sign * (a.month - b.month);
  let year = sign * (a.year - b.year);
  const borrow = sign < 0 ? a : b;
  while (micros < 0) { micros += USECS_PER_DAY; day--; }
  while (day < 0) {
    day += daysInMonth(borrow.year, borrow.month);
    month--;
  }
  while (month < 0) { month += 12; year--; }
  return new Interval(sign * (year * 12 + month) + 0, sign * day + 0, sign * micros + 0);
}

defineFunction('age', [
  over([T.timestamptz, T.timestamptz], T.interval, (a, ctx) => symbolicAge(breakDownTimestamptz(a[0] as number, tz(ctx)), breakDownTimestamptz(a[1] as number, tz(ctx)), a[0] as number, a[1] as number)),
  over([T.timestamp, T.timestamp], T.interval, (a) => symbolicAge(breakDownLocal(a[0] as number), breakDownLocal(a[1] as number), a[0] as number, a[1] as number)),
  over([T.timestamptz], T.interval, (a, ctx) => {
    const today = breakDownTimestamptz(ctx.statementTime, tz(ctx)).days * USECS_PER_DAY;
    const b = breakDownTimestamptz(a[0] as number, tz(ctx));
    const bLocal = b.days * USECS_PER_DAY + b.timeOfDay;
    return symbolicAge(breakDownLocal(today), b, today, bLocal);
  }),
  over([T.timestamp], T.interval, (a, ctx) => {
    const today = breakDownTimestamptz(ctx.statementTime, tz(ctx)).days * USECS_PER_DAY;
    return symbolicAge(breakDownLocal(today), breakDownLocal(a[0] as number), today, a[0] as number);
  }),
], { volatility: 'stable' });

// --- constructors ------------------------------------------------------------------------------

function makeDays(y: number, m: number, d: number): number {
  if (y === 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y < 0 ? y + 1 : y, m)) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date field value out of range: ${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return daysFromCivil(y < 0 ? y + 1 : y, m, d);
}

defineFunction('make_date', [over([T.int4, T.int4, T.int4], T.date, (a) => makeDays(a[0] as number, a[1] as number, a[2] as number))]);
defineFunction('make_timestamp', [over([T.int4, T.int4, T.int4, T.int4, T.int4, T.float8], T.timestamp, (a) => makeTs(a))]);
defineFunction('make_timestamptz', [over([T.int4, T.int4, T.int4, T.int4, T.int4, T.float8], T.timestamptz, (a, ctx) => localToUtc(resolveTimeZone(tz(ctx)), makeTs(a)))], { volatility: 'stable' });
function makeTs(a: readonly Datum[]): number {
  const days = makeDays(a[0] as number, a[1] as number, a[2] as number);
  const h = a[3] as number;
  const mi = a[4] as number;
  const sec = a[5] as number;
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `time field value out of range: ${h}:${String(mi).padStart(2, '0')}:${sec}`);
  }
  return days * USECS_PER_DAY + h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + Math.round(sec * USECS_PER_SEC);
}
defineFunction('make_interval', [over([T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8], T.interval, (a) => new Interval(
  (a[0] as number) * 12 + (a[1] as number), (a[2] as number) * 7 + (a[3] as number),
  (a[4] as number) * USECS_PER_HOUR + (a[5] as number) * USECS_PER_MINUTE + Math.round((a[6] as number) * USECS_PER_SEC),
))]);

defineFunction('to_timestamp', [over([T.float8], T.timestamptz, (a) => {
  const s = a[0] as number;
  if (Number.isNaN(s)) throw new SqlError(SQLSTATE.invalidParameterValue, 'timestamp cannot be NaN');
  if (!Number.isFinite(s)) return s;
  const m = Math.round(s * USECS_PER_SEC);
  if (!Number.isSafeInteger(m)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `timestamp out of range: "${s}"`);
  return m;
})]);

defineFunction('justify_hours', [over([T.interval], T.interval, (a) => justifyHours(a[0] as Interval))]);
defineFunction('justify_days', [over([T.interval], T.interval, (a) => justifyDays(a[0] as Interval))]);
defineFunction('justify_interval', [over([T.interval], T.interval, (a) => justifyInterval(a[0] as Interval))]);
defineFunction('isfinite', [
  over([T.timestamptz], T.bool, (a) => Number.isFinite(a[0] as number)),
  over([T.date], T.bool, (a) => Number.isFinite(a[0] as number)),
  over([T.interval], T.bool, () => true),
]);

