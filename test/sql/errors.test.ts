/**
 * Syntax errors carry PostgreSQL's message and 1-based position in the whole query string. Every row
 * of the table below was produced by PostgreSQL 15 itself (pg client against a local server).
 */
import assert from 'node:assert/strict';
import { parseStatements } from '../../server/sql/parse.js';
import { SqlError } from '../../server/errors.js';

const fromPostgres15: [sql: string, code: string, message: string, position: number][] = [
  ["select 1 +", "42601", "syntax error at end of input", 11],
  ["select 1;  selec 2", "42601", "syntax error at or near \"selec\"", 12],
  ["select 1 from where", "42601", "syntax error at or near \"where\"", 15],
  ["select 'abc", "42601", "unterminated quoted string at or near \"'abc\"", 8],
  ["select 1 /* x /* nested */ still", "42601", "unterminated /* comment at or near \"/* x /* nested */ still\"", 10],
  ["select $$abc", "42601", "unterminated dollar-quoted string at or near \"$$abc\"", 8],
  ["select \"abc", "42601", "unterminated quoted identifier at or near \"\"abc\"", 8],
  ["  select (1", "42601", "syntax error at end of input", 12],
  ["select 1; select 1 +   ", "42601", "syntax error at end of input", 24],
  ["create table t2 (a int, b)", "42601", "syntax error at or near \")\"", 26],
  ["select a b c from t", "42601", "syntax error at or near \"c\"", 12],
  ["select 1 where", "42601", "syntax error at end of input", 15],
  ["SELECT 'a' 'b'", "42601", "syntax error at or near \"'b'\"", 12],
  ["drop table", "42601", "syntax error at end of input", 11],
  ["set x", "42601", "syntax error at end of input", 6],
  ["show", "42601", "syntax error at end of input", 5],
  ["select 1e", "42601", "trailing junk after numeric literal at or near \"1e\"", 8],
  ["select 1.2.3", "42601", "syntax error at or near \".3\"", 11],
  ["select 0x1f", "42601", "trailing junk after numeric literal at or near \"0x1f\"", 8],
  ["select a, from t", "42601", "syntax error at or near \"from\"", 11],
  ["select * from t order by", "42601", "syntax error at end of input", 25],
  ["select 1)", "42601", "syntax error at or near \")\"", 9],
  ["select f(1,)", "42601", "syntax error at or near \")\"", 12],
  ["select case when 1 then end", "42601", "syntax error at or near \"end\"", 25],
  ["select * from t limit", "42601", "syntax error at end of input", 22],
  ["select count(*) filter where x", "42601", "syntax error at or near \"where\"", 24],
  ["select * from t join u", "42601", "syntax error at end of input", 23],
  ["select * from t natural join u on true", "42601", "syntax error at or near \"on\"", 32],
  ["select 1 between 2", "42601", "syntax error at end of input", 19],
  ["select cast(1 as)", "42601", "syntax error at or near \")\"", 17],
  ["create table t (a int,)", "42601", "syntax error at or near \")\"", 23],
  ["insert t values (1)", "42601", "syntax error at or near \"t\"", 8],
  ["update t set a", "42601", "syntax error at end of input", 15],
  ["delete t", "42601", "syntax error at or near \"t\"", 8],
  ["select * from t where a = 1 and", "42601", "syntax error at end of input", 32],
  ["select 1 from", "42601", "syntax error at end of input", 14],
  ["select (1; select 2", "42601", "syntax error at or near \";\"", 10],
  ["select 1; select 2; frobnicate", "42601", "syntax error at or near \"frobnicate\"", 21],
  ["select \"\" from t", "42601", "zero-length delimited identifier at or near \"\"\"\"", 8],
  ["insert into t values (1) on conflict (a) do", "42601", "syntax error at end of input", 44],
  ["explain", "42601", "syntax error at end of input", 8],
  ["begin isolation level", "42601", "syntax error at end of input", 22],
  ["copy t from stdin with (format csv", "42601", "syntax error at end of input", 35],
  ["SELECT 1 UNION", "42601", "syntax error at end of input", 15],
  ["SELECT a = ANY CASE", "42601", "syntax error at or near \"CASE\"", 16],
  ["SELECT DISTINCT LIMIT t", "42601", "syntax error at or near \"LIMIT\"", 17],
  ["SELECT JOIN :: GROUP BY", "42601", "syntax error at or near \"::\"", 13],
  ["SELECT || )", "42601", "syntax error at or near \")\"", 11],
  ["select t::exists", "42601", "syntax error at or near \"exists\"", 11],
  ["select overlay('abc' placing 'x' from 2 for 1) from", "42601", "syntax error at end of input", 52],
  ["select 1 < 2 < 3", "42601", "syntax error at or near \"<\"", 14],
  ["select x from t where a in ((select 1), 2", "42601", "syntax error at end of input", 42],
  ["select 1 from t t1 join t t2", "42601", "syntax error at end of input", 29],
  ["select * from t where a is", "42601", "syntax error at end of input", 27],
  ["select row(1,2", "42601", "syntax error at end of input", 15],
  ["select array[1,2", "42601", "syntax error at end of input", 17],
  ["select case 1 when 2 then 3 else", "42601", "syntax error at end of input", 33],
  ["insert into t (a, b values (1)", "42601", "syntax error at or near \"values\"", 21],
  ["select extract(from x)", "42601", "syntax error at or near \"from\"", 16],
  ["select count(distinct *) from t", "42601", "syntax error at or near \"*\"", 23],
  ["select a from t group by grouping sets (a", "42601", "syntax error at end of input", 42],
  ["with x as select 1 select 2", "42601", "syntax error at or near \"select\"", 11],
  ["select 1 order by 1 nulls", "42601", "syntax error at or near \"nulls\"", 21],
  ["select sum(x) over (rows between 1 preceding) from t", "42601", "syntax error at or near \")\"", 45],
  ["select default", "42601", "DEFAULT is not allowed in this context", 8],
  ["values (default)", "42601", "DEFAULT is not allowed in this context", 9],
  ["insert into t values (default + 1)", "42601", "DEFAULT is not allowed in this context", 23],
  ["insert into t select default", "42601", "DEFAULT is not allowed in this context", 22],
  ["insert into t values ((select default))", "42601", "DEFAULT is not allowed in this context", 31],
  ["select default from", "42601", "syntax error at end of input", 20],
  ["update t set v = default + 1", "42601", "DEFAULT is not allowed in this context", 18],
  // positions count characters, not UTF-16 units
  ["select '😀', 1 +", "42601", "syntax error at end of input", 16],
  ["select '😀' from from", "42601", "syntax error at or near \"from\"", 17],
  ["select 'é', \"ü\" 1", "42601", "syntax error at or near \"1\"", 17],
];

