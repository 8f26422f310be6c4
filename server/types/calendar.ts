/**
 * Proleptic Gregorian calendar arithmetic on the datum representations: dates as days since
 * 1970-01-01 and timestamps as microseconds since 1970-01-01 00:00. Years are astronomical here
 * (0 is 1 BC); only text I/O turns them into PostgreSQL's "BC" form.
 */

export const USECS_PER_SEC = 1_000_000;
export const USECS_PER_MINUTE = 60 * USECS_PER_SEC;
export const USECS_PER_HOUR = 60 * USECS_PER_MINUTE;
export const USECS_PER_DAY = 24 * USECS_PER_HOUR;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** Days since 1970-01-01 of a civil date (month may be out of 1..12; it carries into the year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  let y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

/** Split microseconds since the epoch into a day number and microseconds into that day. */
export function splitTimestamp(micros: number): { days: number; timeOfDay: number } {
  const days = Math.floor(micros / USECS_PER_DAY);
  return { days, timeOfDay: micros - days * USECS_PER_DAY };
}

/** Day of week, 0 = Sunday. */
export function dayOfWeek(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** PostgreSQL's date range: 4714-11-24 BC .. 5874897-12-31; timestamps end at 294276-12-31. */
export const MIN_DATE_DAYS = daysFromCivil(-4713, 11, 24);
export const MAX_DATE_DAYS = daysFromCivil(5874898, 1, 1) - 1;
export const MIN_TIMESTAMP = MIN_DATE_DAYS * USECS_PER_DAY;
export const MAX_TIMESTAMP_EXCL = daysFromCivil(294277, 1, 1) * USECS_PER_DAY;

/** Add months to a date as PostgreSQL does: the day clamps to the target month's length. */
export function addMonthsToDays(days: number, months: number): number {
  const c = civilFromDays(days);
  const total = c.year * 12 + (c.month - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(c.day, daysInMonth(y, m)));
}
