/**
 * Session and transaction statements: SET / RESET / SHOW, SET SESSION CHARACTERISTICS, BEGIN /
 * START TRANSACTION / COMMIT / END / ROLLBACK / ABORT, DISCARD. Values are kept as text.
 */
import type {
  DiscardStatement, ResetStatement, SetSessionCharacteristicsStatement, SetStatement, ShowStatement, Statement, TransactionStatement,
} from '../ast.js';
import { err } from '../../errors.js';
import type { TokenStream } from './token-stream.js';

/** A dotted configuration name: `search_path`, `myext.setting`. */
function parseVarName(ts: TokenStream): string {
  const parts: string[] = [];
  do {
    const t = ts.peek();
    if (t.kind !== 'word' && t.kind !== 'quotedIdent') throw ts.error();
    ts.next();
    parts.push(t.value);
  } while (ts.acceptPunct('.'));
  return parts.join('.');
}

/** One SET value as text: a string's content, a number as written, or a word lower-cased. */
function parseVarValue(ts: TokenStream): string {
  const t = ts.peek();
  if (ts.isOp('-') || ts.isOp('+')) {
    ts.next();
    const n = ts.next();
    if (n.kind !== 'number') throw ts.error(n);
    return t.value === '-' ? `-${n.value}` : n.value;
  }
  if (t.kind === 'string' || t.kind === 'number' || t.kind === 'word' || t.kind === 'quotedIdent') {
    ts.next();
    return t.value;
  }
  throw ts.error();
}

function parseTransactionModes(ts: TokenStream): string[] {
  const modes: string[] = [];
  for (;;) {
    if (ts.acceptWord('isolation', 'level')) {
      if (ts.acceptWord('serializable')) modes.push('isolation level serializable');
      else if (ts.acceptWord('repeatable', 'read')) modes.push('isolation level repeatable read');
      else if (ts.acceptWord('read', 'committed')) modes.push('isolation level read committed');
      else if (ts.acceptWord('read', 'uncommitted')) modes.push('isolation level read uncommitted');
      else throw ts.error();
    } else if (ts.acceptWord('read', 'only')) modes.push('read only');
    else if (ts.acceptWord('read', 'write')) modes.push('read write');
    else if (ts.acceptWord('not', 'deferrable')) modes.push('not deferrable');
    else if (ts.acceptWord('deferrable')) modes.push('deferrable');
    else {
      if (modes.length > 0 && ts.isPunct(',')) throw ts.error();
      return modes;
    }
    ts.acceptPunct(',');
  }
}

export function parseSet(ts: TokenStream): Statement {
  ts.expectWord('set');
  if (ts.acceptWord('session', 'characteristics')) {
    ts.expectWord('as', 'transaction');
    const modes = parseTransactionModes(ts);
    if (modes.length === 0) throw ts.error();
    const s: SetSessionCharacteristicsStatement = { kind: 'setSessionCharacteristics', modes };
    return s;
  }
  let local = false;
  if (ts.acceptWord('local')) local = true;
  else if (ts.isWord('session') && !ts.isOp('=', 1) && !ts.isWord('to', 1)) ts.next();
  if (ts.isWord('transaction') && !ts.isOp('=', 1) && !ts.isWord('to', 1)) {
    throw err.notSupported('SET TRANSACTION is not supported; use BEGIN ISOLATION LEVEL ...', ts.pos());
  }
  if (ts.acceptWord('time', 'zone')) {
    const value: SetStatement['value'] = ts.acceptWord('default') || ts.acceptWord('local') ? 'default' : parseIntervalOrValue(ts);
    return { kind: 'set', name: 'timezone', value, local };
  }
  if (ts.acceptWord('names')) {
    const value = ts.acceptWord('default') ? 'default' : [parseVarValue(ts)];
    return { kind: 'set', name: 'client_encoding', value, local };
  }
  if (ts.isWord('schema') && ts.peek(1).kind === 'string') {
    ts.next();
    return { kind: 'set', name: 'search_path', value: [parseVarValue(ts)], local };
  }
  if (ts.isWord('role') || (ts.isWord('session') && ts.isWord('authorization', 1))) {
    throw err.notSupported(`SET ${ts.peek().value.toUpperCase()} is not supported`, ts.pos());
  }
  const name = parseVarName(ts).toLowerCase();
  if (!ts.acceptOp('=') && !ts.acceptWord('to')) throw ts.error();
  if (ts.acceptWord('default')) return { kind: 'set', name, value: 'default', local };
  const value = [parseVarValue(ts)];
  while (ts.acceptPunct(',')) value.push(parseVarValue(ts));
  return { kind: 'set', name, value, local };
}

/** SET TIME ZONE accepts `INTERVAL '+02:00' HOUR TO MINUTE` too; kept as its string. */
function parseIntervalOrValue(ts: TokenStream): string[] {
  if (ts.acceptWord('interval')) {
    const v = parseVarValue(ts);
    while (!ts.atEnd()) ts.next();
    return [v];
  }
  return [parseVarValue(ts)];
}

export function parseReset(ts: TokenStream): ResetStatement {
  ts.expectWord('reset');
  if (ts.acceptWord('all')) return { kind: 'reset', name: 'all' };
  if (ts.acceptWord('time', 'zone')) return { kind: 'reset', name: 'timezone' };
  if (ts.acceptWord('session', 'authorization')) return { kind: 'reset', name: 'session_authorization' };
  return { kind: 'reset', name: parseVarName(ts).toLowerCase() };
}

export function parseShow(ts: TokenStream): ShowStatement {
  ts.expectWord('show');
  if (ts.acceptWord('all')) return { kind: 'show', name: 'all' };
  if (ts.acceptWord('time', 'zone')) return { kind: 'show', name: 'timezone' };
  if (ts.acceptWord('transaction', 'isolation', 'level')) return { kind: 'show', name: 'transaction_isolation' };
  if (ts.acceptWord('session', 'authorization')) return { kind: 'show', name: 'session_authorization' };
  return { kind: 'show', name: parseVarName(ts).toLowerCase() };
}

/** BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT. */
export function parseTransaction(ts: TokenStream): TransactionStatement {
  const word = ts.next().value;
  switch (word) {
    case 'begin':
    case 'start': {
      if (word === 'start') ts.expectWord('transaction');
      else if (!ts.acceptWord('work')) ts.acceptWord('transaction');
      const modes = parseTransactionModes(ts);
      return modes.length > 0 ? { kind: 'transaction', action: 'begin', modes } : { kind: 'transaction', action: 'begin' };
    }
    case 'commit':
    case 'end':
    case 'rollback':
    case 'abort': {
      if (!ts.acceptWord('work')) ts.acceptWord('transaction');
      if (word === 'rollback' && ts.isWord('to')) throw err.notSupported('savepoints are not supported', ts.pos());
      if (ts.acceptWord('and')) {
        if (ts.acceptWord('no', 'chain')) {
          /* the default */
        } else if (ts.isWord('chain')) throw err.notSupported('AND CHAIN is not supported', ts.pos());
        else throw ts.error();
      }
      return { kind: 'transaction', action: word === 'commit' || word === 'end' ? 'commit' : 'rollback' };
    }
    default:
      throw ts.error();
  }
}

export function parseDiscard(ts: TokenStream): DiscardStatement {
  ts.expectWord('discard');
  for (const what of ['all', 'plans', 'sequences', 'temp', 'temporary']) {
    if (ts.acceptWord(what)) return { kind: 'discard', what: what === 'temporary' ? 'temp' : what };
  }
  throw ts.error();
}
