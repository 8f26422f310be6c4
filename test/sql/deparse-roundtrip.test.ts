/**
 * deparse.ts prints expressions that parse back to the same AST (positions aside): stored column
 * defaults are kept as printed SQL and re-parsed, so this must hold for every expression kind.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseExpression } from '../../server/sql/parse.js';
import { exprSql } from '../../server/sql/deparse.js';

const withoutPositions = (e: unknown) => JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));

function assertRoundTrip(text: string): void {
  const e = parseExpression(text);
  const printed = exprSql(e);
  assert.equal(withoutPositions(parseExpression(printed)), withoutPositions(e), `${text} printed as ${printed}`);
}

describe('sql/deparse: round trip through the parser', () => {
  const samples = [
    '1 + 2 * 3', '-5', '- -5', '-(-5)', '2 - -5', "'it''s' || b", "E'\\n'", 'x::numeric(10,2)[]', 'CAST(x AS varchar(3))',
    "DATE '2020-01-01'", "INTERVAL '1' DAY", "INTERVAL '1' DAY TO SECOND", 'now()', 'current_timestamp', 'current_user',
    'a IS DISTINCT FROM b', 'a IS NOT NULL', 'x BETWEEN SYMMETRIC 1 AND 2', 'x NOT IN (1, 2)', "x ILIKE 'a' ESCAPE 'b'",
    "x SIMILAR TO 'a'", 'ARRAY[1, 2]', 'x[1]', 'ROW(1, 2)', 'a = ANY (b)', 'a COLLATE "C"',
    'sum(x) FILTER (WHERE y) OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)', "string_agg(x, ',' ORDER BY y)",
    'CASE WHEN a THEN 1 ELSE 2 END', 'CASE a WHEN 1 THEN 2 END', 'EXTRACT(year FROM x)', 'pg_catalog.f(x)',
    '"Weird""Name"', '"select"', '"user"', 'x::"char"', 'x::timestamp(3) with time zone', 'x::time(2)', 'x::pg_catalog.int4',
    'count(*)', 'count(DISTINCT x)', '(f(x)).y', 'NOT a', '1e3', '$1', 'coalesce(a, b)', 'left(x, 1)', 'true AND NULL',
  ];
  for (const text of samples) it(text, () => assertRoundTrip(text));

  it('holds for random expressions', () => {
    const leaf = fc.constantFrom('a', 't.b', '1', '-2', "'x'", '$1', 'NULL', 'true', 'f(a)', 'count(*)', "DATE '2020-01-01'", 'current_date');
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '||', 'AND', 'OR', '~', '^'), tie('e')).map(([l, op, r]) => `${l} ${op} ${r}`),
        fc.tuple(tie('e'), fc.constantFrom('=', '<', '>='), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
        tie('e').map((x) => `(${x})`),
        tie('e').map((x) => `NOT ${x}`),
        tie('e').map((x) => `- ${x}`),
        tie('e').map((x) => `${x} IS NOT NULL`),
        tie('e').map((x) => `CAST(${x} AS numeric(5,1))`),
        tie('e').map((x) => `${x}::text[]`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `CASE WHEN ${x} THEN ${y} END`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `${x} IN (${y}, 1)`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `${x} BETWEEN (${y}) AND 3`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `coalesce(${x}, ${y})`),
      ),
    }));
    fc.assert(fc.property(expr.e, (text) => assertRoundTrip(text)), { numRuns: 500 });
  });
});
