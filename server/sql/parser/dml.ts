/**
 * Data-changing statements: INSERT (VALUES / query / DEFAULT VALUES, ON CONFLICT, RETURNING),
 * UPDATE ... SET ... [FROM] [WHERE] [RETURNING], DELETE ... [WHERE] [RETURNING], COPY ... FROM STDIN.
 */
import { parseCopyTo } from './cursors.js';
import type { CopyToStatement } from '../ast.js';
import type { Assignment, CopyFromStatement, DeleteStatement, InsertStatement, OnConflict, UpdateStatement } from '../ast.js';
import { err } from '../../errors.js';
import type { TokenStream } from './token-stream.js';
import { parseDefaultOr, parseExpr, parseName } from './expressions.js';
import { parseFromList, parseNameList, parseQualifiedName, parseQuery, parseSelectItems } from './queries.js';
import { isColId } from './keywords.js';

function parseTableAlias(ts: TokenStream): string | undefined {
  if (ts.acceptWord('as')) return parseName(ts);
  const t = ts.peek();
  if (t.kind === 'quotedIdent' || (t.kind === 'word' && isColId(t.value) && t.value !== 'set')) {
    ts.next();
    return t.value;
  }
  return undefined;
}

function parseAssignments(ts: TokenStream): Assignment[] {
  const set: Assignment[] = [];
  do {
    if (ts.isPunct('(')) throw err.notSupported('multiple-column assignment is not supported', ts.pos());
    const column = parseName(ts);
    if (ts.isPunct('.') || ts.isPunct('[')) throw err.notSupported('assignment to a field or element is not supported', ts.pos());
    if (!ts.acceptOp('=')) throw ts.error();
    set.push({ column, value: parseDefaultOr(ts, (t) => t.atEnd() || t.isPunct(',') || t.isWord('from') || t.isWord('where') || t.isWord('returning')) });
  } while (ts.acceptPunct(','));
  return set;
}

function parseReturning(ts: TokenStream): { returning?: ReturnType<typeof parseSelectItems> } {
  return ts.acceptWord('returning') ? { returning: parseSelectItems(ts) } : {};
}

function parseOnConflict(ts: TokenStream): OnConflict {
  const target = ts.isPunct('(') ? parseNameList(ts) : [];
  if (ts.isWord('on', 0) && ts.isWord('constraint', 1)) throw err.notSupported('ON CONFLICT ON CONSTRAINT is not supported', ts.pos());
  if (ts.acceptWord('where')) parseExpr(ts); // index predicate: no partial indexes in Freshet
  ts.expectWord('do');
  if (ts.acceptWord('nothing')) return { target, action: { kind: 'nothing' } };
  ts.expectWord('update');
  ts.expectWord('set');
  const set = parseAssignments(ts);
  const where = ts.acceptWord('where') ? parseExpr(ts) : undefined;
  return { target, action: { kind: 'update', set, ...(where ? { where } : {}) } };
}

export function parseInsert(ts: TokenStream): InsertStatement {
  ts.expectWord('insert');
  ts.expectWord('into');
  const table = parseQualifiedName(ts);
  const alias = ts.acceptWord('as') ? parseName(ts) : undefined;
  const columns = ts.isPunct('(') && !ts.isWord('select', 1) && !ts.isWord('values', 1) && !ts.isWord('with', 1) && !ts.isPunct('(', 1)
    ? parseNameList(ts)
    : undefined;
  if (ts.acceptWord('overriding')) throw err.notSupported('OVERRIDING is not supported', ts.pos());
  ts.defaultAllowedInValues = ts.isWord('values');
  const source: InsertStatement['source'] = ts.acceptWord('default', 'values') ? { kind: 'defaultValues' } : parseQuery(ts);
  const onConflict = ts.acceptWord('on', 'conflict') ? parseOnConflict(ts) : undefined;
  return {
    kind: 'insert', table, source,
    ...(alias !== undefined ? { alias } : {}),
    ...(columns ? { columns } : {}),
    ...(onConflict ? { onConflict } : {}),
    ...parseReturning(ts),
  };
}

export function parseUpdate(ts: TokenStream): UpdateStatement {
  ts.expectWord('update');
  ts.acceptWord('only');
  const table = parseQualifiedName(ts);
  const alias = parseTableAlias(ts);
  ts.expectWord('set');
  const set = parseAssignments(ts);
  const from = ts.acceptWord('from') ? parseFromList(ts) : [];
  const where = ts.acceptWord('where') ? parseExpr(ts) : undefined;
  return {
    kind: 'update', table, set, from,
    ...(alias !== undefined ? { alias } : {}),
    ...(where ? { where } : {}),
    ...parseReturning(ts),
  };
}

export function parseDelete(ts: TokenStream): DeleteStatement {
  ts.expectWord('delete');
  ts.expectWord('from');
  ts.acceptWord('only');
  const table = parseQualifiedName(ts);
  const alias = parseTableAlias(ts);
  if (ts.isWord('using')) throw err.notSupported('DELETE ... USING is not supported', ts.pos());
  const where = ts.acceptWord('where') ? parseExpr(ts) : undefined;
  return {
    kind: 'delete', table,
    ...(alias !== undefined ? { alias } : {}),
    ...(where ? { where } : {}),
    ...parseReturning(ts),
  };
}

