/**
 * IntervalJoinOperator: under random interleavings of inserts and watermarks on both inputs (rows
 * respecting their input's watermark, NULL keys and times, ties on the bounds) its output equals a
 * nested-loop join of every row seen under the full SQL condition, and its output watermarks never
 * go down and are never broken by a later row. Eviction happens exactly at the inclusive/exclusive
 * edge; state stays flat over 200,000 rows; a run without watermarks keeps everything.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import { Messages, type Message } from '../../server/dynamic-table/message.js';
import { compileExpr } from '../../server/exec/expr/compile.js';
import { analyzeIntervalJoin } from '../../server/exec/interval-join-bounds.js';
import { IntervalJoinOperator } from '../../server/exec/operators/interval-join.js';
import type { Downstream } from '../../server/exec/operators/operator.js';
import type { JoinNode } from '../../server/plan/logical/join.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { intervalJoinDatabase, joinOf, MIN, SEC } from './interval-join-fixture.js';

const db = intervalJoinDatabase();
const env = db.env();
/** Column of each input's time, and of the right time in the output (a(id, t, v) then b(id, t, w)). */
const T_COL = 1;
const OUT_RIGHT_T = 4;

class Collect implements Downstream {
  readonly rows: Row[] = [];
  readonly messages: Message[] = [];
  push(m: Message): void {
    this.messages.push(m);
    if (m.kind !== 'chunk') return;
    const c = m.chunk;
    for (let i = 0; i < c.length; i++) {
      if (c.visibility && !c.visibility[i]) continue;
      assert.equal(c.ops[i], 0, 'an interval join only inserts');
      this.rows.push(c.row(i));
    }
  }
  watermarks(): { column: number; time: number; idle: boolean }[] {
    return this.messages.flatMap((m) => (m.kind === 'watermark' ? [{ column: m.column, time: m.time, idle: m.idle }] : []));
  }
}

function operator(sql: string): { op: IntervalJoinOperator; out: Collect; join: JoinNode } {
  const join = joinOf(db, sql);
  const bounds = analyzeIntervalJoin(join);
  assert.ok(bounds, `not an interval join: ${sql}`);
  const out = new Collect();
  return { op: new IntervalJoinOperator(out, join, bounds, env), out, join };
}

/** Every pair of rows the full ON condition accepts, as a sorted list of JSON rows. */
function nestedLoop(join: JoinNode, left: readonly Row[], right: readonly Row[]): string[] {
  const cond = compileExpr(join.condition!);
  const pairs: Row[] = [];
  for (const l of left) for (const r of right) pairs.push([...l, ...r]);
  if (pairs.length === 0) return [];
  const width = pairs[0]!.length;
  const cols: Datum[][] = Array.from({ length: width }, (_, c) => pairs.map((p) => p[c]!));
  const pass = cond(cols, pairs.length, env);
  return pairs.filter((_, i) => pass[i] === true).map((p) => JSON.stringify(p)).sort();
}

const sorted = (rows: readonly Row[]) => rows.map((r) => JSON.stringify(r)).sort();

const FORMS = [
  "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '3' MINUTE AND a.t",
  "SELECT * FROM a JOIN b ON a.id = b.id AND b.t > a.t - INTERVAL '2' MINUTE AND b.t < a.t + INTERVAL '2' MINUTE",
  "SELECT * FROM a JOIN b ON a.id = b.id AND a.t >= b.t + INTERVAL '1' MINUTE AND a.t - INTERVAL '4' MINUTE < b.t AND a.v <= b.w",
  "SELECT * FROM a JOIN b ON b.t BETWEEN a.t + INTERVAL '1' MINUTE AND a.t + INTERVAL '3' MINUTE",
  "SELECT * FROM a JOIN b ON a.id = b.id AND a.v = b.w AND b.t >= a.t AND b.t <= a.t",
];

type Action =
  | { readonly kind: 'rows'; readonly side: 'left' | 'right'; readonly rows: readonly (readonly [number | null, number | null, number | null])[] }
  | { readonly kind: 'watermark'; readonly side: 'left' | 'right'; readonly advance: number; readonly idle: boolean; readonly otherColumn: boolean };

