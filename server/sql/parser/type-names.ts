/**
 * Parses a type as written (`varchar(20)`, `double precision`, `timestamp with time zone`,
 * `pg_catalog.int4[]`, `"char"`) into a TypeName with PostgreSQL's canonical name.
 */
import type { TypeName } from '../ast.js';
import type { TokenStream } from './token-stream.js';
import { COL_NAME_KEYWORDS, RESERVED } from './keywords.js';

/** Column-name keywords that do name types (`exists`, `coalesce` and the like do not). */
const TYPE_KEYWORDS = new Set([
  'bigint', 'bit', 'boolean', 'char', 'character', 'dec', 'decimal', 'float', 'int', 'integer', 'interval', 'national',
  'nchar', 'numeric', 'real', 'smallint', 'time', 'timestamp', 'varchar',
]);

const CANONICAL: Record<string, string> = {
  int: 'int4', integer: 'int4', int4: 'int4', smallint: 'int2', int2: 'int2', bigint: 'int8', int8: 'int8',
  real: 'float4', float4: 'float4', float8: 'float8', decimal: 'numeric', dec: 'numeric', numeric: 'numeric',
  varchar: 'varchar', char: 'bpchar', character: 'bpchar', bpchar: 'bpchar', boolean: 'bool', bool: 'bool',
  timestamptz: 'timestamptz', timetz: 'timetz', text: 'text',
};

/** Canonical name of an unqualified type word (lower case). */
export function canonicalTypeName(word: string): string {
  return CANONICAL[word] ?? word;
}

/** True if the current token can start a type name. */
export function startsTypeName(ts: TokenStream): boolean {
  const t = ts.peek();
  return t.kind === 'quotedIdent' || (t.kind === 'word' && !RESERVED.has(t.value) && (!COL_NAME_KEYWORDS.has(t.value) || TYPE_KEYWORDS.has(t.value)));
}

function parseModifiers(ts: TokenStream): number[] {
  const mods: number[] = [];
  if (!ts.acceptPunct('(')) return mods;
  do {
    const t = ts.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw ts.error();
    ts.next();
    mods.push(Number(t.value));
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return mods;
}

function parseTimeZoneSuffix(ts: TokenStream): boolean {
  if (ts.acceptWord('with', 'time', 'zone')) return true;
  ts.acceptWord('without', 'time', 'zone');
  return false;
}

/** Parses a type name at the current token; throws a syntax error if there is none. */
export function parseTypeName(ts: TokenStream): TypeName {
  const pos = ts.pos();
  const first = ts.peek();
  if (first.kind !== 'word' && first.kind !== 'quotedIdent') throw ts.error();
  if (first.kind === 'word' && (RESERVED.has(first.value) || (COL_NAME_KEYWORDS.has(first.value) && !TYPE_KEYWORDS.has(first.value)))) {
    throw ts.error();
  }
  ts.next();
  let schema: string | undefined;
  let name: string;
  let modifiers: number[] = [];
  if (first.kind === 'quotedIdent') {
    name = first.value;
    if (ts.isPunct('.')) {
      ts.next();
      schema = name;
      name = parseTypeWord(ts);
    }
    modifiers = parseModifiers(ts);
  } else if (ts.isPunct('.')) {
    ts.next();
    schema = first.value;
    name = canonicalTypeName(parseTypeWord(ts));
    modifiers = parseModifiers(ts);
  } else {
    const w = first.value;
    switch (w) {
      case 'double':
        ts.expectWord('precision');
        name = 'float8';
        break;
      case 'float': {
        const p = parseModifiers(ts);
        name = p.length > 0 && p[0]! <= 24 ? 'float4' : 'float8';
        break;
      }
      case 'character':
      case 'char':
      case 'nchar':
        name = ts.acceptWord('varying') ? 'varchar' : 'bpchar';
        modifiers = parseModifiers(ts);
        break;
      case 'national':
        ts.acceptWord('character') || ts.expectWord('char');
        name = ts.acceptWord('varying') ? 'varchar' : 'bpchar';
        modifiers = parseModifiers(ts);
        break;
      case 'timestamp':
      case 'time':
        modifiers = parseModifiers(ts);
        name = parseTimeZoneSuffix(ts) ? (w === 'time' ? 'timetz' : 'timestamptz') : w;
        break;
      case 'interval':
        name = 'interval';
        parseIntervalQualifier(ts);
        modifiers = parseModifiers(ts);
        break;
      case 'bit':
        name = ts.acceptWord('varying') ? 'varbit' : 'bit';
        modifiers = parseModifiers(ts);
        break;
      default:
        name = canonicalTypeName(w);
        modifiers = parseModifiers(ts);
    }
  }
  let arrayBounds = 0;
  for (;;) {
    if (ts.isPunct('[')) {
      ts.next();
      if (ts.peek().kind === 'number') ts.next();
      ts.expectPunct(']');
      arrayBounds++;
    } else if (ts.isWord('array')) {
      ts.next();
      if (ts.acceptPunct('[')) {
        if (ts.peek().kind === 'number') ts.next();
        ts.expectPunct(']');
      }
      arrayBounds++;
    } else break;
  }
  return schema === undefined ? { name, modifiers, arrayBounds, pos } : { name, schema, modifiers, arrayBounds, pos };
}

function parseTypeWord(ts: TokenStream): string {
  const t = ts.peek();
  if (t.kind === 'word' || t.kind === 'quotedIdent') {
    ts.next();
    return t.value;
  }
  throw ts.error();
}

const INTERVAL_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

/** `YEAR`, `DAY TO SECOND`, `SECOND(3)`...; returns the lower-case qualifier or undefined. */
export function parseIntervalQualifier(ts: TokenStream): string | undefined {
  const t = ts.peek();
  if (t.kind !== 'word' || !INTERVAL_FIELDS.includes(t.value)) return undefined;
  ts.next();
  let unit = t.value;
  if (unit === 'second' && ts.isPunct('(')) parseModifiers(ts);
  if (ts.isWord('to')) {
    ts.next();
    const to = ts.peek();
    if (to.kind !== 'word' || !INTERVAL_FIELDS.includes(to.value)) throw ts.error();
    ts.next();
    unit += ` to ${to.value}`;
    if (to.value === 'second' && ts.isPunct('(')) parseModifiers(ts);
  }
  return unit;
}
