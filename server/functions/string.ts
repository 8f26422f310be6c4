/**
 * String built-ins (length, lower/upper under C collation, substr, trim family, pad, split_part,
 * concat, format, md5, regexp_replace/regexp_match, ...). Lengths and positions count characters
 * (code points), as PostgreSQL does in UTF-8; case mapping touches ASCII letters only (C collation).
 */
import { quoteIdent } from '../sql/deparse.js';
import { createHash } from 'node:crypto';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Datum } from '../types/datum.js';
import { compileRegex } from '../types/regex.js';
import { arrayOf, T, type SqlType } from '../types/sql-type.js';
import { formatText } from '../types/text-io.js';
import { ANY_TYPE, defineFunction, over, sessionTimeZone } from './define.js';
import type { FunctionContext } from './registry.js';

const s0 = (a: readonly Datum[]) => a[0] as string;
const chars = (s: string) => [...s];
const hasAstral = (s: string) => /[\ud800-\udfff]/.test(s);
const charLength = (s: string) => (hasAstral(s) ? [...s].length : s.length);

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const c of s) {
    const alnum = /[A-Za-z0-9]/.test(c);
    out += alnum ? (inWord ? asciiLower(c) : asciiUpper(c)) : c;
    inWord = alnum;
  }
  return out;
}

/** substr(s, start[, count]) with PostgreSQL's handling of starts before 1. */
export function substring(s: string, start: number, count?: number): string {
  if (count !== undefined && count < 0) throw new SqlError('22011', 'negative substring length not allowed');
  const cs = hasAstral(s) ? chars(s) : null;
  const len = cs ? cs.length : s.length;
  const from = Math.max(start, 1);
  const end = count === undefined ? len + 1 : Math.min(start + count, len + 1);
  if (end <= from) return '';
  return cs ? cs.slice(from - 1, end - 1).join('') : s.slice(from - 1, end - 1);
}

function trimChars(s: string, set: string, left: boolean, right: boolean): string {
  const cs = chars(s);
  const remove = new Set(chars(set));
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && remove.has(cs[a])) a++;
  if (right) while (b > a && remove.has(cs[b - 1])) b--;
  return cs.slice(a, b).join('');
}

function pad(s: string, len: number, fill: string, left: boolean): string {
  const cs = chars(s);
  if (len <= 0) return '';
  if (cs.length >= len) return cs.slice(0, len).join('');
  const fs = chars(fill);
  if (fs.length === 0) return s;
  const need = len - cs.length;
  let p = '';
  for (let i = 0; i < need; i++) p += fs[i % fs.length];
  return left ? p + s : s + p;
}

function splitPart(s: string, delim: string, field: number): string {
  if (field === 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'field position must not be zero');
  if (delim === '') return field === 1 || field === -1 ? s : '';
  const parts = s.split(delim);
  const idx = field > 0 ? field - 1 : parts.length + field;
  return idx >= 0 && idx < parts.length ? parts[idx] : '';
}

function textOf(v: Datum, t: SqlType, ctx: FunctionContext): string {
  return formatText(v, t, { timeZone: sessionTimeZone(ctx) });
}

export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? "E'" + body.replace(/\\/g, '\\\\') + "'" : "'" + body + "'";
}

function formatFn(args: readonly Datum[], types: readonly SqlType[], ctx: FunctionContext): string {
  const fmt = args[0] as string;
  let out = '';
  let next = 1;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') { out += c; continue; }
    i++;
    if (fmt[i] === '%') { out += '%'; continue; }
    const m = /^(?:(\d+)\$)?(-)?(\d+)?([sIL])/.exec(fmt.slice(i));
    if (!m) throw new SqlError(SQLSTATE.invalidParameterValue, 'unrecognized format() type specifier "' + (fmt[i] ?? '') + '"');
    i += m[0].length - 1;
    const argIndex = m[1] ? Number(m[1]) : next;
    next = argIndex + 1;
    if (argIndex >= args.length) throw new SqlError(SQLSTATE.invalidParameterValue, 'too few arguments for format()');
    const v = args[argIndex];
    let piece: string;
    if (m[4] === 's') piece = v === null ? '' : textOf(v, types[argIndex], ctx);
    else if (m[4] === 'I') {
      if (v === null) throw new SqlError('22004', 'null values cannot be formatted as an SQL identifier');
      piece = quoteIdent(textOf(v, types[argIndex], ctx));
    } else piece = v === null ? 'NULL' : quoteLiteral(textOf(v, types[argIndex], ctx));
    const width = m[3] ? Number(m[3]) : 0;
    if (width > piece.length) piece = m[2] ? piece + ' '.repeat(width - piece.length) : ' '.repeat(width - piece.length) + piece;
    out += piece;
  }
  return out;
}