/** Freshet-only statements: errors reasoned from the same rules (first token that cannot continue). */
const freshetOnly: [sql: string, message: string, position: number][] = [
  ['create stream s (a int', 'syntax error at end of input', 23],
  ['create materialized view v select 1', 'syntax error at or near "select"', 28],
  ["create table t (a int) with (k = )", 'syntax error at or near ")"', 34],
  ['drop stream if exists', 'syntax error at end of input', 22],
  ['insert into t values (1) on conflict (a) do update set', 'syntax error at end of input', 55],
];

function syntaxErrorOf(sql: string): SqlError {
  try {
    parseStatements(sql);
  } catch (e) {
    assert.ok(e instanceof SqlError, `not a SqlError: ${String(e)}`);
    return e;
  }
  assert.fail(`parsed without error: ${sql}`);
}

describe('sql/parse: syntax errors', () => {
  for (const [sql, code, message, position] of fromPostgres15) {
    it(`${JSON.stringify(sql)} -> ${message} @${position}`, () => {
      const e = syntaxErrorOf(sql);
      assert.deepEqual([e.code, e.message, e.position], [code, message, position]);
    });
  }
  for (const [sql, message, position] of freshetOnly) {
    it(`${JSON.stringify(sql)} -> ${message} @${position}`, () => {
      const e = syntaxErrorOf(sql);
      assert.deepEqual([e.code, e.message, e.position], ['42601', message, position]);
    });
  }
});
