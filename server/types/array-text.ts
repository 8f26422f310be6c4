/**
 * Array text I/O as PostgreSQL's array_in/array_out do it: '{1,2,NULL}', elements quoted when empty,
 * spelled NULL, or holding braces, commas, quotes, backslashes or white space. Nested braces give
 * nested JS arrays (multi-dimensional arrays); each element goes through the element type's I/O.
 */
import { SqlError, SQLSTATE } from '../errors.js';

const NEEDS_QUOTES = /[{}," \\\t\n\r\v\f]/;

export function quoteArrayElement(text: string): string {
  if (text === '' || text.toLowerCase() === 'null' || NEEDS_QUOTES.test(text)) {
    return '"' + text.replace(/["\\]/g, (c) => '\\' + c) + '"';
  }
  return text;
}

/** Format an array whose elements are formatted by `formatElement` (called for non-null leaves). */
export function formatArray<T>(values: readonly (T | null | readonly unknown[])[], formatElement: (v: T) => string): string {
  const parts: string[] = [];
  for (const v of values) {
    if (v === null) parts.push('NULL');
    else if (Array.isArray(v)) parts.push(formatArray(v as (T | null)[], formatElement));
    else parts.push(quoteArrayElement(formatElement(v as T)));
  }
  return '{' + parts.join(',') + '}';
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SQLSTATE.invalidTextRepresentation, `malformed array literal: "${text}"`, { detail });
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** Parse '{...}' into (possibly nested) arrays; leaves are parsed by `parseElement`, NULL gives null. */
export function parseArray<T>(text: string, parseElement: (s: string) => T): (T | null | unknown[])[] {
  let i = 0;
  const s = text;
  while (i < s.length && isSpace(s[i])) i++;
  if (s[i] === '[') {
    // explicit dimensions '[1:3]={...}': skip them (lower bounds other than 1 are not kept)
    const eq = s.indexOf('=', i);
    if (eq < 0) throw malformed(text, 'Missing "=" after array dimensions.');
    i = eq + 1;
    while (i < s.length && isSpace(s[i])) i++;
  }
  if (s[i] !== '{') throw malformed(text, 'Array value must start with "{" or dimension information.');
  const parseLevel = (): (T | null | unknown[])[] => {
    i++; // '{'
    const out: (T | null | unknown[])[] = [];
    while (i < s.length && isSpace(s[i])) i++;
    if (s[i] === '}') { i++; return out; }
    for (;;) {
      while (i < s.length && isSpace(s[i])) i++;
      if (s[i] === '{') out.push(parseLevel());
      else if (s[i] === '"') {
        i++;
        let v = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\') i++;
          if (i >= s.length) throw malformed(text, 'Unexpected end of input.');
          v += s[i++];
        }
        if (i >= s.length) throw malformed(text, 'Unexpected end of input.');
        i++;
        out.push(parseElement(v));
      } else {
        let v = '';
        let trailing = '';
        while (i < s.length && s[i] !== ',' && s[i] !== '}') {
          if (s[i] === '{' || s[i] === '"') throw malformed(text, 'Unexpected array element.');
          if (s[i] === '\\') {
            i++;
            if (i >= s.length) throw malformed(text, 'Unexpected end of input.');
            v += trailing + s[i++];
            trailing = '';
            continue;
          }
          if (isSpace(s[i])) trailing += s[i];
          else { v += trailing + s[i]; trailing = ''; }
          i++;
        }
        if (v === '') throw malformed(text, 'Unexpected "' + (s[i] ?? '') + '" character.');
        out.push(v.toLowerCase() === 'null' && !/\\/.test(v) ? null : parseElement(v));
      }
      while (i < s.length && isSpace(s[i])) i++;
      if (s[i] === ',') { i++; continue; }
      if (s[i] === '}') { i++; return out; }
      throw malformed(text, 'Unexpected end of input.');
    }
  };
  const result = parseLevel();
  while (i < s.length && isSpace(s[i])) i++;
  if (i !== s.length) throw malformed(text, 'Junk after closing right brace.');
  return result;
}