/** PostgreSQL replacement text (\1..\9, \&, \\) as a JS replacer function. */
function replacer(repl: string): (match: string, ...rest: unknown[]) => string {
  return (match: string, ...rest: unknown[]) => {
    const groups = rest.slice(0, rest.findIndex((x) => typeof x === 'number')) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i];
      if (c === '\\' && i + 1 < repl.length) {
        const n = repl[i + 1];
        if (n >= '1' && n <= '9') { out += groups[Number(n) - 1] ?? ''; i++; continue; }
        if (n === '&') { out += match; i++; continue; }
        if (n === '\\') { out += '\\'; i++; continue; }
      }
      out += c;
    }
    return out;
  };
}

function regexFlags(flags: string): { js: string; global: boolean } {
  let js = '';
  let global = false;
  for (const f of flags) {
    if (f === 'g') global = true;
    else if (f === 'i') js += 'i';
    else if (f === 'c') continue;
    else if (f === 'n' || f === 'm') js += 'm';
    else if (f !== 'x') throw new SqlError(SQLSTATE.invalidParameterValue, `invalid regular expression option: "${f}"`);
  }
  return { js, global };
}

function regexpReplace(s: string, pattern: string, repl: string, flags = ''): string {
  const fl = regexFlags(flags);
  const re = compileRegex(pattern, fl.js + (fl.global ? 'g' : ''));
  re.lastIndex = 0;
  return s.replace(re, replacer(repl));
}

function regexpMatch(s: string, pattern: string, flags = ''): Datum {
  const fl = regexFlags(flags);
  if (fl.global) throw new SqlError(SQLSTATE.invalidParameterValue, 'regexp_match() does not support the "global" option', { hint: 'Use the regexp_matches function instead.' });
  const re = compileRegex(pattern, fl.js);
  re.lastIndex = 0;
  const m = re.exec(s);
  if (!m) return null;
  return m.length > 1 ? m.slice(1).map((g) => (g === undefined ? null : g)) : [m[0]];
}

const TEXT_ARR = arrayOf(T.text);

