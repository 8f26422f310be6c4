/** The WHERE-into-joins rule: comma joins with equalities become hash joins, and results do not change. */
import assert from 'node:assert/strict';
import { FakeDatabase, T } from './harness.js';

const db = new FakeDatabase()
  .table('a', { columns: [['id', T.int4], ['x', T.int4]], rows: [[1, 10], [2, 20], [3, null]] })
  .table('b', { columns: [['id', T.int4], ['y', T.text]], rows: [[1, 'p'], [1, 'q'], [3, 'r'], [4, 's']] })
  .table('c', { columns: [['y', T.text], ['z', T.int4]], rows: [['p', 100], ['r', 300], ['s', 400]] });

describe('rule: push WHERE into joins', () => {
  it('turns a comma join with equalities into hash joins and pushes one-sided conjuncts down', () => {
    const lines = db.bind('SELECT a.id, b.y, c.z FROM a, b, c WHERE a.id = b.id AND b.y = c.y AND c.z > 150').explain();
    const text = lines.join('\n');
    assert.doesNotMatch(text, /Join cross/i, text);
    assert.match(text, /Filter \(c\.z > 150\)/, text);
    assert.equal(lines.filter((l) => /Join/.test(l)).length, 2, text);
  });

  it('gives the rows of the unoptimised query', () => {
    assert.deepEqual(
      db.query('SELECT a.id, b.y, c.z FROM a, b, c WHERE a.id = b.id AND b.y = c.y AND c.z > 150 ORDER BY 1, 2'),
      [['3', 'r', '300']],
    );
    assert.deepEqual(db.query('SELECT a.id, b.y FROM a, b WHERE a.id = b.id ORDER BY 1, 2'), [['1', 'p'], ['1', 'q'], ['3', 'r']]);
    // A conjunct with OR across both sides stays a join condition; NULLs never match.
    assert.deepEqual(db.query('SELECT a.id, b.id FROM a, b WHERE (a.id = b.id OR a.x = 20) AND b.id < 3 ORDER BY 1, 2'), [['1', '1'], ['1', '1'], ['2', '1'], ['2', '1']]);
    // A constant conjunct stays above the join.
    assert.deepEqual(db.query('SELECT count(*) FROM a, b WHERE 1 = 1 AND a.id = b.id'), [['3']]);
  });
});
