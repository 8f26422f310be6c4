/**
 * Binding TUMBLE and HOP in FROM: output columns and types, aliases, stream key and append-only
 * properties, relations named in every accepted way, and each refused argument with its SQLSTATE.
 */
import assert from 'node:assert/strict';
import { SqlError } from '../../server/errors.js';
import { explainPlan } from '../../server/plan/logical/plan.js';
import { WindowTvfNode } from '../../server/plan/logical/window-tvf.js';
import type { LogicalPlan } from '../../server/plan/logical/plan.js';
import { FakeDatabase, T } from './harness.js';

const SEC = 1_000_000;
const db = new FakeDatabase()
  .table('bid', { columns: [['id', T.int4], ['price', T.int4], ['date_time', T.timestamp]], rows: [[1, 10, 3 * SEC], [2, 20, null], [3, 30, -1]], primaryKey: [0] })
  .table('ev', { columns: [['n', T.int4], ['at', T.timestamptz], ['d', T.date]], rows: [[1, 12 * SEC, 0]] })
  .view('cheap', [['id', T.int4], ['date_time', T.timestamp]], 'SELECT id, date_time FROM bid WHERE price < 25');

function fails(sql: string, code: string, message: RegExp): void {
  assert.throws(() => db.query(sql), (e: unknown) => {
    assert.ok(e instanceof SqlError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

function windowNode(plan: LogicalPlan): WindowTvfNode {
  if (plan instanceof WindowTvfNode) return plan;
  for (const i of plan.inputs) {
    try {
      return windowNode(i);
    } catch {
      // not under this input
    }
  }
  throw new Error('no WindowTvf node');
}

describe('window table functions: binding', () => {
  it('TUMBLE adds window_start and window_end of the time column type', () => {
    const bound = db.bind("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)");
    assert.deepEqual(bound.fields.map((f) => `${f.name}:${f.type.kind}`), ['id:int4', 'price:int4', 'date_time:timestamp', 'window_start:timestamp', 'window_end:timestamp']);
    const tz = db.bind("SELECT window_start, window_end FROM TUMBLE(ev, at, '1 day')");
    assert.deepEqual(tz.fields.map((f) => f.type.kind), ['timestamptz', 'timestamptz']);
    assert.deepEqual(db.query("SELECT id, window_start, window_end FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) ORDER BY id"), [
      ['1', '1970-01-01 00:00:00', '1970-01-01 00:00:10'],
      ['3', '1969-12-31 23:59:50', '1970-01-01 00:00:00'],
    ]);
  });

  it('keeps the input stream key for TUMBLE and adds window_start for HOP; append-only follows the input', () => {
    const tumble = windowNode(db.bind("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1' MINUTE)").plan);
    assert.deepEqual(tumble.streamKey, [0]);
    assert.equal(tumble.appendOnly, false);
    const hop = windowNode(db.bind("SELECT * FROM HOP(bid, date_time, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)").plan);
    assert.deepEqual(hop.streamKey, [0, 3]);
    assert.deepEqual(hop.assignment, { kind: 'hop', slide: 60 * SEC, size: 120 * SEC });
    assert.equal(windowNode(db.bind("SELECT * FROM TUMBLE(ev, at, '1 hour')").plan).streamKey, undefined);
  });

  it('shows the window in EXPLAIN', () => {
    const lines = explainPlan(db.bind("SELECT * FROM HOP(bid, date_time, INTERVAL '30' SECOND, INTERVAL '1 day 1 hour')").plan);
    assert.ok(lines.some((l) => l.includes('WindowTvf HOP(date_time, slide=30s, size=25h)')), lines.join('\n'));
    const ms = explainPlan(db.bind("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '0.25' SECOND)").plan);
    assert.ok(ms.some((l) => l.includes('WindowTvf TUMBLE(date_time, size=250ms)')), ms.join('\n'));
  });

  it('names columns by the alias, the function name, or column aliases', () => {
    assert.deepEqual(db.query("SELECT w.id, w.window_end FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) AS w WHERE w.id = 1"), [['1', '1970-01-01 00:00:10']]);
    assert.deepEqual(db.query("SELECT tumble.id FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) WHERE id = 1"), [['1']]);
    assert.deepEqual(db.query("SELECT ws FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) AS w(i, p, t, ws, we) WHERE i = 1"), [['1970-01-01 00:00:00']]);
  });

  it('reads a view, a schema-qualified name, a CTE, a subquery and DESCRIPTOR(col)', () => {
    assert.deepEqual(db.query("SELECT id FROM TUMBLE(cheap, date_time, INTERVAL '1' SECOND) ORDER BY id"), [['1']]);
    assert.deepEqual(db.query("SELECT id FROM TUMBLE(public.bid, DESCRIPTOR(date_time), INTERVAL '1' SECOND) ORDER BY id"), [['1'], ['3']]);
    assert.deepEqual(db.query("WITH c AS (SELECT id + 100 AS id, date_time FROM bid) SELECT id FROM TUMBLE(c, date_time, INTERVAL '1' SECOND) ORDER BY id"), [['101'], ['103']]);
    assert.deepEqual(db.query("SELECT x, window_start FROM TUMBLE((SELECT id * 2 AS x, date_time FROM bid WHERE id = 3), date_time, INTERVAL '1' HOUR)"), [['6', '1969-12-31 23:00:00']]);
  });

  it('joins with other FROM items', () => {
    assert.deepEqual(db.query("SELECT ev.n, w.id FROM ev JOIN TUMBLE(bid, date_time, INTERVAL '20' SECOND) w ON w.window_end > ev.at::timestamp ORDER BY 2"), [['1', '1']]);
  });

  it('refuses wrong arguments with SQLSTATEs', () => {
    fails("SELECT * FROM TUMBLE(nope, date_time, INTERVAL '1' SECOND)", '42P01', /relation "nope" does not exist/);
    fails("SELECT * FROM TUMBLE(other.bid, date_time, INTERVAL '1' SECOND)", '42P01', /relation "other.bid" does not exist/);
    fails('SELECT * FROM TUMBLE(bid, date_time)', '42883', /function tumble with 2 arguments does not exist/);
    fails("SELECT * FROM HOP(bid, date_time, INTERVAL '1' SECOND, INTERVAL '1' SECOND, INTERVAL '1' SECOND)", '42883', /function hop with 5 arguments/);
    fails("SELECT * FROM TUMBLE(1, date_time, INTERVAL '1' SECOND)", '42809', /first argument of TUMBLE must be a table/);
    fails("SELECT * FROM TUMBLE(bid, price, INTERVAL '1' SECOND)", '42804', /time column of TUMBLE must be of type timestamp .* not integer/);
    fails("SELECT * FROM TUMBLE(ev, d, INTERVAL '1' SECOND)", '42804', /not date/);
    fails("SELECT * FROM TUMBLE(bid, date_time + INTERVAL '1' SECOND, INTERVAL '1' SECOND)", '42804', /must be a column of its relation/);
    fails("SELECT * FROM TUMBLE(bid, nope, INTERVAL '1' SECOND)", '42703', /column "nope" does not exist/);
    fails('SELECT * FROM TUMBLE(bid, date_time, 10)', '42804', /window size of TUMBLE must be of type interval, not integer/);
    fails("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '0' SECOND)", '22023', /window size of TUMBLE must be greater than zero/);
    fails("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '-1' MINUTE)", '22023', /greater than zero/);
    fails("SELECT * FROM HOP(bid, date_time, INTERVAL '0' SECOND, INTERVAL '1' MINUTE)", '22023', /window slide of HOP must be greater than zero/);
    fails("SELECT * FROM HOP(bid, date_time, INTERVAL '1' SECOND, INTERVAL '1 month')", '22023', /window size of HOP must not contain months or years/);
    fails("SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1' YEAR)", '22023', /months or years/);
    fails("SELECT * FROM TUMBLE(bid, date_time, price * INTERVAL '1' SECOND)", '22023', /window size of TUMBLE must be a constant/);
    fails('SELECT * FROM TUMBLE(bid, date_time, NULL::interval)', '22023', /must not be null/);
    fails("SELECT * FROM HOP(bid, date_time, INTERVAL '1' SECOND, INTERVAL '2' DAY)", '22023', /more than 100000 windows/);
  });

  it('folds constant size expressions', () => {
    const hop = windowNode(db.bind("SELECT * FROM HOP(bid, date_time, INTERVAL '1' SECOND * 5, INTERVAL '1' MINUTE - INTERVAL '30' SECOND)").plan);
    assert.deepEqual(hop.assignment, { kind: 'hop', slide: 5 * SEC, size: 30 * SEC });
  });
});
