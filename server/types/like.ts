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
