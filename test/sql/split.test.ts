/** Splitting a query string into statements: quotes, dollar quotes, comments, empty statements, offsets. */
import assert from 'node:assert/strict';
import { parseStatements } from '../../server/sql/parse.js';
import { splitStatements } from '../../server/sql/split.js';

describe('sql/split', () => {
  const cases: [string, [string, number][]][] = [
    ['', []],
    ['   \n\t', []],
    ['-- just a comment', []],
    ['/* a /* nested */ comment */  ', []],
    [';;  ; ', []],
    ['SELECT 1', [['SELECT 1', 0]]],
    ['SELECT 1;', [['SELECT 1', 0]]],
    ['  SELECT 1 ; SELECT 2;', [['SELECT 1', 2], ['SELECT 2', 13]]],
    ["SELECT 'a;b'; SELECT 'it''s;'", [["SELECT 'a;b'", 0], ["SELECT 'it''s;'", 14]]],
    ["SELECT E'\\';'; SELECT 2", [["SELECT E'\\';'", 0], ['SELECT 2', 15]]],
    ['SELECT "a;""b"; SELECT 2', [['SELECT "a;""b"', 0], ['SELECT 2', 16]]],
    ['SELECT $$a;b$$; SELECT $x$;$y$;$x$', [['SELECT $$a;b$$', 0], ['SELECT $x$;$y$;$x$', 16]]],
    ['SELECT 1 -- c;\n; SELECT 2', [['SELECT 1', 0], ['SELECT 2', 17]]],
    ['SELECT /* ; /* ; */ ; */ 1;;;SELECT 2', [['SELECT /* ; /* ; */ ; */ 1', 0], ['SELECT 2', 29]]],
    ['/* lead */ SELECT 1', [['SELECT 1', 11]]],
  ];
  for (const [sql, expected] of cases) {
    it(JSON.stringify(sql), () => {
      assert.deepEqual(splitStatements(sql).map((s) => [s.text, s.offset]), expected);
    });
  }

  it('parses each piece and keeps its source', () => {
    const parsed = parseStatements('BEGIN; INSERT INTO t VALUES (1); COMMIT');
    assert.deepEqual(parsed.map((p) => p.statement.kind), ['transaction', 'insert', 'transaction']);
    assert.deepEqual(parsed.map((p) => p.source), [
      { text: 'BEGIN', offset: 0 },
      { text: 'INSERT INTO t VALUES (1)', offset: 7 },
      { text: 'COMMIT', offset: 33 },
    ]);
  });

  it('a syntax error in a later statement points into the whole string', () => {
    assert.throws(() => parseStatements('SELECT 1; SELECT 2 FROM'), { code: '42601', message: 'syntax error at end of input', position: 24 });
    assert.throws(() => parseStatements('SELECT 1; SELECT (2; SELECT 3'), { code: '42601', message: 'syntax error at or near ";"', position: 20 });
  });
});
