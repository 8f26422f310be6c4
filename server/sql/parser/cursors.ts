/**
 * Push queries and cursors: SUBSCRIBE, DECLARE ... CURSOR FOR (query | SUBSCRIBE), FETCH, CLOSE, and
 * the query form of COPY (COPY (query | SUBSCRIBE ...) TO STDOUT). FETCH takes Freshet's
 * `WITH (timeout = '1s')` so a client can poll a subscription without blocking forever.
 */
import type { CloseCursorStatement, CopyToStatement, DeclareCursorStatement, FetchStatement, QueryStatement, SubscribeStatement } from '../ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { TokenStream } from './token-stream.js';
import { parseName } from './expressions.js';
import { parseQualifiedName, parseQuery, startsQuery } from './queries.js';
import { parseWithOptions } from './ddl.js';

function boolOption(key: string, value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['true', 'on', '1', 't', 'yes'].includes(v)) return true;
  if (['false', 'off', '0', 'f', 'no'].includes(v)) return false;
  throw new SqlError(SQLSTATE.invalidParameterValue, `option "${key}" requires a Boolean value`);
}

export function parseSubscribe(ts: TokenStream): SubscribeStatement {
  ts.expectWord('subscribe');
  ts.acceptWord('to');
  let target: SubscribeStatement['target'];
  if (ts.acceptPunct('(')) {
    target = { kind: 'query', query: parseQuery(ts) };
    ts.expectPunct(')');
  } else {
    target = { kind: 'relation', name: parseQualifiedName(ts) };
  }
  let snapshot = true;
  let progress = true;
  let committed = false;
  for (const { key, value } of parseWithOptions(ts)) {
    if (key === 'snapshot') snapshot = boolOption(key, value);
    else if (key === 'progress') progress = boolOption(key, value);
    else if (key === 'committed') committed = boolOption(key, value);
    else throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized SUBSCRIBE option "${key}"`, { hint: 'Valid options are: snapshot, progress, committed.' });
  }
  return { kind: 'subscribe', target, snapshot, progress, committed };
}

function parseQueryOrSubscribe(ts: TokenStream): QueryStatement | SubscribeStatement {
  if (ts.isWord('subscribe')) return parseSubscribe(ts);
  if (!startsQuery(ts)) throw ts.error();
  return { kind: 'query', query: parseQuery(ts) };
}

export function parseDeclare(ts: TokenStream): DeclareCursorStatement {
  ts.expectWord('declare');
  const name = parseName(ts);
  ts.acceptWord('binary');
  if (ts.acceptWord('no')) ts.expectWord('scroll');
  else ts.acceptWord('scroll');
  ts.expectWord('cursor');
  let hold = false;
  if (ts.acceptWord('with')) {
    ts.expectWord('hold');
    hold = true;
  } else if (ts.acceptWord('without')) {
    ts.expectWord('hold');
  }
  ts.expectWord('for');
  return { kind: 'declareCursor', name, hold, statement: parseQueryOrSubscribe(ts) };
}

/** A timeout as '1s', '250ms', '2 minutes', or a number of seconds. */
function timeoutMs(value: string | number | boolean): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|min|minutes?)?\s*$/i.exec(String(value));
  if (!m) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid FETCH timeout "${String(value)}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return unit.startsWith('ms') || unit.startsWith('milli') ? n : unit.startsWith('min') ? n * 60_000 : n * 1000;
}

export function parseFetch(ts: TokenStream): FetchStatement {
  ts.expectWord('fetch');
  let count: number | 'all' = 1;
  const countToken = () => {
    const t = ts.peek();
    if (t.kind === 'number') {
      ts.next();
      return Number(t.value);
    }
    if (ts.acceptWord('all')) return 'all' as const;
    return undefined;
  };
  if (ts.acceptWord('next')) count = 1;
  else if (ts.acceptWord('forward')) count = countToken() ?? 1;
  else count = countToken() ?? 1;
  if (typeof count === 'number' && (!Number.isInteger(count) || count < 0)) throw ts.error();
  ts.acceptWord('from') || ts.acceptWord('in');
  const cursor = parseName(ts);
  let timeout: number | undefined;
  for (const { key, value } of parseWithOptions(ts)) {
    if (key === 'timeout') timeout = timeoutMs(value);
    else throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized FETCH option "${key}"`, { hint: 'Valid options are: timeout.' });
  }
  return { kind: 'fetch', cursor, count, ...(timeout !== undefined ? { timeoutMs: timeout } : {}) };
}

export function parseClose(ts: TokenStream): CloseCursorStatement {
  ts.expectWord('close');
  if (ts.acceptWord('all')) return { kind: 'closeCursor', name: 'all' };
  return { kind: 'closeCursor', name: parseName(ts) };
}

/** After `COPY (`: the query or SUBSCRIBE, `) TO STDOUT`, and options. */
export function parseCopyTo(ts: TokenStream): CopyToStatement {
  ts.expectPunct('(');
  const source = parseQueryOrSubscribe(ts);
  ts.expectPunct(')');
  ts.expectWord('to');
  ts.expectWord('stdout');
  let format: 'text' | 'csv' = 'text';
  let header = false;
  let delimiter: string | undefined;
  let nullString: string | undefined;
  ts.acceptWord('with');
  if (ts.acceptPunct('(')) {
    do {
      const k = ts.next();
      if (k.kind !== 'word') throw ts.error(k);
      const v = ts.peek();
      const value = v.kind === 'string' || v.kind === 'word' || v.kind === 'number' ? (ts.next(), v.value) : 'true';
      switch (k.value) {
        case 'format':
          if (value !== 'text' && value !== 'csv') throw new SqlError(SQLSTATE.featureNotSupported, `COPY format "${value}" is not supported`);
          format = value;
          break;
        case 'header': header = ['true', 'on', '1'].includes(value.toLowerCase()); break;
        case 'delimiter': delimiter = value; break;
        case 'null': nullString = value; break;
        default: throw new SqlError(SQLSTATE.syntaxError, `option "${k.value}" not recognized`, { position: k.pos });
      }
    } while (ts.acceptPunct(','));
    ts.expectPunct(')');
  } else if (ts.acceptWord('csv')) {
    format = 'csv';
    if (ts.acceptWord('header')) header = true;
  }
  return { kind: 'copyTo', source, format, header, ...(delimiter !== undefined ? { delimiter } : {}), ...(nullString !== undefined ? { null: nullString } : {}) };
}
