/**
 * A cursor over one statement's tokens for the recursive-descent parser: lookahead, keyword and
 * punctuation matching, and PostgreSQL-style syntax errors (`syntax error at or near "tok"` at the
 * token's 1-based position in the whole query string, or `at end of input`).
 */
import { err, SqlError } from '../../errors.js';
import type { Token } from '../lexer.js';

export class TokenStream {
  private index = 0;
  /** A non-syntax error found mid-parse (e.g. an unsupported operator), thrown once the syntax is known good. */
  private deferred: SqlError | undefined;
  /** Set by INSERT just before its top-level VALUES, where a bare DEFAULT is allowed. */
  defaultAllowedInValues = false;

  /** `tokens` ends with the statement's terminator: a ';' token or the `eof` token. */
  constructor(
    readonly sql: string,
    private readonly tokens: readonly Token[],
  ) {}

  get position(): number {
    return this.index;
  }
  set position(i: number) {
    this.index = i;
  }

  peek(ahead = 0): Token {
    const i = Math.min(this.index + ahead, this.tokens.length - 1);
    return this.tokens[i]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  /** True at the statement's terminator (';' or end of input). */
  atEnd(): boolean {
    return this.index >= this.tokens.length - 1;
  }

  /** 1-based position of the current token in the whole string. */
  pos(): number {
    return this.peek().pos;
  }

  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'word' && t.value === word && !(this.index + ahead >= this.tokens.length - 1);
  }

  isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.value === p && this.index + ahead < this.tokens.length - 1;
  }

  isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.value === op;
  }

  acceptWord(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.isWord(words[k]!, k)) return false;
    this.index += words.length;
    return true;
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.index++;
    return true;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.index++;
    return true;
  }

  expectWord(...words: string[]): void {
    for (const w of words) {
      if (!this.isWord(w)) throw this.error();
      this.index++;
    }
  }

  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.error();
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error();
    if (this.deferred) throw this.deferred;
  }

  /** Records an error to raise only if the whole statement parses (PostgreSQL reports syntax first). */
  defer(error: SqlError): void {
    this.deferred ??= error;
  }

  /** The syntax error PostgreSQL reports for the current (or given) token. */
  error(token: Token = this.peek()): SqlError {
    if (token.kind === 'eof') return err.syntax('syntax error at end of input', token.pos);
    return err.syntax(`syntax error at or near "${this.sql.slice(token.start, token.end)}"`, token.pos);
  }
}
