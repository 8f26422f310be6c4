/**
 * Interval-join analysis over bound queries: each way of writing the time bounds (BETWEEN, pairs of
 * comparisons in either order, offsets on either column, WHERE instead of ON), the tighter of
 * repeated bounds, the residual condition, and every refusal (outer joins, tables, one-sided bounds,
 * months, days on timestamptz, non-time columns, OR, SYMMETRIC).
 */
import assert from 'node:assert/strict';
import { exprText } from '../../server/plan/bound/expr.js';
import { analyzeIntervalJoin, describeIntervalBounds, type IntervalJoinBounds } from '../../server/exec/interval-join-bounds.js';
import { intervalJoinDatabase, joinOf, MIN, SEC } from './interval-join-fixture.js';

const db = intervalJoinDatabase();
const HOUR = 60 * MIN;

function bounds(sql: string): IntervalJoinBounds | undefined {
  return analyzeIntervalJoin(joinOf(db, sql));
}

/** The bounds as a compact string: `[lower, upper]` in seconds with the column pair and residual. */
function shape(sql: string): string {
  const b = bounds(sql);
  if (!b) return 'none';
  return `${describeIntervalBounds(b)}${b.residual ? ` where ${exprText(b.residual)}` : ''}`;
}

describe('interval join bounds', () => {
  it('reads BETWEEN with an offset on the left time', () => {
    const b = bounds("SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t");
    assert.deepEqual(b, { leftTime: 1, rightTime: 1, lowerMicros: -HOUR, lowerInclusive: true, upperMicros: 0, upperInclusive: true, residual: undefined });
  });

  it('reads pairs of comparisons in either order, with either side first', () => {
    const want = 'right#1 - left#1 in [-3600s, 0s)';
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND b.t >= a.t - INTERVAL '1' HOUR AND b.t < a.t"), want);
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND a.t > b.t AND a.t - INTERVAL '1' HOUR <= b.t"), want);
    assert.equal(shape("SELECT * FROM a JOIN b ON b.t < a.t AND a.t - INTERVAL '1' HOUR <= b.t AND a.id = b.id"), want);
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND a.t <= b.t + INTERVAL '1' HOUR AND a.t > b.t"), want);
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND b.t > a.t - INTERVAL '1' HOUR AND b.t <= a.t"), 'right#1 - left#1 in (-3600s, 0s]');
  });

  it('moves offsets on either column, added or subtracted, into the bounds', () => {
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND a.t BETWEEN b.t AND b.t + INTERVAL '10' MINUTE"), 'right#1 - left#1 in [-600s, 0s]');
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND INTERVAL '5' SECOND + a.t > b.t AND b.t - INTERVAL '5' SECOND > a.t - INTERVAL '1' MINUTE"), 'right#1 - left#1 in (-55s, 5s)');
    assert.equal(shape("SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t + INTERVAL '1' MINUTE - INTERVAL '3' MINUTE AND a.t + INTERVAL '1' DAY"), 'right#1 - left#1 in [-120s, 86400s]');
    assert.equal(bounds("SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t AND a.t + INTERVAL '0.5' SECOND")?.upperMicros, SEC / 2);
  });

  it('reads the bounds from WHERE over a comma join, and without an equi-key', () => {
    assert.equal(shape("SELECT * FROM a, b WHERE a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t"), 'right#1 - left#1 in [-3600s, 0s]');
    const nested = joinOf(db, "SELECT * FROM a JOIN b ON b.t BETWEEN a.t AND a.t + INTERVAL '1' MINUTE");
    assert.deepEqual(nested.equiKeys, []);
    assert.equal(analyzeIntervalJoin(nested)?.upperMicros, MIN);
  });

  it('keeps the tighter of repeated bounds; an equal bound is exclusive if either is', () => {
    assert.equal(
      shape("SELECT * FROM a JOIN b ON a.id = b.id AND b.t >= a.t - INTERVAL '2' HOUR AND b.t >= a.t - INTERVAL '1' HOUR AND b.t <= a.t AND b.t < a.t AND b.t <= a.t + INTERVAL '1' HOUR"),
      'right#1 - left#1 in [-3600s, 0s)',
    );
  });

  it('leaves other conjuncts, and bounds on other time pairs, in the residual', () => {
    assert.equal(
      shape("SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t AND a.v > b.w"),
      'right#1 - left#1 in [-3600s, 0s] where (a.v > b.w)',
    );
    assert.equal(
      shape("SELECT * FROM a JOIN b ON a.id = b.id AND a.v = b.w + 1 AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t AND b.t > a.t - INTERVAL '2' HOUR AND a.v < 5"),
      'right#1 - left#1 in [-3600s, 0s] where ((a.v = (b.w + 1)) AND (a.v < 5))',
    );
    // Every hash-key equality is decided by the lookup, so none of them is left to check.
    const j = joinOf(db, "SELECT * FROM a JOIN b ON a.id = b.id AND a.v = b.w AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t");
    assert.deepEqual(j.equiKeys, [[0, 0], [2, 2]]);
    assert.equal(analyzeIntervalJoin(j)?.residual, undefined);
  });

  it('accepts timestamptz with a fixed-length interval', () => {
    const b = bounds("SELECT * FROM tz x JOIN tz y ON x.id = y.id AND y.t BETWEEN x.t - INTERVAL '24' HOUR AND x.t");
    assert.equal(b?.lowerMicros, -24 * HOUR);
  });

  it('refuses what it cannot bound', () => {
    const refused = [
      // outer joins (not yet), and inputs that are not append-only
      "SELECT * FROM a LEFT JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t",
      "SELECT * FROM a FULL JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t",
      "SELECT * FROM a JOIN tab b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t",
      // a bound on one end only, or none
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t >= a.t - INTERVAL '1' HOUR",
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t <= a.t AND b.t < a.t + INTERVAL '1' HOUR",
      'SELECT * FROM a JOIN b ON a.id = b.id',
      'SELECT * FROM a CROSS JOIN b',
      // months have no fixed length; days on timestamptz depend on the time zone
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' MONTH AND a.t",
      "SELECT * FROM tz x JOIN tz y ON x.id = y.id AND y.t BETWEEN x.t - INTERVAL '1' DAY AND x.t",
      // both times from one side, non-time columns, a bound that is not a conjunct
      "SELECT * FROM a JOIN b ON a.id = b.id AND a.t BETWEEN a.t - INTERVAL '1' HOUR AND b.t",
      'SELECT * FROM ints x JOIN ints y ON x.id = y.id AND y.n BETWEEN x.n - 5 AND x.n',
      "SELECT * FROM a JOIN b ON a.id = b.id AND (b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t OR a.v = 1)",
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN SYMMETRIC a.t - INTERVAL '1' HOUR AND a.t",
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t NOT BETWEEN a.t - INTERVAL '1' HOUR AND a.t",
      // an offset that is not a constant
      "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - a.v * INTERVAL '1' SECOND AND a.t",
    ];
    for (const sql of refused) assert.equal(bounds(sql), undefined, sql);
  });
});