type CopyOptions = { -readonly [K in keyof CopyFromStatement]?: CopyFromStatement[K] };

function stringValue(ts: TokenStream): string {
  const t = ts.next();
  if (t.kind !== 'string') throw ts.error(t);
  return t.value;
}

function booleanValue(ts: TokenStream): boolean {
  const t = ts.peek();
  if (t.kind === 'word' && ['true', 'on'].includes(t.value)) return ts.next(), true;
  if (t.kind === 'word' && ['false', 'off'].includes(t.value)) return ts.next(), false;
  if (t.kind === 'number' && (t.value === '1' || t.value === '0')) return ts.next(), t.value === '1';
  if (t.kind === 'string') return ts.next(), ['true', 'on', '1', 't', 'yes'].includes(t.value.toLowerCase());
  return true; // a bare option means true
}

/** `(FORMAT csv, HEADER [bool], DELIMITER 'x', NULL 'x', QUOTE 'x', ESCAPE 'x')`. */
function parseCopyOptionList(ts: TokenStream, opts: CopyOptions): void {
  ts.expectPunct('(');
  do {
    const t = ts.next();
    if (t.kind !== 'word') throw ts.error(t);
    switch (t.value) {
      case 'format': {
        const f = ts.next();
        if (f.kind !== 'word' && f.kind !== 'string') throw ts.error(f);
        const format = f.value.toLowerCase();
        if (format === 'binary') throw err.notSupported('COPY FORMAT binary is not supported', f.pos);
        if (format !== 'text' && format !== 'csv') throw err.syntax(`COPY format "${format}" not recognized`, f.pos);
        opts.format = format;
        break;
      }
      case 'header': {
        if (ts.isWord('match')) throw err.notSupported('HEADER MATCH is not supported', ts.pos());
        opts.header = booleanValue(ts);
        break;
      }
      case 'delimiter': opts.delimiter = stringValue(ts); break;
      case 'null': opts.null = stringValue(ts); break;
      case 'quote': opts.quote = stringValue(ts); break;
      case 'escape': opts.escape = stringValue(ts); break;
      case 'encoding': stringValue(ts); break;
      case 'on_error': {
        const v = ts.next();
        if (v.kind !== 'word' && v.kind !== 'string') throw ts.error(v);
        const mode = v.value.toLowerCase();
        if (mode !== 'stop' && mode !== 'ignore') throw err.syntax(`COPY ON_ERROR "${mode}" not recognized`, v.pos);
        opts.onError = mode;
        break;
      }
      case 'freeze': booleanValue(ts); break;
      default:
        throw err.syntax(`option "${t.value}" not recognized`, t.pos);
    }
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
}

/** The pre-9.0 spelling: `WITH CSV HEADER DELIMITER AS ',' NULL AS ''`. */
function parseOldCopyOptions(ts: TokenStream, opts: CopyOptions): void {
  for (;;) {
    if (ts.acceptWord('csv')) opts.format = 'csv';
    else if (ts.acceptWord('header')) opts.header = true;
    else if (ts.acceptWord('binary')) throw err.notSupported('COPY BINARY is not supported');
    else if (ts.acceptWord('delimiter')) { ts.acceptWord('as'); opts.delimiter = stringValue(ts); }
    else if (ts.acceptWord('null')) { ts.acceptWord('as'); opts.null = stringValue(ts); }
    else if (ts.acceptWord('quote')) { ts.acceptWord('as'); opts.quote = stringValue(ts); }
    else if (ts.acceptWord('escape')) { ts.acceptWord('as'); opts.escape = stringValue(ts); }
    else return;
  }
}

export function parseCopy(ts: TokenStream): CopyFromStatement | CopyToStatement {
  ts.expectWord('copy');
  if (ts.isPunct('(')) return parseCopyTo(ts);
  const table = parseQualifiedName(ts);
  const columns = ts.isPunct('(') ? parseNameList(ts) : undefined;
  if (ts.isWord('to')) throw err.notSupported('COPY ... TO is not supported', ts.pos());
  ts.expectWord('from');
  if (!ts.acceptWord('stdin')) {
    if (ts.atEnd()) throw ts.error();
    throw err.notSupported('COPY FROM a file or program is not supported; use FROM STDIN', ts.pos());
  }
  const opts: CopyOptions = {};
  ts.acceptWord('with');
  if (ts.isPunct('(')) parseCopyOptionList(ts, opts);
  else parseOldCopyOptions(ts, opts);
  return {
    kind: 'copyFrom', table, format: opts.format ?? 'text', header: opts.header ?? false,
    ...(columns ? { columns } : {}),
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
    ...(opts.null !== undefined ? { null: opts.null } : {}),
    ...(opts.quote !== undefined ? { quote: opts.quote } : {}),
    ...(opts.escape !== undefined ? { escape: opts.escape } : {}),
    ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
  };
}
