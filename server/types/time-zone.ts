/**
 * Session time zones: a fixed offset or an IANA zone (through Intl), and the two conversions
 * timestamptz needs: the UTC offset in force at an instant, and the instant a local wall-clock time
 * names (PostgreSQL's choices in DST gaps and overlaps). Offsets are seconds east of Greenwich.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { daysFromCivil, USECS_PER_SEC } from './calendar.js';

export type TimeZone = { readonly kind: 'fixed'; readonly offsetSec: number; readonly name: string } | { readonly kind: 'iana'; readonly name: string };

const zoneCache = new Map<string, TimeZone>();
const UTC_ZONE: TimeZone = { kind: 'fixed', offsetSec: 0, name: 'UTC' };

/** A numeric offset written as [+-]H[H][[:]MM[[:]SS]]; undefined when `text` is not one. Sign as written (ISO). */
export function parseOffsetText(text: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  if (Number(m[2]) > 15 || Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59) return undefined;
  return m[1] === '-' ? -secs : secs;
}

function ianaValid(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Resolve a TimeZone setting or a zone written in a timestamp. As in PostgreSQL, a bare offset
 * in a *setting* ('+05:30', 'UTC+3') follows POSIX (positive = west); `posixSigns` selects that.
 */
export function resolveTimeZone(name: string, posixSigns = true): TimeZone {
  const key = (posixSigns ? 'p:' : 'i:') + name;
  const cached = zoneCache.get(key);
  if (cached) return cached;
  const z = resolveUncached(name.trim(), posixSigns);
  if (!z) throw new SqlError(SQLSTATE.invalidParameterValue, `time zone "${name}" not recognized`);
  zoneCache.set(key, z);
  return z;
}

function resolveUncached(name: string, posixSigns: boolean): TimeZone | undefined {
  const lower = name.toLowerCase();
  if (lower === 'utc' || lower === 'gmt' || lower === 'z' || lower === 'zulu' || lower === 'etc/utc' || lower === 'universal') return UTC_ZONE;
  const posix = /^(?:utc|gmt)?([+-].*)$/i.exec(name);
  if (posix) {
    const off = parseOffsetText(posix[1]);
    if (off !== undefined) return { kind: 'fixed', offsetSec: posixSigns ? -off : off, name };
  }
  const iana = ianaValid(name);
  if (iana) return iana === 'UTC' ? UTC_ZONE : { kind: 'iana', name: iana };
  return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Seconds east of UTC in force in `zone` at the instant `utcMicros`. */
export function zoneOffsetAt(zone: TimeZone, utcMicros: number): number {
  if (zone.kind === 'fixed') return zone.offsetSec;
  if (!Number.isFinite(utcMicros)) return 0;
  const utcSec = Math.floor(utcMicros / USECS_PER_SEC);
  const key = zone.name + '@' + utcSec;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const ms = utcSec * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  const dt = new Date(ms);
  if (Number.isNaN(dt.getTime())) return 0;
  for (const p of formatterFor(zone.name).formatToParts(dt)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
      default: break;
    }
  }
  const year = bc ? 1 - y : y;
  const localSec = daysFromCivil(year, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
  const off = localSec - utcSec;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

/**
 * The instant that local wall-clock time `localMicros` names in `zone`. In a DST gap the offset from
 * before the transition applies; in an overlap the later instant (standard time) wins.
 */
export function localToUtc(zone: TimeZone, localMicros: number): number {
  if (zone.kind === 'fixed') return localMicros - zone.offsetSec * USECS_PER_SEC;
  if (!Number.isFinite(localMicros)) return localMicros;
  const day = 86_400 * USECS_PER_SEC;
  const before = zoneOffsetAt(zone, localMicros - day);
  const after = zoneOffsetAt(zone, localMicros + day);
  const u1 = localMicros - before * USECS_PER_SEC;
  if (before === after) {
    if (zoneOffsetAt(zone, u1) === before) return u1;
    const mid = zoneOffsetAt(zone, u1);
    return localMicros - mid * USECS_PER_SEC;
  }
  const u2 = localMicros - after * USECS_PER_SEC;
  const ok1 = zoneOffsetAt(zone, u1) === before;
  const ok2 = zoneOffsetAt(zone, u2) === after;
  if (ok1 && ok2) return Math.max(u1, u2);
  if (ok2) return u2;
  if (ok1) return u1;
  return u1;
}
