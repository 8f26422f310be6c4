/**
 * Window arithmetic for the window table functions (TUMBLE, HOP) on timestamps held as microseconds
 * since 1970-01-01 (types/datum.ts). Windows are half-open [start, start + size) and aligned to the
 * epoch, like PostgreSQL's `date_bin(size, t, '1970-01-01')`: starts round down (towards -infinity),
 * also before 1970. Pure functions over numbers: no SQL values, no errors (the binder checks sizes).
 */

/** The start of the window of length `size` (> 0) holding `t`: the largest multiple of size <= t. */
export function tumbleStart(t: number, size: number): number {
  // An infinite time has no bin: date_bin returns it unchanged, and so do we.
  if (!Number.isFinite(t)) return t;
  const r = t % size;
  // `%` keeps the sign of t; a negative remainder means t lies past the start of its window, to the left.
  return r < 0 ? t - r - size : t - r;
}

/**
 * The starts of every hopping window of length `size` whose start is a multiple of `slide` and which
 * holds `t` (start <= t < start + size), ascending, written to `out` (cleared first). There are
 * ceil(size / slide) or floor(size / slide) of them (exactly size / slide when slide divides size),
 * none when size < slide and t falls in a gap between windows. An infinite `t` gets one window at t.
 */
export function hopStarts(t: number, slide: number, size: number, out: number[]): number[] {
  out.length = 0;
  if (!Number.isFinite(t)) {
    out.push(t);
    return out;
  }
  const last = tumbleStart(t, slide);
  // The first start s with s + size > t, i.e. s > t - size: one slide past the start at or below t - size.
  const first = tumbleStart(t - size, slide) + slide;
  for (let s = first; s <= last; s += slide) out.push(s);
  return out;
}

/** How many windows a HOP emits per row at most: the bound used to size output chunks. */
export function maxHopWindows(slide: number, size: number): number {
  return Math.ceil(size / slide);
}
