/**
 * Freshet's DDL: CREATE TABLE / STREAM / [MATERIALIZED] VIEW (with columns, constraints, WITH options
 * or AS query), DROP of tables, streams, views and sources, and ALTER ... RENAME.
 */
import type {
  AlterRenameStatement, ColumnDef, CreateTableStatement, DropStatement, Expr, Statement, TableConstraint, WatermarkDef, WithOptions,
} from '../ast.js';
import { err } from '../../errors.js';
import type { TokenStream } from './token-stream.js';
import { parseExpr, parseName } from './expressions.js';
import { parseNameList, parseQualifiedName, parseQuery } from './queries.js';
import { parseTypeName } from './type-names.js';

function parseIfNotExists(ts: TokenStream): boolean {
  return ts.acceptWord('if', 'not', 'exists');
}

/** `WITH (k = v, ...)`: keys lower-cased (dotted keys joined with '.'), values as written. */
export function parseWithOptions(ts: TokenStream): WithOptions {
  if (!(ts.isWord('with') && ts.isPunct('(', 1))) return [];
  ts.next();
  ts.next();
  const options: { key: string; value: string | number | boolean }[] = [];
  do {
    const k = ts.next();
    if (k.kind !== 'word' && k.kind !== 'quotedIdent' && k.kind !== 'string') throw ts.error(k);
    let key = k.kind === 'word' ? k.value : k.value.toLowerCase();
    while (ts.acceptPunct('.')) {
      const part = ts.next();
      if (part.kind !== 'word' && part.kind !== 'quotedIdent') throw ts.error(part);
      key += `.${part.value.toLowerCase()}`;
    }
    if (!ts.acceptOp('=')) {
      options.push({ key, value: true });
      continue;
    }
    const negative = ts.acceptOp('-');
    const v = ts.next();
    let value: string | number | boolean;
    if (v.kind === 'number') value = Number(negative ? `-${v.value}` : v.value);
    else if (negative) throw ts.error(v);
    else if (v.kind === 'string' || v.kind === 'quotedIdent') value = v.value;
    else if (v.kind === 'word') value = v.value === 'true' ? true : v.value === 'false' ? false : v.value;
    else throw ts.error(v);
    options.push({ key, value });
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return options;
}

function parseColumnDef(ts: TokenStream): ColumnDef {
  const pos = ts.pos();
  const name = parseName(ts);
  const type = parseTypeName(ts);
  let notNull = false;
  let primaryKey = false;
  let unique = false;
  let defaultExpr: Expr | undefined;
  for (;;) {
    if (ts.acceptWord('constraint')) parseName(ts);
    if (ts.acceptWord('not', 'null')) notNull = true;
    else if (ts.acceptWord('null')) notNull = false;
    else if (ts.acceptWord('primary', 'key')) primaryKey = true;
    else if (ts.acceptWord('unique')) unique = true;
    else if (ts.acceptWord('default')) defaultExpr = parseExpr(ts);
    else if (ts.isWord('collate')) {
      ts.next();
      parseName(ts);
    } else if (ts.isWord('check') || ts.isWord('references') || ts.isWord('generated')) {
      throw err.notSupported(`${ts.peek().value.toUpperCase()} constraints are not supported`, ts.pos());
    } else break;
  }
  return { name, type, notNull, primaryKey, unique, pos, ...(defaultExpr ? { default: defaultExpr } : {}) };
}

function parseTableElements(ts: TokenStream): { columns: ColumnDef[]; constraints: TableConstraint[]; watermark?: WatermarkDef } {
  const columns: ColumnDef[] = [];
  const constraints: TableConstraint[] = [];
  let watermark: WatermarkDef | undefined;
  ts.expectPunct('(');
  if (ts.acceptPunct(')')) return { columns, constraints };
  do {
    if (ts.isWord('watermark') && ts.isWord('for', 1)) {
      const pos = ts.pos();
      ts.expectWord('watermark');
      ts.expectWord('for');
      const column = parseName(ts);
      ts.expectWord('as');
      if (watermark) throw err.syntax('a stream can have only one WATERMARK', pos);
      watermark = { column, expr: parseExpr(ts), pos };
      continue;
    }
    let constraintName: string | undefined;
    if (ts.acceptWord('constraint')) constraintName = parseName(ts);
    const named = constraintName !== undefined ? { name: constraintName } : {};
    if (ts.acceptWord('primary', 'key')) constraints.push({ kind: 'primaryKey', columns: parseNameList(ts), ...named });
    else if (ts.acceptWord('unique')) constraints.push({ kind: 'unique', columns: parseNameList(ts), ...named });
    else if (constraintName !== undefined) throw ts.error();
    else if (ts.isWord('check') || ts.isWord('foreign') || ts.isWord('exclude')) {
      throw err.notSupported(`${ts.peek().value.toUpperCase()} constraints are not supported`, ts.pos());
    } else columns.push(parseColumnDef(ts));
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return { columns, constraints, ...(watermark ? { watermark } : {}) };
}

/** `EMIT ON WINDOW CLOSE` after a continuous query. */
function parseEmitClause(ts: TokenStream): { emitOnWindowClose?: boolean } {
  if (!ts.acceptWord('emit')) return {};
  ts.expectWord('on');
  ts.expectWord('window');
  ts.expectWord('close');
  return { emitOnWindowClose: true };
}

/** True if the '(' at the cursor closes with ')' followed by AS: a column-name list of CREATE ... AS. */
function parenListThenAs(ts: TokenStream): boolean {
  if (!ts.isPunct('(')) return false;
  let depth = 0;
  for (let k = 0; ; k++) {
    const t = ts.peek(k);
    if (t.kind === 'eof' || (t.kind === 'punct' && t.value === ';')) return false;
    if (t.kind === 'punct' && t.value === '(') depth++;
    if (t.kind === 'punct' && t.value === ')' && --depth === 0) return ts.isWord('as', k + 1);
  }
}

/** After CREATE: TABLE, STREAM, [OR REPLACE] [MATERIALIZED] VIEW. */
export function parseCreate(ts: TokenStream): Statement {
  ts.expectWord('create');
  const orReplace = ts.acceptWord('or', 'replace');
  if (!orReplace && ts.acceptWord('table')) {
    const ifNotExists = parseIfNotExists(ts);
    const name = parseQualifiedName(ts);
    if (ts.isWord('as') || parenListThenAs(ts)) {
      const columnNames = ts.isPunct('(') ? parseNameList(ts) : undefined;
      ts.expectWord('as');
      const query = parseQuery(ts);
      if (ts.acceptWord('with')) {
        ts.acceptWord('no');
        ts.expectWord('data');
      }
      return { kind: 'createTableAs', name, ifNotExists, query, ...(columnNames ? { columnNames } : {}) };
    }
    const { columns, constraints, watermark } = parseTableElements(ts);
    if (watermark) throw err.notSupported('WATERMARK is only allowed on a stream', watermark.pos);
    const statement: CreateTableStatement = { kind: 'createTable', name, ifNotExists, columns, constraints, with: parseWithOptions(ts) };
    return statement;
  }
  if (!orReplace && ts.acceptWord('stream')) {
    const ifNotExists = parseIfNotExists(ts);
    const name = parseQualifiedName(ts);
    const columns = ts.isPunct('(') ? parseTableElements(ts) : undefined;
    if (columns && columns.constraints.length > 0) throw err.notSupported('a stream has no PRIMARY KEY or UNIQUE constraints');
    const withOptions = parseWithOptions(ts);
    const asQuery = ts.acceptWord('as') ? parseQuery(ts) : undefined;
    if (!columns && !asQuery) throw ts.error();
    const emit = asQuery ? parseEmitClause(ts) : {};
    const watermark = columns?.watermark;
    return { kind: 'createStream', name, ifNotExists, columns: columns?.columns ?? [], with: withOptions, ...(watermark ? { watermark } : {}), ...(asQuery ? { asQuery } : {}), ...emit };
  }
  if (!orReplace && ts.acceptWord('source')) {
    const ifNotExists = parseIfNotExists(ts);
    const name = parseQualifiedName(ts);
    const withOptions = parseWithOptions(ts);
    return { kind: 'createStream', name, ifNotExists, columns: [], with: withOptions, connectorRole: 'source' };
  }
  if (!orReplace && ts.acceptWord('sink')) {
    const ifNotExists = parseIfNotExists(ts);
    const name = parseQualifiedName(ts);
    let withOptions = parseWithOptions(ts);
    ts.expectWord('as');
    const asQuery = parseQuery(ts);
    const emit = parseEmitClause(ts);
    if (withOptions.length === 0) withOptions = parseWithOptions(ts);
    return { kind: 'createStream', name, ifNotExists, columns: [], with: withOptions, asQuery, ...emit, connectorRole: 'sink' };
  }
  const materialized = ts.acceptWord('materialized');
  if (ts.acceptWord('view')) {
    const ifNotExists = parseIfNotExists(ts);
    const name = parseQualifiedName(ts);
    const columnNames = ts.isPunct('(') ? parseNameList(ts) : undefined;
    parseWithOptions(ts);
    ts.expectWord('as');
    const query = parseQuery(ts);
    const emit = materialized ? parseEmitClause(ts) : {};
    return { kind: 'createView', name, materialized, ifNotExists, orReplace, query, ...(columnNames ? { columnNames } : {}), ...emit };
  }
  if (materialized || orReplace) throw ts.error();
  throw err.notSupported(`CREATE ${ts.peek().value.toUpperCase()} is not supported`, ts.pos());
}

function parseObjectType(ts: TokenStream): DropStatement['objectType'] | undefined {
  if (ts.acceptWord('table')) return 'table';
  if (ts.acceptWord('stream')) return 'stream';
  if (ts.acceptWord('view')) return 'view';
  if (ts.acceptWord('materialized', 'view')) return 'materializedView';
  if (ts.acceptWord('source')) return 'source';
  if (ts.acceptWord('sink')) return 'sink';
  return undefined;
}

export function parseDrop(ts: TokenStream): DropStatement {
  ts.expectWord('drop');
  const objectType = parseObjectType(ts);
  if (objectType === undefined) {
    if (ts.atEnd()) throw ts.error();
    throw err.notSupported(`DROP ${ts.peek().value.toUpperCase()} is not supported`, ts.pos());
  }
  const ifExists = ts.acceptWord('if', 'exists');
  const names = [parseQualifiedName(ts)];
  while (ts.acceptPunct(',')) names.push(parseQualifiedName(ts));
  let cascade = false;
  if (ts.acceptWord('cascade')) cascade = true;
  else ts.acceptWord('restrict');
  return { kind: 'drop', objectType, names, ifExists, cascade };
}

export function parseAlter(ts: TokenStream): AlterRenameStatement {
  ts.expectWord('alter');
  const objectType = parseObjectType(ts);
  if (objectType === undefined || objectType === 'source' || objectType === 'sink') {
    if (ts.atEnd()) throw ts.error();
    throw err.notSupported(`ALTER ${ts.peek().value.toUpperCase()} is not supported`, ts.pos());
  }
  const ifExists = ts.acceptWord('if', 'exists');
  const name = parseQualifiedName(ts);
  if (!ts.isWord('rename')) {
    if (ts.atEnd()) throw ts.error();
    throw err.notSupported(`ALTER ${objectType === 'materializedView' ? 'MATERIALIZED VIEW' : objectType.toUpperCase()} ... ${ts.peek().value.toUpperCase()} is not supported`, ts.pos());
  }
  ts.next();
  if (ts.acceptWord('to')) return { kind: 'alterRename', objectType, name, ifExists, newName: parseName(ts) };
  ts.acceptWord('column');
  const column = parseName(ts);
  ts.expectWord('to');
  return { kind: 'alterRename', objectType, name, ifExists, column, newName: parseName(ts) };
}
