/**
 * Window arithmetic: TUMBLE starts round down to a multiple of the size (also before 1970), and HOP
 * finds exactly the windows [s, s + size) with s a multiple of slide that hold t, checked against a
 * brute-force scan for random times, slides and sizes (size % slide != 0 included).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hopStarts, maxHopWindows, tumbleStart } from './window-bounds.js';

const SEC = 1_000_000;

/** Times within about ±60 years of 1970, in microseconds (fc.integer stays within 32 bits). */
const anyTime = fc.tuple(fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.integer({ min: 0, max: 999_999_999 })).map(([hi, lo]) => hi * 1e9 + lo);

/** Every multiple of slide in a generous range around t whose window holds t. */
function hopByScan(t: number, slide: number, size: number): number[] {
  const out: number[] = [];
  const from = Math.floor((t - size) / slide) - 2;
  const to = Math.floor(t / slide) + 2;
  for (let k = from; k <= to; k++) {
    const s = k * slide;
    if (s <= t && t < s + size) out.push(s);
  }
  return out;
}

describe('window bounds', () => {
  it('TUMBLE aligns to multiples of the size since the epoch', () => {
    assert.equal(tumbleStart(0, 10 * SEC), 0);
    assert.equal(tumbleStart(3 * SEC, 10 * SEC), 0);
    assert.equal(tumbleStart(10 * SEC, 10 * SEC), 10 * SEC);
    assert.equal(tumbleStart(10 * SEC - 1, 10 * SEC), 0);
    assert.equal(tumbleStart(10 * SEC + 1, 10 * SEC), 10 * SEC);
  });

  it('TUMBLE rounds down, not towards zero, before 1970', () => {
    assert.equal(tumbleStart(-1, 10 * SEC), -10 * SEC);
    assert.equal(tumbleStart(-5 * SEC, 10 * SEC), -10 * SEC);
    assert.equal(tumbleStart(-10 * SEC, 10 * SEC), -10 * SEC);
    assert.equal(tumbleStart(-10 * SEC - 1, 10 * SEC), -20 * SEC);
    // 1969-12-31 23:59:55 in a one-day window starts 1969-12-31 00:00.
    assert.equal(tumbleStart(-5 * SEC, 86_400 * SEC), -86_400 * SEC);
  });

  it('TUMBLE leaves an infinite time as it is (as date_bin does)', () => {
    assert.equal(tumbleStart(Infinity, SEC), Infinity);
    assert.equal(tumbleStart(-Infinity, SEC), -Infinity);
  });

  it('TUMBLE: start <= t < start + size and start is a multiple of size, for any t', () => {
    fc.assert(fc.property(anyTime, fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 1, max: 100 }), (t, unit, factor) => {
      const size = unit * factor;
      const s = tumbleStart(t, size);
      assert.ok(s <= t && t < s + size, `t=${t} size=${size} start=${s}`);
      assert.equal(Math.abs(s % size), 0);
    }));
  });

  it('HOP with a slide dividing the size: size/slide windows, ascending', () => {
    assert.deepEqual(hopStarts(12 * SEC, 5 * SEC, 10 * SEC, []), [5 * SEC, 10 * SEC]);
    assert.deepEqual(hopStarts(10 * SEC, 5 * SEC, 10 * SEC, []), [5 * SEC, 10 * SEC]);
    assert.deepEqual(hopStarts(0, 5 * SEC, 15 * SEC, []), [-10 * SEC, -5 * SEC, 0]);
    assert.deepEqual(hopStarts(-1, 5 * SEC, 10 * SEC, []), [-10 * SEC, -5 * SEC]);
  });

  it('HOP with size % slide != 0: two or three windows of 10 s every 4 s', () => {
    // t = 1 s: windows starting at -8, -4, 0 hold it (-8 + 10 = 2 > 1).
    assert.deepEqual(hopStarts(1 * SEC, 4 * SEC, 10 * SEC, []), [-8 * SEC, -4 * SEC, 0]);
    // t = 3 s: -8 + 10 = 2 <= 3, so only -4 and 0.
    assert.deepEqual(hopStarts(3 * SEC, 4 * SEC, 10 * SEC, []), [-4 * SEC, 0]);
    // exactly at an end: t = 2 s is not in [-8, 2).
    assert.deepEqual(hopStarts(2 * SEC, 4 * SEC, 10 * SEC, []), [-4 * SEC, 0]);
  });

  it('HOP with a size smaller than the slide leaves gaps', () => {
    assert.deepEqual(hopStarts(1 * SEC, 5 * SEC, 2 * SEC, []), [0]);
    assert.deepEqual(hopStarts(2 * SEC, 5 * SEC, 2 * SEC, []), []);
    assert.deepEqual(hopStarts(-4 * SEC, 5 * SEC, 2 * SEC, []), [-5 * SEC]);
  });

  it('HOP reuses and clears the output array; an infinite time gets one window', () => {
    const out = [1, 2, 3, 4];
    assert.equal(hopStarts(0, 10, 10, out), out);
    assert.deepEqual(out, [0]);
    assert.deepEqual(hopStarts(-Infinity, 10, 30, out), [-Infinity]);
  });

  it('HOP equals a brute-force scan of the multiples of slide', () => {
    fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 200 }), (t, slide, size) => {
      const got = hopStarts(t, slide, size, []);
      assert.deepEqual(got, hopByScan(t, slide, size), `t=${t} slide=${slide} size=${size}`);
      assert.ok(got.length <= maxHopWindows(slide, size));
      if (size % slide === 0) assert.equal(got.length, size / slide);
    }), { numRuns: 2000 });
  });
});
