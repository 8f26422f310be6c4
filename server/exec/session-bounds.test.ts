/**
 * Session arithmetic: runs split where a time is gap or more after the previous one, sessions span
 * [first, last + gap), lookups by time, and the watermarks a session operator may forward.
 */
import assert from 'node:assert/strict';
import { appendSessions, lowerBound, sessionAt, sessionWatermarks, startsSession } from './session-bounds.js';

describe('session bounds', () => {
  it('starts a new session at exactly gap after the previous time, not before', () => {
    assert.equal(startsSession(5, 14, 10), false);
    assert.equal(startsSession(5, 15, 10), true);
    assert.equal(startsSession(5, 5, 10), false);
    // Infinite times never share a session (as lag() > t - gap is false for them in PostgreSQL).
    assert.equal(startsSession(Infinity, Infinity, 10), true);
  });

  it('appends the sessions of a range of ascending times, and which session holds each time', () => {
    const starts: number[] = [-1];
    const ends: number[] = [9];
    const of: number[] = [];
    appendSessions([0, 5, 15, 20, 24, 40, 99], 1, 6, 10, starts, ends, of);
    // 15 is exactly gap after 5: its own session.
    assert.deepEqual(starts, [-1, 5, 15, 40]);
    assert.deepEqual(ends, [9, 15, 34, 50]);
    assert.deepEqual(of, [0, 1, 1, 1, 2]);
    appendSessions([1], 0, 0, 10, starts, ends);
    assert.equal(starts.length, 4);
  });

  it('finds the session holding a time (start inclusive, end exclusive)', () => {
    const starts = [0, 20, 40];
    const ends = [15, 30, 55];
    assert.equal(sessionAt(starts, ends, -1), -1);
    assert.equal(sessionAt(starts, ends, 0), 0);
    assert.equal(sessionAt(starts, ends, 14), 0);
    assert.equal(sessionAt(starts, ends, 15), -1);
    assert.equal(sessionAt(starts, ends, 29), 1);
    assert.equal(sessionAt(starts, ends, 54), 2);
    assert.equal(sessionAt(starts, ends, 55), -1);
    // 'infinity' and '-infinity' timestamps: each its own session.
    const inf: number[] = [];
    const infEnds: number[] = [];
    appendSessions([-Infinity, 3, Infinity], 0, 3, 10, inf, infEnds);
    assert.deepEqual(inf, [-Infinity, 3, Infinity]);
    assert.equal(sessionAt(inf, infEnds, Infinity), 2);
    assert.equal(sessionAt(inf, infEnds, -Infinity), 0);
  });

  it('lower bounds, strict and not', () => {
    assert.equal(lowerBound([1, 3, 3, 5], 3), 1);
    assert.equal(lowerBound([1, 3, 3, 5], 3, true), 3);
    assert.equal(lowerBound([1, 3, 3, 5], 9), 4);
    assert.equal(lowerBound([], 0), 0);
  });

  it('forwards watermarks no later change can go below', () => {
    // No open session: changes are new rows at or after 100, whose sessions end at 110 or later.
    assert.deepEqual(sessionWatermarks(100, Infinity, 10), { time: 100, start: 100, end: 110 });
    // An open session from 95 (end > 100): its rows may be re-emitted.
    assert.deepEqual(sessionWatermarks(100, 95, 10), { time: 95, start: 95, end: 105 });
    // An open session from 50: its end is past the watermark, so at least 101.
    assert.deepEqual(sessionWatermarks(100, 50, 10), { time: 50, start: 50, end: 101 });
  });
});
