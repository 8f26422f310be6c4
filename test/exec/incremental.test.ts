/**
 * Continuous queries against their batch oracle: random transactions of inserts, deletes and
 * updates (of rows present) are pushed as changelog chunks with a barrier after each; at every
 * barrier the accumulated output must equal the same query run in batch over the current tables.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { parseNumeric } from '../../server/types/numeric.js';
import { T } from '../../server/types/sql-type.js';
import { ContinuousQuery, type Change, type Columns } from './changelog-harness.js';

const T_COLUMNS: Columns = [['k', T.int4], ['v', T.int4], ['s', T.text], ['n', T.numeric], ['f', T.float8]];
const A_COLUMNS: Columns = [['k', T.int4], ['x', T.int4]];
const B_COLUMNS: Columns = [['k', T.int4], ['y', T.int4]];

const maybe = <V>(arb: fc.Arbitrary<V>) => fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: arb });
const small = fc.integer({ min: -2, max: 5 });
const key = maybe(fc.integer({ min: 0, max: 3 }));
const numeric = fc.constantFrom('1.5', '2.25', '3', '-1.0', '0.125', '7.000').map(parseNumeric);

const ROWS: Record<string, fc.Arbitrary<Row>> = {
  t: fc.tuple(key, maybe(small), maybe(fc.constantFrom('x', 'y', 'zz', 'w')), maybe(numeric), maybe(fc.constantFrom(0.5, 1.25, -2, 4))).map((r): Datum[] => r),
  a: fc.tuple(key, maybe(small)).map((r): Datum[] => r),
  b: fc.tuple(key, maybe(small)).map((r): Datum[] => r),
};
const COLUMNS: Record<string, Columns> = { t: T_COLUMNS, a: A_COLUMNS, b: B_COLUMNS };

interface Action {
  readonly table: string;
  readonly kind: 'insert' | 'delete' | 'update';
  readonly row: Row;
  readonly pick: number;
}

const action = (tables: readonly string[]): fc.Arbitrary<Action> =>
  fc.oneof(...tables.map((table) => fc.record({
    table: fc.constant(table),
    kind: fc.constantFrom<Action['kind']>('insert', 'insert', 'delete', 'update'),
    row: ROWS[table]!,
    pick: fc.nat(),
  })));

/** Runs random transactions through `sql` as a continuous query, comparing with batch at each barrier. */
function checkAgainstBatch(sql: string, tables: readonly string[], numRuns = 60): void {
  fc.assert(
    fc.property(
      fc.array(ROWS[tables[0]!]!, { maxLength: 6 }),
      fc.array(fc.array(action(tables), { maxLength: 7 }), { minLength: 1, maxLength: 8 }),
      (initial, transactions) => {
        const q = new ContinuousQuery(sql, Object.fromEntries(tables.map((t, i) => [t, { columns: COLUMNS[t]!, rows: i === 0 ? initial : [] }])));
        q.assertMatchesBatch(' (after the snapshot)');
        transactions.forEach((tx, n) => {
          const work = new Map(tables.map((t) => [t, [...q.rows(t)]]));
          const changes = new Map<string, Change[]>();
          for (const a of tx) {
            const rows = work.get(a.table)!;
            const list = changes.get(a.table) ?? [];
            changes.set(a.table, list);
            if (a.kind === 'insert' || rows.length === 0) {
              rows.push(a.row);
              list.push({ op: Op.Insert, row: a.row });
              continue;
            }
            const [old] = rows.splice(a.pick % rows.length, 1);
            if (a.kind === 'delete') list.push({ op: Op.Delete, row: old! });
            else {
              rows.push(a.row);
              list.push({ op: Op.UpdateBefore, row: old! }, { op: Op.UpdateAfter, row: a.row });
            }
          }
          for (const [table, list] of changes) q.apply(table, list);
          q.barrier();
          q.assertMatchesBatch(` (after transaction ${n + 1})`);
        });
      },
    ),
    { numRuns },
  );
}

