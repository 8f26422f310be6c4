/**
 * Text I/O for date, time, timestamp and timestamptz with DateStyle ISO, MDY: the output PostgreSQL's
 * output functions print ('2020-01-02 03:04:05.5+05:30', '0044-03-15 BC', 'infinity') and the input
 * forms its datetime parser accepts most often (ISO, MDY with slashes, month names, zones, BC, specials).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import {
  civilFromDays, daysFromCivil, daysInMonth, MAX_DATE_DAYS, MAX_TIMESTAMP_EXCL, MIN_DATE_DAYS, MIN_TIMESTAMP,
  splitTimestamp, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
} from './calendar.js';
import { localToUtc, parseOffsetText, resolveTimeZone, type TimeZone, zoneOffsetAt } from './time-zone.js';

export type DatetimeKind = 'date' | 'time' | 'timestamp' | 'timestamptz';

/** The type names PostgreSQL's input functions put in their error messages. */
const TYPE_NAMES: Record<DatetimeKind, string> = {
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamp with time zone',
};

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

function yearText(year: number): { text: string; bc: boolean } {
  return year <= 0 ? { text: pad(1 - year, 4), bc: true } : { text: pad(year, 4), bc: false };
}

export function formatDate(days: number): string {
  if (days === Infinity) return 'infinity';
  if (days === -Infinity) return '-infinity';
  const c = civilFromDays(days);
  const y = yearText(c.year);
  return `${y.text}-${pad(c.month, 2)}-${pad(c.day, 2)}${y.bc ? ' BC' : ''}`;
}

/** HH:MM:SS[.ffffff] with trailing zeros of the fraction trimmed. Hours may exceed 24 (intervals). */
export function formatClock(micros: number): string {
  const hours = Math.floor(micros / USECS_PER_HOUR);
  let rest = micros - hours * USECS_PER_HOUR;
  const minutes = Math.floor(rest / USECS_PER_MINUTE);
  rest -= minutes * USECS_PER_MINUTE;
  const seconds = Math.floor(rest / USECS_PER_SEC);
  const frac = rest - seconds * USECS_PER_SEC;
  let s = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  if (frac > 0) s += '.' + pad(frac, 6).replace(/0+$/, '');
  return s;
}

export function formatTime(micros: number): string {
  return formatClock(micros);
}

export function formatTimestamp(micros: number): string {
  if (micros === Infinity) return 'infinity';
  if (micros === -Infinity) return '-infinity';
  const { days, timeOfDay } = splitTimestamp(micros);
  const c = civilFromDays(days);
  const y = yearText(c.year);
  return `${y.text}-${pad(c.month, 2)}-${pad(c.day, 2)} ${formatClock(timeOfDay)}${y.bc ? ' BC' : ''}`;
}

/** '+05', '-03:30', '+00:53:28' as PostgreSQL prints a UTC offset (seconds east). */
export function formatOffset(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const a = Math.abs(offsetSec);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  let out = sign + pad(h, 2);
  if (m !== 0 || s !== 0) out += ':' + pad(m, 2);
  if (s !== 0) out += ':' + pad(s, 2);
  return out;
}

