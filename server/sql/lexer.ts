/**
 * The SQL tokenizer: turns a whole query string into tokens with their 0-based offsets, following
 * PostgreSQL's lexical rules (quoted idents, '' and E'' strings, $tag$ quotes, nested comments,
 * operator-character runs, adjacent string continuation across newlines). It owns the lexical
 * errors (unterminated strings/comments, trailing junk after numbers); it never interprets keywords.
 */
import { err, SqlError, SQLSTATE } from '../errors.js';

export type TokenKind =
  | 'word' // unquoted identifier or keyword; `value` is lower-cased
  | 'quotedIdent' // "Ident"; `value` is kept as written
  | 'string' // '...', E'...', $$...$$; `value` is the decoded content
  | 'number' // `value` is the text as written
  | 'param' // $n; `value` is the digits
  | 'op' // an operator run: + - * / < > = ~ ! @ # % ^ & | ` ?
  | 'punct' // ( ) [ ] , ; . :: :
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  /** 0-based offset of the first character in the whole query string. */
  readonly start: number;
  /** 0-based offset one past the last character. */
  readonly end: number;
  /** 1-based position in characters (code points), as PostgreSQL reports it. */
  readonly pos: number;
}

/** 1-based character position of a UTF-16 offset: astral characters count once, as in PostgreSQL. */
export function characterPosition(sql: string, offset: number): number {
  let surrogatePairs = 0;
  for (let i = 0; i < offset; i++) {
    const c = sql.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) surrogatePairs++;
  }
  return offset - surrogatePairs + 1;
}

const OP_CHARS = '+-*/<>=~!@#%^&|`?';
const OP_NON_MATH = '~!@#%^&|`?';

