/**
 * Session arithmetic for SESSION windows on times held as microseconds (types/datum.ts). A session
 * is a maximal run of sorted times in which each is less than `gap` after the one before; it spans
 * [first, last + gap). Also the watermarks a session operator may promise downstream. Pure functions
 * over numbers: no SQL values, no errors (the binder checks the gap).
 */

/** Whether a row at `t` (>= prev) starts a new session after a row at `prev`. An infinite pair never shares one. */
export function startsSession(prev: number, t: number, gap: number): boolean {
  return !(t - prev < gap);
}

/**
 * Appends to `starts` / `ends` the sessions of the ascending times `times[from..to)`, and to
 * `sessionOf` (when given) the index, counted from the first appended session, of each time's session.
 */
export function appendSessions(times: readonly number[], from: number, to: number, gap: number, starts: number[], ends: number[], sessionOf?: number[]): void {
  if (from >= to) return;
  const base = starts.length;
  let start = times[from]!;
  let last = start;
  sessionOf?.push(0);
  for (let i = from + 1; i < to; i++) {
    const t = times[i]!;
    if (startsSession(last, t, gap)) {
      starts.push(start);
      ends.push(last + gap);
      start = t;
    }
    last = t;
    sessionOf?.push(starts.length - base);
  }
  starts.push(start);
  ends.push(last + gap);
}

/** The index of the session in ascending `starts` / `ends` that holds `t` (start <= t < end), or -1. */
export function sessionAt(starts: readonly number[], ends: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  // The last session starting at or before t.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  // An infinite time is its own session, [t, t + gap) = [t, t) in floating point: it holds t all the same.
  return k >= 0 && (t < ends[k]! || (t === starts[k]! && !Number.isFinite(t))) ? k : -1;
}

/** The first index i in ascending `values` with values[i] >= x (`strict`: > x). */
export function lowerBound(values: readonly number[], x: number, strict = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The watermarks a session operator may forward once its input's time watermark is `watermark` and
 * the earliest start of a session that can still change is `openStart` (Infinity: none). Any later
 * change touches a row of an open session or a row at or after the watermark, so: time and
 * window_start are at least min(watermark, openStart); a window_end is the end of an open session
 * (> watermark, so >= watermark + 1 µs, and >= openStart + gap), or a new session's end
 * (>= watermark + gap). So a session ending exactly at the watermark is below window_end's watermark.
 */
export function sessionWatermarks(watermark: number, openStart: number, gap: number): { time: number; start: number; end: number } {
  const low = Math.min(watermark, openStart);
  return { time: low, start: low, end: Math.max(watermark + 1, Math.min(low + gap, watermark + gap)) };
}
