/**
 * Statement dispatch on the leading keyword, plus EXPLAIN. Statements PostgreSQL has but Freshet
 * does not get 0A000 (feature not supported), not a syntax error; unknown words get 42601.
 */
import type { ExplainStatement, Statement } from '../ast.js';
import { err } from '../../errors.js';
import type { TokenStream } from './token-stream.js';
import { parseQuery, startsQuery } from './queries.js';
import { parseAlter, parseCreate, parseDrop } from './ddl.js';
import { parseCopy, parseDelete, parseInsert, parseUpdate } from './dml.js';
import { parseClose, parseDeclare, parseFetch, parseSubscribe } from './cursors.js';
import { parseDiscard, parseReset, parseSet, parseShow, parseTransaction } from './session.js';

/** PostgreSQL statements Freshet does not implement. */
const UNSUPPORTED = new Set([
  'grant', 'revoke', 'vacuum', 'analyze', 'analyse', 'prepare', 'execute', 'deallocate', 'listen', 'notify',
  'unlisten', 'lock', 'truncate', 'comment', 'move', 'do', 'call',
  'savepoint', 'release', 'cluster', 'reindex', 'refresh', 'security', 'load', 'import', 'reassign', 'merge',
]);

/** Parses exactly one statement: the stream must be at its end afterwards. */
export function parseStatement(ts: TokenStream): Statement {
  const statement = parseStatementPrefix(ts);
  ts.expectEnd();
  return statement;
}

function parseStatementPrefix(ts: TokenStream): Statement {
  if (startsQuery(ts)) return { kind: 'query', query: parseQuery(ts) };
  const t = ts.peek();
  if (t.kind !== 'word') throw ts.error();
  switch (t.value) {
    case 'create': return parseCreate(ts);
    case 'drop': return parseDrop(ts);
    case 'alter': return parseAlter(ts);
    case 'insert': return parseInsert(ts);
    case 'update': return parseUpdate(ts);
    case 'delete': return parseDelete(ts);
    case 'copy': return parseCopy(ts);
    case 'set': return parseSet(ts);
    case 'reset': return parseReset(ts);
    case 'show': return parseShow(ts);
    case 'begin':
    case 'start':
    case 'commit':
    case 'end':
    case 'rollback':
    case 'abort':
      return parseTransaction(ts);
    case 'discard': return parseDiscard(ts);
    case 'checkpoint':
      ts.next();
      return { kind: 'checkpoint' };
    case 'subscribe': return parseSubscribe(ts);
    case 'declare': return parseDeclare(ts);
    case 'fetch': return parseFetch(ts);
    case 'close': return parseClose(ts);
    case 'explain': return parseExplain(ts);
    default:
      if (UNSUPPORTED.has(t.value)) throw err.notSupported(`${t.value.toUpperCase()} is not supported`, t.pos);
      throw ts.error();
  }
}

/** `EXPLAIN [ANALYZE] [VERBOSE] stmt` or `EXPLAIN (opt [value], ...) stmt`; options lower-cased text. */
function parseExplain(ts: TokenStream): ExplainStatement {
  ts.expectWord('explain');
  const options: string[] = [];
  if (ts.acceptPunct('(')) {
    do {
      const name = ts.next();
      if (name.kind !== 'word') throw ts.error(name);
      let option = name.value;
      const v = ts.peek();
      if (v.kind === 'word' || v.kind === 'string' || v.kind === 'number') {
        ts.next();
        option += ` ${v.kind === 'word' ? v.value : v.value.toLowerCase()}`;
      }
      options.push(option);
    } while (ts.acceptPunct(','));
    ts.expectPunct(')');
  } else {
    if (ts.acceptWord('analyze') || ts.acceptWord('analyse')) options.push('analyze');
    if (ts.acceptWord('verbose')) options.push('verbose');
  }
  return { kind: 'explain', statement: parseStatementPrefix(ts), options };
}