describe('continuous queries equal their batch result at every barrier', () => {
  it('GROUP BY with every aggregate (min/max, DISTINCT, ordered string_agg/array_agg, FILTER, numeric)', () => {
    checkAgainstBatch(`SELECT k, count(*), count(v), sum(v), avg(v), min(v), max(v), min(s), max(s),
        bool_and(v > 1), bool_or(v > 1), every(v < 4), string_agg(s, ',' ORDER BY s), string_agg(s, '-' ORDER BY v DESC, s),
        array_agg(v ORDER BY v), array_agg(DISTINCT s), count(DISTINCT v), sum(DISTINCT v), avg(DISTINCT n), string_agg(DISTINCT s, ','),
        stddev(v), var_pop(v), variance(n), stddev_pop(n), sum(n), avg(n), min(n), max(n), sum(f), avg(f), min(f),
        count(*) FILTER (WHERE v > 0), sum(v) FILTER (WHERE s <> 'x')
      FROM t GROUP BY k`, ['t']);
  });

  it('ORDER BY ... LIMIT / OFFSET as a TopN, exact under deletes', () => {
    checkAgainstBatch('SELECT k, v FROM t ORDER BY v NULLS FIRST, k DESC LIMIT 3', ['t']);
    checkAgainstBatch('SELECT v FROM t ORDER BY v DESC NULLS LAST LIMIT 2 OFFSET 1', ['t']);
    checkAgainstBatch('SELECT k, count(*) FROM t GROUP BY k ORDER BY count(*) DESC, k LIMIT 2', ['t']);
  });

  it('DISTINCT ON as a TopN of one per key', () => {
    checkAgainstBatch('SELECT DISTINCT ON (k) k, v FROM t ORDER BY k, v DESC NULLS LAST', ['t']);
  });

  it('window functions: top-N per group, ranks, running sums', () => {
    checkAgainstBatch('SELECT k, v, rn FROM (SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v NULLS FIRST) AS rn FROM t) x WHERE rn <= 2', ['t']);
    checkAgainstBatch('SELECT k, v, rank() OVER (PARTITION BY k ORDER BY v), dense_rank() OVER (ORDER BY v), sum(v) OVER (PARTITION BY k ORDER BY v) FROM t', ['t']);
  });

  it('ungrouped aggregates (one row, even over no rows)', () => {
    checkAgainstBatch('SELECT count(*), count(v), sum(v), min(v), max(s), avg(n), string_agg(s, \',\' ORDER BY s) FROM t', ['t']);
  });

  it('grouping sets, with an empty set', () => {
    checkAgainstBatch('SELECT k, s, count(*), sum(v), max(n) FROM t GROUP BY GROUPING SETS ((k), (s), (k, s), ())', ['t']);
  });

  it('GROUP BY an expression with HAVING (update pairs split by the filter)', () => {
    checkAgainstBatch('SELECT k % 2, count(*), sum(v) FROM t GROUP BY k % 2 HAVING count(*) > 1', ['t']);
  });

  for (const kind of ['LEFT', 'RIGHT', 'FULL'] as const) {
    it(`${kind} JOIN on an equi-key`, () => {
      checkAgainstBatch(`SELECT * FROM a ${kind} JOIN b ON a.k = b.k`, ['a', 'b']);
    });
    it(`${kind} JOIN on an equi-key and a residual condition`, () => {
      checkAgainstBatch(`SELECT a.k, a.x, b.k, b.y FROM a ${kind} JOIN b ON a.k = b.k AND a.x < b.y`, ['a', 'b']);
    });
    it(`${kind} JOIN without equi-keys (nested loop)`, () => {
      checkAgainstBatch(`SELECT * FROM a ${kind} JOIN b ON a.x < b.y`, ['a', 'b']);
    });
  }

  it('an aggregate over a LEFT JOIN', () => {
    checkAgainstBatch('SELECT a.k, count(b.y), count(*), sum(a.x), max(b.y) FROM a LEFT JOIN b ON a.k = b.k GROUP BY a.k', ['a', 'b']);
  });

  it('inner join', () => {
    checkAgainstBatch('SELECT a.x, b.y FROM a JOIN b ON a.k = b.k', ['a', 'b']);
  });

  it('DISTINCT', () => {
    checkAgainstBatch('SELECT DISTINCT k, x > 1 FROM a', ['a']);
  });

  for (const op of ['UNION', 'UNION ALL', 'INTERSECT', 'INTERSECT ALL', 'EXCEPT', 'EXCEPT ALL'] as const) {
    it(op, () => {
      checkAgainstBatch(`SELECT k, x % 2 FROM a ${op} SELECT k, y % 2 FROM b`, ['a', 'b']);
    });
  }

  it('WHERE over update pairs (a pair split by the predicate)', () => {
    checkAgainstBatch('SELECT k, x FROM a WHERE x > 1', ['a']);
  });

  it('a set-returning function in the select list (update pairs expanded)', () => {
    checkAgainstBatch('SELECT k, generate_series(1, x) FROM a', ['a']);
  });

  it('ORDER BY without LIMIT passes changes through after the first barrier', () => {
    checkAgainstBatch('SELECT k, x FROM a ORDER BY x, k', ['a']);
  });
});