export function formatTimestamptz(micros: number, zone: TimeZone): string {
  if (!Number.isFinite(micros)) return micros > 0 ? 'infinity' : '-infinity';
  const off = zoneOffsetAt(zone, micros);
  const local = micros + off * USECS_PER_SEC;
  const { days, timeOfDay } = splitTimestamp(local);
  const c = civilFromDays(days);
  const y = yearText(c.year);
  return `${y.text}-${pad(c.month, 2)}-${pad(c.day, 2)} ${formatClock(timeOfDay)}${formatOffset(off)}${y.bc ? ' BC' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Input

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};
const WEEKDAYS = new Set(['sun', 'mon', 'tue', 'tues', 'wed', 'wednes', 'thu', 'thur', 'thurs', 'fri', 'sat',
  'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);

/** Wall-clock fields parsed from text, before any zone is applied. */
interface ParsedFields {
  year?: number; // astronomical
  month?: number;
  day?: number;
  micros: number; // time of day
  zoneOffset?: number; // seconds east, when the text names an offset
  zone?: TimeZone;
  hasTime: boolean;
}

export function badFormat(kind: string, text: string): SqlError {
  return new SqlError(SQLSTATE.invalidDatetimeFormat, `invalid input syntax for type ${kind}: "${text}"`);
}

function fieldOverflow(text: string): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
}

/** Microseconds from a fraction written as digits after the point, rounded half to even. */
export function fractionMicros(digits: string): number {
  if (!digits) return 0;
  const head = Number(pad(0, 0) + digits.slice(0, 6).padEnd(6, '0'));
  const tail = digits.slice(6);
  if (!tail || tail[0] < '5') return head;
  if (tail[0] > '5' || /[1-9]/.test(tail.slice(1))) return head + 1;
  return head % 2 === 0 ? head : head + 1;
}

function fixTwoDigitYear(yearText: string, year: number): number {
  if (yearText.length <= 2) return year < 70 ? year + 2000 : year + 1900;
  return year;
}

/** Parse the clock part 'HH:MM[:SS[.fff]]' with optional am/pm; returns microseconds or undefined. */
function parseClock(s: string, text: string, kind: string): { micros: number; rest: string } | undefined {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?(?:\s*(am|pm|a\.m\.|p\.m\.)(?![a-z]))?/i.exec(s);
  if (!m) return undefined;
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = m[3] ? Number(m[3]) : 0;
  const frac = fractionMicros(m[4] ?? '');
  if (m[5]) {
    if (h > 12 || h === 0) throw fieldOverflow(text);
    const pm = m[5].toLowerCase().startsWith('p');
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  if (mi > 59 || sec > 60) throw fieldOverflow(text);
  let micros = h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + sec * USECS_PER_SEC + frac;
  if (h > 24 || micros > USECS_PER_DAY) throw fieldOverflow(text);
  void kind;
  return { micros, rest: s.slice(m[0].length) };
}

function parseFields(text: string, kind: DatetimeKind): ParsedFields {
  const typeName = TYPE_NAMES[kind];
  let s = text.trim().toLowerCase();
  let bc = false;
  s = s.replace(/(^|\s)(bc|ad)(?=\s|$)/g, (_all, pre: string, era: string) => {
    if (era === 'bc') bc = true;
    return pre;
  }).trim();
  const out: ParsedFields = { micros: 0, hasTime: false };
  let yearTextRaw = '';
  // leading weekday name ("Mon, Jan 3 2020")
  const wd = /^([a-z]+),?\s+/.exec(s);
  if (wd && WEEKDAYS.has(wd[1])) s = s.slice(wd[0].length);
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)-(\d{1,2})-(\d{1,2})/.exec(s))) {
    yearTextRaw = m[1];
    out.year = Number(m[1]); out.month = Number(m[2]); out.day = Number(m[3]);
  } else if ((m = /^(\d+)-([a-z]{3,9})-(\d+)/.exec(s)) && MONTHS[m[2]]) {
    // DD-Mon-YYYY or YYYY-Mon-DD
    if (m[1].length > 2) { yearTextRaw = m[1]; out.year = Number(m[1]); out.day = Number(m[3]); }
    else { yearTextRaw = m[3]; out.year = Number(m[3]); out.day = Number(m[1]); }
    out.month = MONTHS[m[2]];
  } else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d+)/.exec(s))) {
    yearTextRaw = m[3];
    out.month = Number(m[1]); out.day = Number(m[2]); out.year = Number(m[3]);
  } else if ((m = /^(\d{4,})\/(\d{1,2})\/(\d{1,2})/.exec(s))) {
    yearTextRaw = m[1];
    out.year = Number(m[1]); out.month = Number(m[2]); out.day = Number(m[3]);
  } else if ((m = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d+)/.exec(s)) && MONTHS[m[1]]) {
    yearTextRaw = m[3];
    out.month = MONTHS[m[1]]; out.day = Number(m[2]); out.year = Number(m[3]);
  } else if ((m = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d+)/.exec(s)) && MONTHS[m[2]]) {
    yearTextRaw = m[3];
    out.day = Number(m[1]); out.month = MONTHS[m[2]]; out.year = Number(m[3]);
  } else if ((m = /^(\d{4})(\d{2})(\d{2})(?=$|[\sT])/.exec(s))) {
    yearTextRaw = m[1];
    out.year = Number(m[1]); out.month = Number(m[2]); out.day = Number(m[3]);
  }
  if (m && out.year !== undefined) {
    s = s.slice(m[0].length);
    out.year = fixTwoDigitYear(yearTextRaw, out.year);
    if (bc) {
      if (out.year === 0) throw fieldOverflow(text);
      out.year = 1 - out.year;
    }
    if (s.startsWith('t')) s = s.slice(1);
    s = s.trim();
  } else if (kind !== 'time') {
    throw badFormat(typeName, text);
  }
  if (s.length > 0) {
    const clock = parseClock(s, text, typeName);
    if (clock) {
      out.micros = clock.micros;
      out.hasTime = true;
      s = clock.rest.trim();
    } else if (kind === 'time') {
      throw badFormat(typeName, text);
    }
  }
  if (s.length > 0) {
    if (s === 'z') out.zoneOffset = 0;
    else {
      const off = parseOffsetText(s.replace(/\s+/g, ''));
      if (off !== undefined) out.zoneOffset = off;
      else {
        try {
          const z = resolveTimeZone(s, false);
          if (z.kind === 'fixed') out.zoneOffset = z.offsetSec;
          else out.zone = z;
        } catch {
          throw badFormat(typeName, text);
        }
      }
    }
  }
  if (out.year !== undefined) {
    const month = out.month!;
    if (month < 1 || month > 12 || out.day! < 1 || out.day! > daysInMonth(out.year, month)) throw fieldOverflow(text);
  }
  return out;
}

/** Specials: 'infinity', 'epoch', 'today', ... as days or micros; undefined when `text` is none. */
function special(text: string, kind: DatetimeKind, nowMicros: number, zone: TimeZone): number | undefined {
  const t = text.trim().toLowerCase();
  const dayOf = (micros: number) => Math.floor((micros + zoneOffsetAt(zone, micros) * USECS_PER_SEC) / USECS_PER_DAY);
  const asLocalMidnight = (days: number) => kind === 'date' ? days
    : kind === 'timestamptz' ? localToUtc(zone, days * USECS_PER_DAY) : days * USECS_PER_DAY;
  switch (t) {
    case 'infinity': case '+infinity': return kind === 'time' ? undefined : Infinity;
    case '-infinity': return kind === 'time' ? undefined : -Infinity;
    case 'epoch': return kind === 'time' ? undefined : 0;
    case 'now':
      if (kind === 'date') return dayOf(nowMicros);
      if (kind === 'timestamp') return nowMicros + zoneOffsetAt(zone, nowMicros) * USECS_PER_SEC;
      if (kind === 'time') return (((nowMicros + zoneOffsetAt(zone, nowMicros) * USECS_PER_SEC) % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY;
      return nowMicros;
    case 'today': return kind === 'time' ? undefined : asLocalMidnight(dayOf(nowMicros));
    case 'tomorrow': return kind === 'time' ? undefined : asLocalMidnight(dayOf(nowMicros) + 1);
    case 'yesterday': return kind === 'time' ? undefined : asLocalMidnight(dayOf(nowMicros) - 1);
    case 'allballs': return kind === 'time' ? 0 : undefined;
    default: return undefined;
  }
}

export interface DatetimeInputContext {
  readonly zone: TimeZone;
  readonly nowMicros: number;
}

export function parseDate(text: string, ctx: DatetimeInputContext): number {
  const sp = special(text, 'date', ctx.nowMicros, ctx.zone);
  if (sp !== undefined) return sp;
  const f = parseFields(text, 'date');
  const days = daysFromCivil(f.year!, f.month!, f.day!);
  if (days < MIN_DATE_DAYS || days > MAX_DATE_DAYS) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date out of range: "${text}"`);
  return days;
}

export function parseTime(text: string, ctx: DatetimeInputContext): number {
  const sp = special(text, 'time', ctx.nowMicros, ctx.zone);
  if (sp !== undefined) return sp;
  return parseFields(text, 'time').micros;
}

export function parseTimestamp(text: string, withZone: boolean, ctx: DatetimeInputContext): number {
  const kind: DatetimeKind = withZone ? 'timestamptz' : 'timestamp';
  const sp = special(text, kind, ctx.nowMicros, ctx.zone);
  if (sp !== undefined) return sp;
  const f = parseFields(text, kind);
  const local = daysFromCivil(f.year!, f.month!, f.day!) * USECS_PER_DAY + f.micros;
  let result = local;
  if (withZone) {
    if (f.zoneOffset !== undefined) result = local - f.zoneOffset * USECS_PER_SEC;
    else result = localToUtc(f.zone ?? ctx.zone, local);
  }
  if (result < MIN_TIMESTAMP || result >= MAX_TIMESTAMP_EXCL) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  }
  return result;
}