function isIdentStart(c: string): boolean {
  const x = c.charCodeAt(0);
  return (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || x === 95 || x >= 0x80;
}
function isIdentChar(c: string): boolean {
  const x = c.charCodeAt(0);
  return (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || (x >= 48 && x <= 57) || x === 95 || x === 36 || x >= 0x80;
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function lexError(message: string, sql: string, start: number, end = sql.length): SqlError {
  return err.syntax(`${message} at or near "${sql.slice(start, end)}"`, characterPosition(sql, start));
}

/** Skips whitespace and comments from `i`; returns the next offset and whether a newline was crossed. */
function skipSpace(sql: string, i: number): { next: number; newline: boolean } {
  let newline = false;
  for (;;) {
    const c = sql[i];
    if (c === undefined) return { next: i, newline };
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') i++;
    else if (c === '\n') {
      newline = true;
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const start = i;
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= sql.length) throw lexError('unterminated /* comment', sql, start);
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else return { next: i, newline };
  }
}

/** Reads a '...' body starting after the opening quote; returns content and end offset. */
function readQuoted(sql: string, start: number, bodyStart: number, escapes: boolean): { value: string; end: number } {
  let i = bodyStart;
  let out = '';
  for (;;) {
    const c = sql[i];
    if (c === undefined) throw lexError('unterminated quoted string', sql, start);
    if (c === "'") {
      if (sql[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (escapes && c === '\\') {
      const d = sql[i + 1];
      if (d === undefined) throw lexError('unterminated quoted string', sql, start);
      i += 2;
      switch (d) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'x': {
          const m = /^[0-9A-Fa-f]{1,2}/.exec(sql.slice(i));
          if (m) {
            out += String.fromCharCode(parseInt(m[0], 16));
            i += m[0].length;
          } else out += 'x';
          break;
        }
        case 'u':
        case 'U': {
          const n = d === 'u' ? 4 : 8;
          const hex = sql.slice(i, i + n);
          if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) {
            throw new SqlError(SQLSTATE.invalidEscapeSequence, 'invalid Unicode escape', { position: characterPosition(sql, i - 2) });
          }
          out += String.fromCodePoint(parseInt(hex, 16));
          i += n;
          break;
        }
        default:
          if (d >= '0' && d <= '7') {
            const m = /^[0-7]{1,3}/.exec(sql.slice(i - 1))!;
            out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
            i += m[0].length - 1;
          } else out += d;
      }
      continue;
    }
    out += c;
    i++;
  }
}

/** Tokenizes the whole string; the last token is always `eof` at `sql.length`. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const astral = /[\uD800-\uDBFF]/.test(sql);
  const tokens = {
    push: (t: Omit<Token, 'pos'>) =>
      out.push({ kind: t.kind, value: t.value, start: t.start, end: t.end, pos: astral ? characterPosition(sql, t.start) : t.start + 1 }),
  };
  let i = 0;
  for (;;) {
    const sp = skipSpace(sql, i);
    i = sp.next;
    if (i >= sql.length) {
      tokens.push({ kind: 'eof', value: '', start: sql.length, end: sql.length });
      return out;
    }
    const c = sql[i]!;
    const start = i;
    // strings: '...', E'...', (N'...', B'...' and X'...' are not supported as such)
    if (c === "'" || ((c === 'e' || c === 'E') && sql[i + 1] === "'")) {
      const escapes = c !== "'";
      let { value, end } = readQuoted(sql, start, escapes ? i + 2 : i + 1, escapes);
      // SQL standard: string constants separated by whitespace with a newline are concatenated
      for (;;) {
        const after = skipSpace(sql, end);
        if (!after.newline || sql[after.next] !== "'") break;
        const more = readQuoted(sql, after.next, after.next + 1, escapes);
        value += more.value;
        end = more.end;
      }
      tokens.push({ kind: 'string', value, start, end });
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= sql.length) throw lexError('unterminated quoted identifier', sql, start);
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            out += '"';
            j += 2;
            continue;
          }
          break;
        }
        out += sql[j];
        j++;
      }
      if (out === '') throw err.syntax('zero-length delimited identifier at or near """"', characterPosition(sql, start));
      tokens.push({ kind: 'quotedIdent', value: out, start, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const param = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (param) {
        const end = i + param[0].length;
        if (sql[end] !== undefined && isIdentChar(sql[end]!)) {
          throw lexError('trailing junk after parameter', sql, start, end + 1);
        }
        tokens.push({ kind: 'param', value: param[1]!, start, end });
        i = end;
        continue;
      }
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 200));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw lexError('unterminated dollar-quoted string', sql, start);
        tokens.push({ kind: 'string', value: sql.slice(i + tag[0].length, close), start, end: close + tag[0].length });
        i = close + tag[0].length;
        continue;
      }
      throw err.syntax(`syntax error at or near "$"`, characterPosition(sql, start));
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1]))) {
      let j = i;
      while (isDigit(sql[j])) j++;
      if (sql[j] === '.' && sql[j + 1] !== '.') {
        j++;
        while (isDigit(sql[j])) j++;
      }
      if ((sql[j] === 'e' || sql[j] === 'E') && (isDigit(sql[j + 1]) || ((sql[j + 1] === '+' || sql[j + 1] === '-') && isDigit(sql[j + 2])))) {
        j += 2;
        while (isDigit(sql[j])) j++;
      }
      if (sql[j] !== undefined && isIdentStart(sql[j]!)) {
        let k = j;
        while (sql[k] !== undefined && isIdentChar(sql[k]!)) k++;
        throw lexError('trailing junk after numeric literal', sql, start, k);
      }
      tokens.push({ kind: 'number', value: sql.slice(start, j), start, end: j });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < sql.length && isIdentChar(sql[j]!)) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j).toLowerCase(), start, end: j });
      i = j;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      tokens.push({ kind: 'punct', value: '::', start, end: i + 2 });
      i += 2;
      continue;
    }
    if ('()[],;.:'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (OP_CHARS.includes(c)) {
      let j = i;
      while (j < sql.length && OP_CHARS.includes(sql[j]!)) {
        if (j > i && ((sql[j] === '-' && sql[j + 1] === '-') || (sql[j] === '/' && sql[j + 1] === '*'))) break;
        j++;
      }
      // an operator ending in + or - is only kept whole if it contains a non-arithmetic character
      let text = sql.slice(i, j);
      if (text.length > 1 && /[+-]$/.test(text) && ![...text].some((ch) => OP_NON_MATH.includes(ch))) {
        while (text.length > 1 && /[+-]$/.test(text)) text = text.slice(0, -1);
      }
      tokens.push({ kind: 'op', value: text === '!=' ? '<>' : text, start, end: i + text.length });
      i += text.length;
      continue;
    }
    throw err.syntax(`syntax error at or near "${c}"`, characterPosition(sql, start));
  }
}

