/**
 * SESSION in continuous queries: random transactions of inserts, deletes and updates (ties, times on
 * gap boundaries, before 1970, NULL) go through the dataflow with a barrier after each; the output must
 * equal the same query run in batch after every one. The batch result itself is checked against
 * sessions computed naively (sort, split where a time is gap or more after the previous one).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Datum, Row } from '../../server/types/datum.js';
import { T } from '../../server/types/sql-type.js';
import { formatText } from '../../server/types/text-io.js';
import { FakeDatabase } from '../plan/harness.js';
import type { Columns } from './changelog-harness.js';
import { checkRandomTransactionsAgainstBatch } from './random-transactions.js';

const SEC = 1_000_000;
const COLUMNS: Columns = [['k', T.int4], ['v', T.int4], ['ts', T.timestamp], ['tz', T.timestamptz]];

/** Times around the epoch, many on whole seconds (so gaps of exactly 5 s occur), or NULL. */
const time = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.integer({ min: -12, max: 40 }).map((s) => s * SEC) },
  { weight: 2, arbitrary: fc.integer({ min: -12 * SEC, max: 40 * SEC }) },
);
const row: fc.Arbitrary<Row> = fc
  .tuple(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 }), fc.option(fc.integer({ min: -3, max: 9 }), { nil: null }), time, time)
  .map((r): Datum[] => r);

function checkAgainstBatch(sql: string, numRuns = 60): void {
  checkRandomTransactionsAgainstBatch(sql, COLUMNS, row, numRuns);
}

/** Each row with a time, as [k, v, ts, window_start, window_end], sessions per k when `perKey`. */
function naiveSessions(rows: readonly Row[], gap: number, perKey: boolean): Datum[][] {
  const timed = rows.filter((r) => r[2] !== null);
  const parts = new Map<Datum, Row[]>();
  for (const r of timed) {
    const key = perKey ? r[0]! : 'all';
    parts.set(key, [...(parts.get(key) ?? []), r]);
  }
  const out: Datum[][] = [];
  for (const part of parts.values()) {
    const sorted = [...part].sort((a, b) => (a[2] as number) - (b[2] as number));
    let first = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && (sorted[i]![2] as number) - (sorted[i - 1]![2] as number) < gap) continue;
      const start = sorted[first]![2] as number;
      const end = (sorted[i - 1]![2] as number) + gap;
      for (let j = first; j < i; j++) out.push([sorted[j]![0]!, sorted[j]![1]!, sorted[j]![2]!, start, end]);
      first = i;
    }
  }
  return out;
}

describe('SESSION in continuous queries equals its batch result at every barrier', () => {
  it('rows of one sequence (with a filter above the window)', () => {
    checkAgainstBatch("SELECT k, v, ts, window_start, window_end FROM SESSION(t, ts, INTERVAL '5' SECOND) WHERE v IS DISTINCT FROM 0");
  });

  it('grouped per key and window: count, sum, max', () => {
    checkAgainstBatch("SELECT k, window_start, window_end, count(*), sum(v), max(v) FROM SESSION(t, ts, INTERVAL '5' SECOND) GROUP BY k, window_start, window_end");
  });

  it('grouped by window only, on timestamptz, under a Project', () => {
    checkAgainstBatch("SELECT window_end, count(v), min(v) FROM (SELECT v, window_start AS ws, window_end FROM SESSION(t, tz, INTERVAL '3' SECOND)) AS s GROUP BY window_end");
  });
});

describe('SESSION in batch equals naively computed sessions', () => {
  const text = (v: Datum, type: typeof T.int4) => (v === null ? null : formatText(v, type));
  it('one sequence: every row with its window', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), (rows, gapSeconds) => {
        const db = new FakeDatabase();
        db.table('t', { columns: COLUMNS, rows });
        const batch = db.query(`SELECT k, v, ts, window_start, window_end FROM SESSION(t, ts, INTERVAL '${gapSeconds}' SECOND)`).map((r) => JSON.stringify(r));
        const expected = naiveSessions(rows, gapSeconds * SEC, false).map((r) => JSON.stringify(r.map((v, i) => text(v, i < 2 ? T.int4 : T.timestamp))));
        assert.deepEqual(batch.sort(), expected.sort());
      }),
      { numRuns: 150 },
    );
  });

  it('per key when grouped by it: row counts per session', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), (rows, gapSeconds) => {
        const db = new FakeDatabase();
        db.table('t', { columns: COLUMNS, rows });
        const batch = db.query(`SELECT k, window_start, window_end, count(*) FROM SESSION(t, ts, INTERVAL '${gapSeconds}' SECOND) GROUP BY k, window_start, window_end`).map((r) => JSON.stringify(r));
        const counts = new Map<string, number>();
        for (const r of naiveSessions(rows, gapSeconds * SEC, true)) {
          const key = JSON.stringify([text(r[0]!, T.int4), text(r[3]!, T.timestamp), text(r[4]!, T.timestamp)]);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const expected = [...counts].map(([key, n]) => JSON.stringify([...(JSON.parse(key) as unknown[]), String(n)]));
        assert.deepEqual(batch.sort(), expected.sort());
      }),
      { numRuns: 150 },
    );
  });
});