for (const name of ['length', 'char_length', 'character_length']) {
  defineFunction(name, [
    over([T.text], T.int4, (a) => charLength(s0(a))),
    ...(name === 'length' ? [over([T.bytea], T.int4, (a: readonly Datum[]) => (a[0] as Uint8Array).length)] : []),
  ]);
}
defineFunction('octet_length', [
  over([T.text], T.int4, (a) => Buffer.byteLength(s0(a), 'utf8')),
  over([T.bytea], T.int4, (a) => (a[0] as Uint8Array).length),
]);
defineFunction('bit_length', [over([T.text], T.int4, (a) => Buffer.byteLength(s0(a), 'utf8') * 8)]);
defineFunction('lower', [over([T.text], T.text, (a) => asciiLower(s0(a)))]);
defineFunction('upper', [over([T.text], T.text, (a) => asciiUpper(s0(a)))]);
defineFunction('initcap', [over([T.text], T.text, (a) => initcap(s0(a)))]);
for (const name of ['substr', 'substring']) {
  defineFunction(name, [
    over([T.text, T.int4], T.text, (a) => substring(s0(a), a[1] as number)),
    over([T.text, T.int4, T.int4], T.text, (a) => substring(s0(a), a[1] as number, a[2] as number)),
    ...(name === 'substring' ? [over([T.text, T.text], T.text, (a: readonly Datum[]) => {
      const m = compileRegex(a[1] as string).exec(s0(a));
      if (!m) return null;
      return m.length > 1 ? (m[1] ?? null) : m[0];
    })] : []),
  ]);
}
const strpos = (a: readonly Datum[]) => {
  const idx = s0(a).indexOf(a[1] as string);
  return idx < 0 ? 0 : charLength(s0(a).slice(0, idx)) + 1;
};
/** position(string, substring): the binder maps POSITION(sub IN string) to this argument order. */
defineFunction('position', [over([T.text, T.text], T.int4, strpos)]);
defineFunction('strpos', [over([T.text, T.text], T.int4, strpos)]);
defineFunction('replace', [over([T.text, T.text, T.text], T.text, (a) => (a[1] === '' ? s0(a) : s0(a).split(a[1] as string).join(a[2] as string)))]);
const trims: [string, boolean, boolean][] = [['btrim', true, true], ['trim', true, true], ['ltrim', true, false], ['rtrim', false, true]];
for (const [name, l, r] of trims) {
  defineFunction(name, [
    over([T.text], T.text, (a) => trimChars(s0(a), ' ', l, r)),
    over([T.text, T.text], T.text, (a) => trimChars(s0(a), a[1] as string, l, r)),
  ]);
}
defineFunction('lpad', [
  over([T.text, T.int4], T.text, (a) => pad(s0(a), a[1] as number, ' ', true)),
  over([T.text, T.int4, T.text], T.text, (a) => pad(s0(a), a[1] as number, a[2] as string, true)),
]);
defineFunction('rpad', [
  over([T.text, T.int4], T.text, (a) => pad(s0(a), a[1] as number, ' ', false)),
  over([T.text, T.int4, T.text], T.text, (a) => pad(s0(a), a[1] as number, a[2] as string, false)),
]);
defineFunction('left', [over([T.text, T.int4], T.text, (a) => {
  const cs = chars(s0(a));
  const k = a[1] as number;
  return (k >= 0 ? cs.slice(0, k) : cs.slice(0, Math.max(0, cs.length + k))).join('');
})]);
defineFunction('right', [over([T.text, T.int4], T.text, (a) => {
  const cs = chars(s0(a));
  const k = a[1] as number;
  return (k >= 0 ? cs.slice(Math.max(0, cs.length - k)) : cs.slice(Math.min(cs.length, -k))).join('');
})]);
defineFunction('repeat', [over([T.text, T.int4], T.text, (a) => {
  const k = a[1] as number;
  if (k <= 0) return '';
  if (s0(a).length * k > 256 * 1024 * 1024) throw new SqlError(SQLSTATE.programLimitExceeded, 'requested length too large');
  return s0(a).repeat(k);
})]);
defineFunction('reverse', [over([T.text], T.text, (a) => chars(s0(a)).reverse().join(''))]);
defineFunction('split_part', [over([T.text, T.text, T.int4], T.text, (a) => splitPart(s0(a), a[1] as string, a[2] as number))]);
defineFunction('concat', [{ params: [], variadic: ANY_TYPE, returns: T.text, impl: (a, ctx, r) => a.map((v, i) => (v === null ? '' : textOf(v, r.argTypes[i], ctx))).join('') }], { strict: false });
defineFunction('concat_ws', [{
  params: [T.text], variadic: ANY_TYPE, returns: T.text,
  impl: (a, ctx, r) => {
    if (a[0] === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < a.length; i++) if (a[i] !== null) parts.push(textOf(a[i], r.argTypes[i], ctx));
    return parts.join(a[0] as string);
  },
}], { strict: false });
defineFunction('md5', [
  over([T.text], T.text, (a) => createHash('md5').update(s0(a), 'utf8').digest('hex')),
  over([T.bytea], T.text, (a) => createHash('md5').update(a[0] as Uint8Array).digest('hex')),
]);
defineFunction('chr', [over([T.int4], T.text, (a) => {
  const c = a[0] as number;
  if (c === 0) throw new SqlError(SQLSTATE.programLimitExceeded, 'null character not permitted');
  if (c < 0) throw new SqlError(SQLSTATE.programLimitExceeded, 'character number must be positive');
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) throw new SqlError(SQLSTATE.programLimitExceeded, `requested character too large for encoding: ${c}`);
  return String.fromCodePoint(c);
})]);
defineFunction('ascii', [over([T.text], T.int4, (a) => (s0(a).length === 0 ? 0 : s0(a).codePointAt(0)!))]);
defineFunction('starts_with', [over([T.text, T.text], T.bool, (a) => s0(a).startsWith(a[1] as string))]);
defineFunction('translate', [over([T.text, T.text, T.text], T.text, (a) => {
  const from = chars(a[1] as string);
  const to = chars(a[2] as string);
  let out = '';
  for (const c of s0(a)) {
    const i = from.indexOf(c);
    if (i < 0) out += c;
    else if (i < to.length) out += to[i];
  }
  return out;
})]);
defineFunction('regexp_replace', [
  over([T.text, T.text, T.text], T.text, (a) => regexpReplace(s0(a), a[1] as string, a[2] as string)),
  over([T.text, T.text, T.text, T.text], T.text, (a) => regexpReplace(s0(a), a[1] as string, a[2] as string, a[3] as string)),
]);
defineFunction('regexp_match', [
  over([T.text, T.text], TEXT_ARR, (a) => regexpMatch(s0(a), a[1] as string)),
  over([T.text, T.text, T.text], TEXT_ARR, (a) => regexpMatch(s0(a), a[1] as string, a[2] as string)),
]);
defineFunction('regexp_split_to_array', [over([T.text, T.text], TEXT_ARR, (a) => {
  const re = compileRegex(a[1] as string, 'g');
  return s0(a).split(re).filter((x) => x !== undefined);
})]);
defineFunction('string_to_array', [
  over([T.text, T.text], TEXT_ARR, (a) => stringToArray(s0(a), a[1] as string | null, null)),
  over([T.text, T.text, T.text], TEXT_ARR, (a) => stringToArray(s0(a), a[1] as string | null, a[2] as string | null)),
], { strict: false });
function stringToArray(s: string | null, delim: string | null, nullStr: string | null): Datum {
  if (s === null) return null;
  if (s === '') return [];
  const parts = delim === null ? chars(s) : delim === '' ? [s] : s.split(delim);
  return parts.map((p) => (nullStr !== null && p === nullStr ? null : p));
}
defineFunction('format', [{ params: [T.text], variadic: ANY_TYPE, returns: T.text, impl: (a, ctx, r) => (a[0] === null ? null : formatFn(a, r.argTypes, ctx)) }], { strict: false, volatility: 'stable' });
defineFunction('quote_literal', [over([T.text], T.text, (a) => quoteLiteral(s0(a)))]);
defineFunction('quote_nullable', [over([T.text], T.text, (a) => (a[0] === null ? 'NULL' : quoteLiteral(s0(a))))], { strict: false });
