/**
 * Splits a query string into statements at top-level semicolons, using the tokenizer so quotes,
 * dollar quotes and comments are respected. Empty statements are dropped. Each piece keeps its
 * tokens (offsets in the whole string) and its terminator (the ';' or the end of input).
 */
import { tokenize, type Token } from './lexer.js';
import type { StatementSource } from './ast.js';

export interface StatementTokens {
  readonly source: StatementSource;
  /** The statement's tokens followed by its terminator: a ';' token or the `eof` token. */
  readonly tokens: readonly Token[];
}

export function splitTokens(sql: string): StatementTokens[] {
  const tokens = tokenize(sql);
  const out: StatementTokens[] = [];
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const terminator = t.kind === 'eof' || (t.kind === 'punct' && t.value === ';');
    if (!terminator) continue;
    if (i > first) {
      const start = tokens[first]!.start;
      const end = tokens[i - 1]!.end;
      out.push({ source: { text: sql.slice(start, end), offset: start }, tokens: tokens.slice(first, i + 1) });
    }
    first = i + 1;
  }
  return out;
}

/** The statements of a query string as text with offsets (no parsing). */
export function splitStatements(sql: string): StatementSource[] {
  return splitTokens(sql).map((s) => s.source);
}
