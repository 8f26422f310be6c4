/**
 * Property: on any input the parser either returns statements or throws a SqlError with a SQL
 * state of its own (42601 syntax, 0A000 unsupported, 22025 bad escape) and a position inside the
 * string (1..length+1): never an internal error, never a hang.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStatements } from '../../server/sql/parse.js';
import { SqlError } from '../../server/errors.js';

const pieces = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'JOIN', 'ON', 'USING', 'AS', 'WITH', 'UNION', 'VALUES',
  'INSERT INTO', 'UPDATE', 'SET', 'DELETE', 'CREATE TABLE', 'CREATE STREAM', 'DROP', 'COPY', 'EXPLAIN', 'BEGIN',
  'CASE', 'WHEN', 'THEN', 'END', 'CAST', 'INTERVAL', 'ARRAY', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN', 'AND', 'OR',
  't', 'a', 'b', '"Q"', "'s'", "E'\\n'", '$$d$$', '$1', '1', '2.5', '(', ')', '[', ']', ',', ';', '.', '::', '*',
  '+', '-', '=', '<>', '||', '~', ' ', '\n', '--c\n', '/*c*/', "'", '"', '$', 'OPERATOR(pg_catalog.~)', 'over', 'filter',
];

describe('sql/parse: robustness', () => {
  it('throws only positioned SqlErrors of its own on random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
        const sql = parts.join(' ');
        try {
          parseStatements(sql);
        } catch (e) {
          assert.ok(e instanceof SqlError, `${JSON.stringify(sql)}: ${String(e)}`);
          assert.ok(['42601', '0A000', '22025'].includes(e.code), `${JSON.stringify(sql)}: ${e.code} ${e.message}`);
          if (e.code === '42601') {
            assert.ok(e.position !== undefined && e.position >= 1 && e.position <= sql.length + 1, `${JSON.stringify(sql)}: position ${e.position}`);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts random valid expressions built from the grammar', () => {
    const leaf = fc.constantFrom('a', 't.b', '1', "'x'", '$1', 'NULL', 'true', 'f(a)', 'count(*)', "DATE '2020-01-01'");
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '=', '<', '||', 'AND', 'OR', '~'), tie('e')).map(([l, op, r]) => (op === "=" || op === "<" ? `(${l} ${op} ${r})` : `${l} ${op} ${r}`)),
        tie('e').map((x) => `(${x})`),
        tie('e').map((x) => `NOT ${x}`),
        tie('e').map((x) => `${x} IS NOT NULL`),
        tie('e').map((x) => `CAST(${x} AS int)`),
        tie('e').map((x) => `${x}::text`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `CASE WHEN ${x} THEN ${y} END`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `${x} IN (${y}, 1)`),
        tie('e').map((x) => `(SELECT ${x})`),
      ),
    }));
    fc.assert(
      fc.property(expr.e, (e) => {
        const [parsed] = parseStatements(`SELECT ${e} FROM t WHERE ${e}`);
        assert.equal(parsed!.statement.kind, 'query');
      }),
      { numRuns: 500 },
    );
  });
});
