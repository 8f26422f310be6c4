/**
 * Broken-down date/time fields of a datum (year, ISO week, day of week, ...), shared by
 * extract/date_part, date_trunc, age and to_char. Timestamptz values are broken down in the
 * session's zone; years are astronomical here and turned into PostgreSQL's field values by callers.
 */
import { civilFromDays, dayOfWeek, daysFromCivil, splitTimestamp, USECS_PER_DAY, USECS_PER_SEC } from '../types/calendar.js';
import { resolveTimeZone, zoneOffsetAt } from '../types/time-zone.js';

export interface BrokenDown {
  year: number; // astronomical: 0 is 1 BC
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number; // whole seconds
  micros: number; // microseconds within the second
  days: number; // days since epoch of the local date
  timeOfDay: number;
  offsetSec: number; // UTC offset in force (timestamptz), else 0
}

export function breakDownLocal(localMicros: number, offsetSec = 0): BrokenDown {
  const { days, timeOfDay } = splitTimestamp(localMicros);
  const c = civilFromDays(days);
  const secs = Math.floor(timeOfDay / USECS_PER_SEC);
  return {
    year: c.year, month: c.month, day: c.day,
    hour: Math.floor(secs / 3600), minute: Math.floor((secs % 3600) / 60), second: secs % 60,
    micros: timeOfDay - secs * USECS_PER_SEC, days, timeOfDay, offsetSec,
  };
}

export function breakDownTimestamptz(utcMicros: number, timeZone: string): BrokenDown {
  const off = zoneOffsetAt(resolveTimeZone(timeZone), utcMicros);
  return breakDownLocal(utcMicros + off * USECS_PER_SEC, off);
}

/** ISO 8601 week-numbering year and week of a day. */
export function isoWeek(days: number): { isoYear: number; week: number } {
  const isoDow = ((dayOfWeek(days) + 6) % 7) + 1; // 1 = Monday
  const thursday = days + (4 - isoDow);
  const y = civilFromDays(thursday).year;
  const jan1 = daysFromCivil(y, 1, 1);
  return { isoYear: y, week: Math.floor((thursday - jan1) / 7) + 1 };
}

export function dayOfYear(b: BrokenDown): number {
  return b.days - daysFromCivil(b.year, 1, 1) + 1;
}

/** PostgreSQL's year field: there is no year 0, 1 BC is -1. */
export function yearField(y: number): number {
  return y > 0 ? y : y - 1;
}

export function centuryOf(y: number): number {
  return y > 0 ? Math.trunc((y + 99) / 100) : -Math.trunc((99 - (y - 1)) / 100);
}

export function millenniumOf(y: number): number {
  return y > 0 ? Math.trunc((y + 999) / 1000) : -Math.trunc((999 - (y - 1)) / 1000);
}

export function decadeOf(y: number): number {
  return y >= 0 ? Math.trunc(y / 10) : -Math.trunc((8 - (y - 1)) / 10);
}

export const JULIAN_EPOCH_OFFSET = 2440588; // Julian day number of 1970-01-01

export { USECS_PER_DAY };
