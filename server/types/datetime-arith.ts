/**
 * Date/time arithmetic as PostgreSQL defines it: intervals added field by field (months clamp the
 * day, then days, then microseconds; for timestamptz months and days move local wall-clock time),
 * timestamp differences as days plus time, and interval scaling with fractional months/days
 * cascading into days/time.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { addMonthsToDays, MAX_TIMESTAMP_EXCL, MIN_TIMESTAMP, splitTimestamp, USECS_PER_DAY, USECS_PER_SEC } from './calendar.js';
import { Interval } from './datum.js';
import { localToUtc, type TimeZone, zoneOffsetAt } from './time-zone.js';

function tsOverflow(): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, 'timestamp out of range');
}

function intervalOverflow(): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
}

function checkTs(t: number): number {
  if (t < MIN_TIMESTAMP || t >= MAX_TIMESTAMP_EXCL) throw tsOverflow();
  return t;
}

/** timestamp (without zone) + interval. */
export function timestampPlusInterval(ts: number, iv: Interval): number {
  if (!Number.isFinite(ts)) return ts;
  let t = ts;
  if (iv.months !== 0) {
    const { days, timeOfDay } = splitTimestamp(t);
    t = addMonthsToDays(days, iv.months) * USECS_PER_DAY + timeOfDay;
  }
  t += iv.days * USECS_PER_DAY;
  t += iv.micros;
  return checkTs(t);
}

/** timestamptz + interval: months and days move local time in `zone`, microseconds move the instant. */
export function timestamptzPlusInterval(ts: number, iv: Interval, zone: TimeZone): number {
  if (!Number.isFinite(ts)) return ts;
  let t = ts;
  if (iv.months !== 0 || iv.days !== 0) {
    const local = t + zoneOffsetAt(zone, t) * USECS_PER_SEC;
    const { days, timeOfDay } = splitTimestamp(local);
    const newDays = addMonthsToDays(days, iv.months) + iv.days;
    t = localToUtc(zone, newDays * USECS_PER_DAY + timeOfDay);
  }
  return checkTs(t + iv.micros);
}

export function negateInterval(iv: Interval): Interval {
  return new Interval(-iv.months + 0, -iv.days + 0, -iv.micros + 0);
}

export function addIntervals(a: Interval, b: Interval): Interval {
  const r = new Interval(a.months + b.months, a.days + b.days, a.micros + b.micros);
  if (Math.abs(r.months) > 2147483647 || Math.abs(r.days) > 2147483647 || !Number.isSafeInteger(r.micros)) throw intervalOverflow();
  return r;
}

export function subIntervals(a: Interval, b: Interval): Interval {
  return addIntervals(a, negateInterval(b));
}

/** timestamp - timestamp: whole days and the remaining time (justify_hours). */
export function timestampDifference(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  // day and time parts separately: the difference itself may exceed 2^53 microseconds
  const x = splitTimestamp(a);
  const y = splitTimestamp(b);
  let days = x.days - y.days;
  let micros = x.timeOfDay - y.timeOfDay;
  if (days > 0 && micros < 0) { days--; micros += USECS_PER_DAY; }
  else if (days < 0 && micros > 0) { days++; micros -= USECS_PER_DAY; }
  return new Interval(0, days + 0, micros + 0);
}

/** interval * factor with fractional months and days cascading as PostgreSQL's interval_mul does. */
export function scaleInterval(iv: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw intervalOverflow();
  const monthsExact = iv.months * factor;
  const daysExact = iv.days * factor;
  const months = Math.trunc(monthsExact);
  let days = Math.trunc(daysExact);
  if (!Number.isFinite(monthsExact) || Math.abs(months) > 2147483647 || Math.abs(days) > 2147483647) throw intervalOverflow();
  const monthRemainderDays = tsRound((monthsExact - months) * 30);
  let secRemainder = tsRound((daysExact - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    const extra = Math.trunc(secRemainder / 86400);
    days += extra;
    secRemainder -= extra * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rintMicros(iv.micros * factor + secRemainder * USECS_PER_SEC);
  if (!Number.isSafeInteger(micros)) throw intervalOverflow();
  return new Interval(months + 0, days + 0, micros + 0);
}

export function divideInterval(iv: Interval, divisor: number): Interval {
  if (divisor === 0) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
  const monthsExact = iv.months / divisor;
  const daysExact = iv.days / divisor;
  const months = Math.trunc(monthsExact);
  let days = Math.trunc(daysExact);
  const monthRemainderDays = tsRound((monthsExact - months) * 30);
  let secRemainder = tsRound((daysExact - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    const extra = Math.trunc(secRemainder / 86400);
    days += extra;
    secRemainder -= extra * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rintMicros(iv.micros / divisor + secRemainder * USECS_PER_SEC);
  return new Interval(months + 0, days + 0, micros + 0);
}

/** Round to microsecond precision, as the fractional-day cascade does before truncating. */
function tsRound(x: number): number {
  return rintMicros(x * 1e6) / 1e6;
}

function rintMicros(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** justify_hours: move whole 24-hour spans of the time part into days. */
export function justifyHours(iv: Interval): Interval {
  let days = iv.days + Math.trunc(iv.micros / USECS_PER_DAY);
  let micros = iv.micros % USECS_PER_DAY;
  if (days > 0 && micros < 0) { micros += USECS_PER_DAY; days--; }
  else if (days < 0 && micros > 0) { micros -= USECS_PER_DAY; days++; }
  return new Interval(iv.months, days + 0, micros + 0);
}

/** justify_days: move whole 30-day spans into months. */
export function justifyDays(iv: Interval): Interval {
  let months = iv.months + Math.trunc(iv.days / 30);
  let days = iv.days % 30;
  if (months > 0 && days < 0) { days += 30; months--; }
  else if (months < 0 && days > 0) { days -= 30; months++; }
  return new Interval(months + 0, days + 0, iv.micros);
}

export function justifyInterval(iv: Interval): Interval {
  let months = iv.months;
  let days = iv.days + Math.trunc(iv.micros / USECS_PER_DAY);
  let micros = iv.micros % USECS_PER_DAY;
  months += Math.trunc(days / 30);
  days = days % 30;
  if (months > 0 && (days < 0 || (days === 0 && micros < 0))) { days += 30; months--; }
  else if (months < 0 && (days > 0 || (days === 0 && micros > 0))) { days -= 30; months++; }
  if (days > 0 && micros < 0) { micros += USECS_PER_DAY; days--; }
  else if (days < 0 && micros > 0) { micros -= USECS_PER_DAY; days++; }
  return new Interval(months + 0, days + 0, micros + 0);
}
