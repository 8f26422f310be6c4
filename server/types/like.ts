/**
 * LIKE / ILIKE matching: a pattern is compiled once into a RegExp (% any run, _ one character, an
 * escape character quoting the next one). ILIKE folds ASCII letters only, as PostgreSQL does under
 * C collation.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export type LikeMatcher = (input: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Compile a LIKE pattern. `escape` is '\\' by default; '' disables escaping. */
export function likeMatcher(pattern: string, escape: string | null = '\\', caseInsensitive = false): LikeMatcher {
  if (escape !== null && [...escape].length > 1) {
    throw new SqlError(SQLSTATE.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  }
  const p = caseInsensitive ? asciiLower(pattern) : pattern;
  const chars = [...p];
  if (escape && endsWithLoneEscape(chars, escape)) {
    // PostgreSQL only complains when matching reaches the dangling escape: interpret step by step
    return (input) => interpretLike([...(caseInsensitive ? asciiLower(input) : input)], 0, chars, 0, escape) === 'match';
  }
  let src = '^';
  let literalOnly = true;
  let literal = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (escape && c === escape) {
      i++;
      if (i >= chars.length) throw new SqlError(SQLSTATE.invalidEscapeSequence, 'LIKE pattern must not end with escape character');
      const lit = chars[i];
      literal += lit;
      src += REGEX_SPECIAL.test(lit) ? '\\' + lit : lit;
    } else if (c === '%') {
      literalOnly = false;
      src += '[^]*';
    } else if (c === '_') {
      literalOnly = false;
      src += '.';
    } else {
      literal += c;
      src += REGEX_SPECIAL.test(c) ? '\\' + c : c;
    }
  }
  if (literalOnly) {
    return caseInsensitive ? (input) => asciiLower(input) === literal : (input) => input === literal;
  }
  const re = new RegExp(src + '$', 'su');
  return caseInsensitive ? (input) => re.test(asciiLower(input)) : (input) => re.test(input);
}

function endsWithLoneEscape(chars: string[], escape: string): boolean {
  let i = 0;
  while (i < chars.length) {
    if (chars[i] === escape) {
      if (i === chars.length - 1) return true;
      i += 2;
    } else i++;
  }
  return false;
}

function danglingEscape(): SqlError {
  return new SqlError(SQLSTATE.invalidEscapeSequence, 'LIKE pattern must not end with escape character');
}

/** LIKE by direct interpretation (match / no match / abort), raising where PostgreSQL's matcher raises. */
function interpretLike(t: string[], ti: number, p: string[], pi: number, esc: string): 'match' | 'nomatch' | 'abort' {
  while (ti < t.length && pi < p.length) {
    const c = p[pi];
    if (c === esc) {
      pi++;
      if (pi >= p.length) throw danglingEscape();
      if (t[ti] !== p[pi]) return 'nomatch';
      ti++;
      pi++;
    } else if (c === '%') {
      while (pi < p.length && (p[pi] === '%' || p[pi] === '_')) {
        if (p[pi] === '_') {
          if (ti >= t.length) return 'abort';
          ti++;
        }
        pi++;
      }
      if (pi >= p.length) return 'match';
      if (p[pi] === esc && pi + 1 >= p.length) throw danglingEscape();
      const first = p[pi] === esc ? p[pi + 1] : p[pi];
      while (ti < t.length) {
        if (t[ti] === first) {
          const r = interpretLike(t, ti, p, pi, esc);
          if (r !== 'nomatch') return r;
        }
        ti++;
      }
      return 'abort';
    } else if (c === '_' || c === t[ti]) {
      ti++;
      pi++;
    } else return 'nomatch';
  }
  if (ti < t.length) return 'nomatch';
  while (pi < p.length && p[pi] === '%') pi++;
  return pi >= p.length ? 'match' : 'abort';
}
