/**
 * POSIX (PostgreSQL ARE) regular expressions on JS RegExp: translates the constructs JS spells
 * differently ([[:alpha:]], \m \M \y \Y, \A \Z, leading (?i) style options) and caches compiled
 * patterns, since a pattern column usually repeats a handful of values.
 */
import { SqlError, SQLSTATE } from '../errors.js';

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: '\\w', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

function translate(pattern: string): { source: string; flags: string } {
  let flags = 's';
  let p = pattern;
  const opt = /^\(\?([bceimnpqstwx]+)\)/.exec(p);
  if (opt) {
    p = p.slice(opt[0].length);
    if (opt[1].includes('i')) flags += 'i';
    if (opt[1].includes('n') || opt[1].includes('w')) flags = flags.replace('s', '') + 'm';
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      const n = p[i + 1];
      i++;
      if (!inClass) {
        if (n === 'm') { out += '\\b(?=\\w)'; continue; }
        if (n === 'M') { out += '\\b(?<=\\w)'; continue; }
        if (n === 'y') { out += '\\b'; continue; }
        if (n === 'Y') { out += '\\B'; continue; }
        if (n === 'A') { out += '^'; continue; }
        if (n === 'Z') { out += '$'; continue; }
      }
      out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end > 0) {
          const name = p.slice(i + 2, end);
          const cls = CLASSES[name];
          if (!cls) throw new SqlError(SQLSTATE.invalidRegularExpression, 'invalid regular expression: invalid character class');
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === ']' && !out.endsWith('[') && !out.endsWith('[^')) inClass = false;
      else if (c === '[') { out += '\\['; continue; }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') { out += '^'; i++; }
      if (p[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp>();

/** The compiled RegExp for a PostgreSQL regex; `extraFlags` adds e.g. 'i' for ~* or 'g' for replace-all. */
export function compileRegex(pattern: string, extraFlags = ''): RegExp {
  const key = extraFlags + '\u0000' + pattern;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  const { source, flags } = translate(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, [...new Set(flags + extraFlags)].join(''));
  } catch (e) {
    throw new SqlError(SQLSTATE.invalidRegularExpression, `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export function regexMatches(input: string, pattern: string, caseInsensitive: boolean): boolean {
  const re = compileRegex(pattern, caseInsensitive ? 'i' : '');
  return re.test(input);
}