const side = fc.constantFrom<'left' | 'right'>('left', 'right');
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('rows' as const),
      side,
      // (id, minutes past the input's watermark, value); NULL ids and times now and then
      rows: fc.array(
        fc.tuple(
          fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 8 }),
          // often exactly at the watermark, where the output watermark's bound is tight
          fc.option(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }) }), { nil: null, freq: 10 }),
          fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 6 }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('watermark' as const),
      side,
      advance: fc.integer({ min: 0, max: 4 }),
      idle: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      otherColumn: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  },
);

describe('IntervalJoin operator', () => {
  it('equals a nested-loop join of every row seen, under any interleaving of rows and watermarks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMS), fc.array(action, { maxLength: 40 }), fc.integer({ min: 0, max: 3 }).map((n) => n === 0), (sql, actions, leftOffGrid) => {
        const { op, out, join } = operator(sql);
        const seen = { left: [] as Row[], right: [] as Row[] };
        // The watermarks sent on each input's time column, in microseconds.
        const sent = { left: -Infinity, right: -Infinity };
        const b = analyzeIntervalJoin(join)!;
        const hasKey = (r: Row, side: 0 | 1) => join.equiKeys.every((k) => r[k[side]] !== null);
        // A stored row with a key and a time stays while some future row of the other side, at or above
        // that side's watermark, lies within the bounds.
        const reachable = (rows: typeof seen, w: typeof sent) =>
          rows.left.filter((r) => r[T_COL] !== null && hasKey(r, 0) && reaches((r[T_COL] as number) + b.upperMicros, b.upperInclusive, w.right)).length +
          rows.right.filter((r) => r[T_COL] !== null && hasKey(r, 1) && reaches((r[T_COL] as number) - b.lowerMicros, b.lowerInclusive, w.left)).length;
        const reaches = (limit: number, inclusive: boolean, watermark: number) => limit > watermark || (inclusive && limit === watermark);
        // Each input's watermark in minutes; rows land at or after it (inputs respect their watermark).
        const wm = { left: 0, right: 0 };
        // Output watermarks seen so far, checked against every later row.
        const promised = new Map<number, number>();
        let checkedMessages = 0;
        let anyIdle = false;
        const checkOutput = () => {
          for (; checkedMessages < out.messages.length; checkedMessages++) {
            const m = out.messages[checkedMessages]!;
            if (m.kind === 'watermark') {
              const keyColumn = join.equiKeys.some(([l, r]) => m.column === l || m.column === 3 + r);
              assert.ok(m.column === T_COL || m.column === OUT_RIGHT_T || keyColumn, `watermark on column ${m.column}`);
              assert.ok(m.time >= (promised.get(m.column) ?? -Infinity), 'an output watermark went down');
              promised.set(m.column, m.time);
            } else if (m.kind === 'chunk' && !anyIdle) {
              // An input back from idle may bring rows below what the output promised meanwhile.
              for (let i = 0; i < m.chunk.length; i++) {
                for (const [col, time] of promised) assert.ok((m.chunk.columns[col]![i] as number) >= time, `row below the output watermark on column ${col}`);
              }
            }
          }
        };
        for (const a of actions) {
          const port = a.side === 'left' ? op.left : op.right;
          if (a.kind === 'rows') {
            const rows: Row[] = a.rows.map(([id, dt, v]) => [id, dt === null ? null : (wm[a.side] + dt) * MIN + (leftOffGrid && a.side === 'left' ? 30 * SEC : 0), v]);
            seen[a.side].push(...rows);
            port.push(Messages.chunk(ChangelogChunk.fromRows(3, rows)));
          } else {
            wm[a.side] += a.advance;
            if (!a.otherColumn) sent[a.side] = wm[a.side] * MIN;
            anyIdle ||= a.idle;
            // Column 2 (v, w) holds 0..3 or NULL: a watermark of 0 there is a true promise, forwarded
            // where v = w is an equi-key and dropped elsewhere.
            port.push(a.otherColumn ? Messages.watermark(2, 0, a.idle) : Messages.watermark(T_COL, wm[a.side] * MIN, a.idle));
          }
          checkOutput();
          assert.equal(op.storedRows, reachable(seen, sent), 'stored rows are exactly those a future row can still reach');
        }
        op.left.push(Messages.end);
        assert.equal(out.messages.filter((m) => m.kind === 'end').length, 0, 'end before both inputs ended');
        op.right.push(Messages.end);
        assert.equal(out.messages.at(-1)?.kind, 'end');
        assert.deepEqual(sorted(out.rows), nestedLoop(join, seen.left, seen.right));
      }),
      { numRuns: 1000 },
    );
  });

  it('without watermarks keeps every row and returns the whole join (a batch run)', () => {
    const { op, out, join } = operator(FORMS[0]!);
    const left: Row[] = [], right: Row[] = [];
    for (let i = 0; i < 300; i++) {
      left.push([i % 7, ((i * 37) % 500) * MIN, i]);
      right.push([i % 5, ((i * 53) % 500) * MIN, i]);
    }
    for (let i = 0; i < 300; i += 50) {
      op.left.push(Messages.chunk(ChangelogChunk.fromRows(3, left.slice(i, i + 50))));
      op.right.push(Messages.chunk(ChangelogChunk.fromRows(3, right.slice(i, i + 50))));
    }
    op.left.push(Messages.end);
    op.right.push(Messages.end);
    assert.equal(op.storedRows, 600);
    const want = nestedLoop(join, left, right);
    assert.ok(want.length > 50, 'the test data should join');
    assert.deepEqual(sorted(out.rows), want);
  });

  it('evicts a row exactly when the other side can no longer reach it (inclusive and exclusive ends)', () => {
    // right.t - left.t in [-3min, 0]: a left row at 10min pairs with right rows at 7..10min.
    const inclusive = operator(FORMS[0]!).op;
    inclusive.left.push(Messages.chunk(ChangelogChunk.fromRows(3, [[1, 10 * MIN, 0]])));
    inclusive.right.push(Messages.chunk(ChangelogChunk.fromRows(3, [[1, 7 * MIN, 0]])));
    inclusive.right.push(Messages.watermark(T_COL, 10 * MIN));
    assert.equal(inclusive.storedRows, 2, 'a right row at 10min can still pair with the left row');
    inclusive.right.push(Messages.watermark(T_COL, 10 * MIN + 1));
    assert.equal(inclusive.storedRows, 1, 'the left row is gone once the right watermark passes 10min');
    // A right row at 7min pairs with left rows at 7..10min.
    inclusive.left.push(Messages.watermark(T_COL, 10 * MIN));
    assert.equal(inclusive.storedRows, 1);
    inclusive.left.push(Messages.watermark(T_COL, 10 * MIN + 1));
    assert.equal(inclusive.storedRows, 0);

    // right.t - left.t in (-2min, 2min): a left row at 10min pairs with right rows strictly inside 8..12min.
    const exclusive = operator(FORMS[1]!).op;
    exclusive.left.push(Messages.chunk(ChangelogChunk.fromRows(3, [[1, 10 * MIN, 0]])));
    exclusive.right.push(Messages.chunk(ChangelogChunk.fromRows(3, [[1, 9 * MIN, 0]])));
    exclusive.right.push(Messages.watermark(T_COL, 12 * MIN - 1));
    assert.equal(exclusive.storedRows, 2);
    exclusive.right.push(Messages.watermark(T_COL, 12 * MIN));
    assert.equal(exclusive.storedRows, 1, 'no right row at 12min or later pairs with it');
    exclusive.left.push(Messages.watermark(T_COL, 11 * MIN - 1));
    assert.equal(exclusive.storedRows, 1);
    exclusive.left.push(Messages.watermark(T_COL, 11 * MIN));
    assert.equal(exclusive.storedRows, 0);
    // Watermarks on other columns evict nothing.
    const other = operator(FORMS[0]!).op;
    other.left.push(Messages.chunk(ChangelogChunk.fromRows(3, [[1, 10 * MIN, 0]])));
    other.right.push(Messages.watermark(0, 1000 * MIN));
    other.right.push(Messages.watermark(2, 1000 * MIN));
    assert.equal(other.storedRows, 1);
  });

  it('derives output watermarks from both sides, leaves an idle side out, and never lowers them', () => {
    // right.t - left.t in [-3min, 0]
    const { op, out } = operator(FORMS[0]!);
    op.left.push(Messages.watermark(T_COL, 10 * MIN));
    assert.deepEqual(out.watermarks(), [], 'the right side has promised nothing yet');
    op.right.push(Messages.watermark(T_COL, 20 * MIN));
    // left time: min(WL, WR - 0) = 10min; right time: min(WL - 3min, WR) = 7min
    assert.deepEqual(out.watermarks(), [{ column: T_COL, time: 10 * MIN, idle: false }, { column: OUT_RIGHT_T, time: 7 * MIN, idle: false }]);
    op.left.push(Messages.watermark(T_COL, 30 * MIN));
    // left: min(30, 20) = 20; right: min(27, 20) = 20
    assert.deepEqual(out.watermarks().slice(2), [{ column: T_COL, time: 20 * MIN, idle: false }, { column: OUT_RIGHT_T, time: 20 * MIN, idle: false }]);
    // The right side goes idle: only future left rows count (left >= 30, right >= 27).
    op.right.push(Messages.watermark(T_COL, 20 * MIN, true));
    assert.deepEqual(out.watermarks().slice(4), [{ column: T_COL, time: 30 * MIN, idle: false }, { column: OUT_RIGHT_T, time: 27 * MIN, idle: false }]);
    // Back from idle at a lower promise: the output keeps what it promised.
    op.right.push(Messages.watermark(T_COL, 21 * MIN));
    assert.equal(out.watermarks().length, 6);
    // Both idle: the output says so.
    op.right.push(Messages.watermark(T_COL, 21 * MIN, true));
    op.left.push(Messages.watermark(T_COL, 31 * MIN, true));
    assert.deepEqual(out.watermarks().slice(-2), [{ column: T_COL, time: 30 * MIN, idle: true }, { column: OUT_RIGHT_T, time: 27 * MIN, idle: true }]);
  });

  it('forwards the smaller watermark of an equi-key watermarked on both sides to both output columns', () => {
    // FORMS[4]: keys a.id = b.id and a.v = b.w (column 2 of each input; 2 and 5 of the output).
    const { op, out } = operator(FORMS[4]!);
    op.left.push(Messages.watermark(2, 5));
    assert.deepEqual(out.watermarks(), []);
    op.right.push(Messages.watermark(2, 3));
    assert.deepEqual(out.watermarks(), [{ column: 2, time: 3, idle: false }, { column: 5, time: 3, idle: false }]);
    op.right.push(Messages.watermark(2, 9));
    assert.deepEqual(out.watermarks().slice(2), [{ column: 2, time: 5, idle: false }, { column: 5, time: 5, idle: false }]);
    // Not an equi-key in FORMS[0]: dropped.
    const plain = operator(FORMS[0]!);
    plain.op.left.push(Messages.watermark(2, 5));
    plain.op.right.push(Messages.watermark(2, 5));
    assert.deepEqual(plain.out.watermarks(), []);
  });

  it('keeps state flat over 200,000 rows with advancing watermarks', () => {
    // right.t - left.t in [-3min, 0]; each side gets a row every second of event time (keys 0..99),
    // out of order by up to 5 seconds, and a watermark 5 seconds behind after each chunk.
    const { op, out } = operator(FORMS[0]!);
    const CHUNK = 500;
    const TOTAL = 200_000;
    let maxStored = 0;
    let expected = 0;
    const timeOf = (i: number) => (i - (i % 5) + (4 - (i % 5))) * SEC; // a permutation within blocks of 5
    for (let start = 0; start < TOTAL / 2; start += CHUNK) {
      for (const s of ['left', 'right'] as const) {
        const rows: Row[] = [];
        for (let i = start; i < start + CHUNK; i++) rows.push([(timeOf(i) / SEC) % 100, timeOf(i), i]);
        (s === 'left' ? op.left : op.right).push(Messages.chunk(ChangelogChunk.fromRows(3, rows)));
      }
      const wm = timeOf(start + CHUNK - 1) - 5 * SEC;
      op.left.push(Messages.watermark(T_COL, wm));
      op.right.push(Messages.watermark(T_COL, wm));
      maxStored = Math.max(maxStored, op.storedRows);
    }
    // Each side has one row per second 0 .. TOTAL/2 - 1, keyed by its second mod 100: a left row at t
    // meets the right rows at seconds t-180 .. t with the same key.
    for (let t = 0; t < TOTAL / 2; t++) {
      for (let sec = Math.max(0, t - 180); sec <= t; sec++) if (sec % 100 === t % 100) expected++;
    }
    assert.equal(out.rows.length, expected);
    // 180s of window + 5s of lateness + one chunk, per side: about 2 * (185 + 500) rows.
    assert.ok(maxStored < 1500, `stored rows peaked at ${maxStored}`);
  });
});
