/**
 * The SQL front door: `parseStatements(sql)` splits a query string and parses each statement into
 * Freshet's AST (ast.ts). Syntax errors are SqlError 42601 with PostgreSQL's message and the 1-based
 * position in the whole string. The grammar lives in ./parser/ (one hand-written recursive-descent
 * parser over one tokenizer, ./lexer.ts); nothing else in the server reads SQL text.
 */
import type { ParsedStatement, Statement } from './ast.js';
import { splitTokens } from './split.js';
import { TokenStream } from './parser/token-stream.js';
import { parseStatement } from './parser/statement.js';
import { parseExpr } from './parser/expressions.js';
import type { Expr } from './ast.js';
import { tokenize } from './lexer.js';
import { err } from '../errors.js';

/** Parses every statement in `sql`; a string of only whitespace and comments gives []. */
export function parseStatements(sql: string): ParsedStatement[] {
  return splitTokens(sql).map(({ source, tokens }) => ({
    statement: parseStatement(new TokenStream(sql, tokens)),
    source,
  }));
}

/** Parses a string that must hold exactly one statement (a trailing ';' is allowed). */
export function parseOneStatement(sql: string): Statement {
  const all = parseStatements(sql);
  if (all.length !== 1) throw err.internal(`expected one statement, got ${all.length}`);
  return all[0]!.statement;
}

/** Parses a standalone expression (e.g. a stored DEFAULT); positions are 1-based in `sql`. */
export function parseExpression(sql: string): Expr {
  const ts = new TokenStream(sql, tokenize(sql));
  const e = parseExpr(ts);
  ts.expectEnd();
  return e;
}