describe('continuous query changelogs', () => {
  const t = (rows: Row[] = []) => ({ t: { columns: T_COLUMNS, rows } });
  const row = (k: number | null, v: number | null): Row => [k, v, null, null, null];

  it('an ungrouped count emits its row at the first barrier over no input, then update pairs', () => {
    const q = new ContinuousQuery('SELECT count(*), sum(v) FROM t', t());
    assert.deepEqual(q.compare().streamed, ['["0",null]']);
    q.apply('t', [{ op: Op.Insert, row: row(1, 5) }]);
    assert.deepEqual(q.barrier(), ['-U ["0",null]', '+U ["1","5"]']);
    q.apply('t', [{ op: Op.Delete, row: row(1, 5) }]);
    assert.deepEqual(q.barrier(), ['-U ["1","5"]', '+U ["0",null]']);
    assert.deepEqual(q.barrier(), []);
  });

  it('a grouped aggregate: insert, update pair, nothing for an unchanged group, delete', () => {
    const q = new ContinuousQuery('SELECT k, count(*), max(v) FROM t GROUP BY k', t([row(1, 5)]));
    assert.deepEqual(q.compare().streamed, ['["1","1","5"]']);
    q.apply('t', [{ op: Op.Insert, row: row(2, 3) }, { op: Op.Insert, row: row(1, 7) }]);
    assert.deepEqual(q.barrier(), ['+I ["2","1","3"]', '-U ["1","1","5"]', '+U ["1","2","7"]']);
    q.apply('t', [{ op: Op.Insert, row: row(2, 1) }, { op: Op.Delete, row: row(2, 1) }]);
    assert.deepEqual(q.barrier(), []);
    q.apply('t', [{ op: Op.Delete, row: row(1, 7) }]);
    q.apply('t', [{ op: Op.Delete, row: row(2, 3) }]);
    assert.deepEqual(q.barrier(), ['-U ["1","2","7"]', '+U ["1","1","5"]', '-D ["2","1","3"]']);
    q.apply('t', [{ op: Op.Delete, row: row(1, 5) }, { op: Op.Insert, row: row(1, 6) }]);
    assert.deepEqual(q.barrier(), ['-U ["1","1","5"]', '+U ["1","1","6"]']);
  });

  it('a LEFT JOIN retracts the NULL-padded row when the first match arrives and restores it after the last', () => {
    const q = new ContinuousQuery('SELECT * FROM a LEFT JOIN b ON a.k = b.k', { a: { columns: A_COLUMNS, rows: [[1, 10]] }, b: { columns: B_COLUMNS } });
    assert.deepEqual(q.compare().streamed, ['["1","10",null,null]']);
    q.apply('b', [{ op: Op.Insert, row: [1, 100] }]);
    assert.deepEqual(q.barrier(), ['-D ["1","10",null,null]', '+I ["1","10","1","100"]']);
    q.apply('b', [{ op: Op.Insert, row: [1, 101] }]);
    assert.deepEqual(q.barrier(), ['+I ["1","10","1","101"]']);
    q.apply('b', [{ op: Op.Delete, row: [1, 100] }, { op: Op.Delete, row: [1, 101] }]);
    assert.deepEqual(q.barrier(), ['-D ["1","10","1","100"]', '-D ["1","10","1","101"]', '+I ["1","10",null,null]']);
    q.apply('a', [{ op: Op.Insert, row: [2, 20] }, { op: Op.Delete, row: [1, 10] }]);
    assert.deepEqual(q.barrier(), ['+I ["2","20",null,null]', '-D ["1","10",null,null]']);
  });

  it('EXCEPT ALL emits the change in copies at each barrier', () => {
    const q = new ContinuousQuery('SELECT k FROM a EXCEPT ALL SELECT k FROM b', { a: { columns: A_COLUMNS, rows: [[1, 0], [1, 0], [1, 0]] }, b: { columns: B_COLUMNS } });
    assert.deepEqual(q.compare().streamed, ['["1"]', '["1"]', '["1"]']);
    q.apply('b', [{ op: Op.Insert, row: [1, 0] }, { op: Op.Insert, row: [1, 0] }]);
    assert.deepEqual(q.barrier(), ['-D ["1"]', '-D ["1"]']);
    q.apply('a', [{ op: Op.Delete, row: [1, 0] }]);
    q.apply('b', [{ op: Op.Delete, row: [1, 0] }]);
    assert.deepEqual(q.barrier(), []);
  });
});
