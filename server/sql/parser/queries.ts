/**
 * Query grammar: WITH [RECURSIVE], SELECT / VALUES / TABLE, set operations with PostgreSQL's
 * precedence (INTERSECT binds tighter than UNION/EXCEPT), ORDER BY, LIMIT/OFFSET/FETCH FIRST, FROM
 * items (tables, joins, derived tables, VALUES, table functions, LATERAL), GROUP BY with ROLLUP /
 * CUBE / GROUPING SETS, HAVING and WINDOW.
 */
import type {
  CommonTableExpr, Expr, FromItem, GroupingElement, Query, QueryBody, QualifiedName, SelectBody, SelectItem, WindowSpec,
} from '../ast.js';
import type { TokenStream } from './token-stream.js';
import { err } from '../../errors.js';
import { isBareLabel, isColId } from './keywords.js';
import { parseDefaultOr, parseExpr, parseExprList, parseName, parseOrderByList, parseWindowSpec } from './expressions.js';

/** True if the current token (after any number of '(') starts a query. */
export function startsQuery(ts: TokenStream): boolean {
  let k = 0;
  while (ts.isPunct('(', k)) k++;
  return ts.isWord('select', k) || ts.isWord('values', k) || ts.isWord('with', k) || ts.isWord('table', k);
}

export function parseQuery(ts: TokenStream): Query {
  let withClause: Query['with'];
  if (ts.acceptWord('with')) {
    const recursive = ts.acceptWord('recursive');
    const ctes: CommonTableExpr[] = [];
    do {
      const name = parseName(ts);
      const columnNames = ts.isPunct('(') ? parseNameList(ts) : undefined;
      ts.expectWord('as');
      if (!ts.acceptWord('materialized')) ts.acceptWord('not', 'materialized');
      ts.expectPunct('(');
      const query = parseQuery(ts);
      ts.expectPunct(')');
      ctes.push(columnNames ? { name, columnNames, query } : { name, query });
    } while (ts.acceptPunct(','));
    withClause = { recursive, ctes };
  }
  const body = parseSetExpr(ts);
  const orderBy = ts.acceptWord('order', 'by') ? parseOrderByList(ts) : [];
  let limit: Expr | undefined;
  let offset: Expr | undefined;
  for (;;) {
    if (limit === undefined && ts.acceptWord('limit')) {
      if (!ts.acceptWord('all')) limit = parseExpr(ts);
    } else if (offset === undefined && ts.acceptWord('offset')) {
      offset = parseExpr(ts);
      if (!ts.acceptWord('rows')) ts.acceptWord('row');
    } else if (limit === undefined && ts.acceptWord('fetch')) {
      if (!ts.acceptWord('first')) ts.expectWord('next');
      if (ts.isWord('row') || ts.isWord('rows')) limit = { kind: 'literal', value: { type: 'number', text: '1' }, pos: ts.pos() };
      else limit = parseFetchCount(ts);
      if (!ts.acceptWord('rows')) ts.expectWord('row');
      ts.expectWord('only');
    } else break;
  }
  if (ts.isWord('for') && (ts.isWord('update', 1) || ts.isWord('share', 1) || ts.isWord('no', 1) || ts.isWord('key', 1))) {
    // locking clauses: Freshet's snapshots need no row locks; accept and ignore
    ts.next();
    while (!ts.atEnd() && !ts.isPunct(')')) ts.next();
  }
  return {
    kind: 'query', body, orderBy,
    ...(withClause ? { with: withClause } : {}),
    ...(limit ? { limit } : {}),
    ...(offset ? { offset } : {}),
  };
}

function parseFetchCount(ts: TokenStream): Expr {
  const t = ts.peek();
  if (t.kind === 'number' || t.kind === 'param') return parseExpr(ts);
  if (ts.isOp('+') || ts.isOp('-') || ts.isPunct('(')) return parseExpr(ts);
  throw ts.error();
}

function parseSetExpr(ts: TokenStream): QueryBody {
  let left = parseSetTerm(ts);
  for (;;) {
    let op: 'union' | 'except';
    if (ts.isWord('union')) op = 'union';
    else if (ts.isWord('except')) op = 'except';
    else return left;
    ts.next();
    const all = ts.acceptWord('all');
    if (!all) ts.acceptWord('distinct');
    left = { kind: 'setOp', op, all, left, right: parseSetTerm(ts) };
  }
}

function parseSetTerm(ts: TokenStream): QueryBody {
  let left = parseSetPrimary(ts);
  while (ts.acceptWord('intersect')) {
    const all = ts.acceptWord('all');
    if (!all) ts.acceptWord('distinct');
    left = { kind: 'setOp', op: 'intersect', all, left, right: parseSetPrimary(ts) };
  }
  return left;
}

function parseSetPrimary(ts: TokenStream): QueryBody {
  if (ts.acceptPunct('(')) {
    const q = parseQuery(ts);
    ts.expectPunct(')');
    if (!q.with && q.orderBy.length === 0 && !q.limit && !q.offset) return q.body;
    return { kind: 'nested', query: q };
  }
  if (ts.acceptWord('values')) {
    const allowDefault = ts.defaultAllowedInValues;
    ts.defaultAllowedInValues = false;
    return { kind: 'values', rows: parseValuesRows(ts, allowDefault) };
  }
  if (ts.acceptWord('table')) {
    const name = parseQualifiedName(ts);
    return { kind: 'select', distinct: false, items: [{ expr: { kind: 'star' } }], from: [{ kind: 'table', name }], groupBy: [] };
  }
  if (ts.isWord('select')) return parseSelect(ts);
  if (ts.isWord('insert') || ts.isWord('update') || ts.isWord('delete')) {
    throw err.notSupported(`${ts.peek().value.toUpperCase()} in WITH is not supported`, ts.pos());
  }
  throw ts.error();
}

/** `(a, b), (c, d)` after VALUES. */
export function parseValuesRows(ts: TokenStream, allowDefault = false): Expr[][] {
  const rows: Expr[][] = [];
  const itemEnds = (t: TokenStream) => t.isPunct(',') || t.isPunct(')');
  do {
    ts.expectPunct('(');
    if (allowDefault) {
      const row = [parseDefaultOr(ts, itemEnds)];
      while (ts.acceptPunct(',')) row.push(parseDefaultOr(ts, itemEnds));
      rows.push(row);
    } else rows.push(parseExprList(ts));
    ts.expectPunct(')');
  } while (ts.acceptPunct(','));
  return rows;
}

function parseSelect(ts: TokenStream): SelectBody {
  ts.expectWord('select');
  let distinct: SelectBody['distinct'] = false;
  if (ts.acceptWord('distinct')) {
    if (ts.acceptWord('on')) {
      ts.expectPunct('(');
      distinct = { on: parseExprList(ts) };
      ts.expectPunct(')');
    } else distinct = 'all';
  } else ts.acceptWord('all');
  // PostgreSQL allows an empty select list, but not after DISTINCT
  const items = startsSelectItem(ts) || distinct !== false ? parseSelectItems(ts) : [];
  if (ts.isWord('into')) throw err.notSupported('SELECT ... INTO is not supported; use CREATE TABLE ... AS', ts.pos());
  const from = ts.acceptWord('from') ? parseFromList(ts) : [];
  const where = ts.acceptWord('where') ? parseExpr(ts) : undefined;
  let groupBy: GroupingElement[] = [];
  if (ts.acceptWord('group', 'by')) {
    if (!ts.acceptWord('all')) ts.acceptWord('distinct');
    groupBy = parseGroupingList(ts);
  }
  const having = ts.acceptWord('having') ? parseExpr(ts) : undefined;
  let windows: { name: string; spec: WindowSpec }[] | undefined;
  if (ts.acceptWord('window')) {
    windows = [];
    do {
      const name = parseName(ts);
      ts.expectWord('as');
      windows.push({ name, spec: parseWindowSpec(ts) });
    } while (ts.acceptPunct(','));
  }
  return {
    kind: 'select', distinct, items, from, groupBy,
    ...(where ? { where } : {}),
    ...(having ? { having } : {}),
    ...(windows ? { windows } : {}),
  };
}

/** Words after which no select list follows (`SELECT FROM t` has an empty one). */
const SELECT_LIST_END = new Set(['from', 'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'union', 'intersect', 'except', 'into', 'for']);

function startsSelectItem(ts: TokenStream): boolean {
  if (ts.atEnd() || ts.isPunct(')')) return false;
  const t = ts.peek();
  return !(t.kind === 'word' && SELECT_LIST_END.has(t.value));
}

/** A select list or RETURNING list: `*`, `t.*`, `expr [[AS] alias]`. */
export function parseSelectItems(ts: TokenStream): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    if (ts.isOp('*')) {
      const pos = ts.pos();
      ts.next();
      items.push({ expr: { kind: 'star', pos } });
      continue;
    }
    const expr = parseExpr(ts);
    const alias = parseAlias(ts, true);
    items.push(alias !== undefined ? { expr, alias } : { expr });
  } while (ts.acceptPunct(','));
  return items;
}

/** `[AS] name`; a bare name must not be a keyword that continues the clause. */
function parseAlias(ts: TokenStream, selectLabel: boolean): string | undefined {
  if (ts.acceptWord('as')) {
    const t = ts.peek();
    // after AS any keyword is a valid label in a select list
    if (selectLabel && t.kind === 'word') {
      ts.next();
      return t.value;
    }
    return parseName(ts);
  }
  const t = ts.peek();
  if (t.kind === 'quotedIdent') {
    ts.next();
    return t.value;
  }
  if (t.kind === 'word' && (selectLabel ? isBareLabel(t.value) : isColId(t.value)) && !ts.atEnd()) {
    ts.next();
    return t.value;
  }
  return undefined;
}

export function parseNameList(ts: TokenStream): string[] {
  ts.expectPunct('(');
  const names = [parseName(ts)];
  while (ts.acceptPunct(',')) names.push(parseName(ts));
  ts.expectPunct(')');
  return names;
}

/** `[schema.]name` for tables and other relations. */
export function parseQualifiedName(ts: TokenStream): QualifiedName {
  const pos = ts.pos();
  const t = ts.peek();
  if (!(t.kind === 'quotedIdent' || (t.kind === 'word' && isColId(t.value)))) throw ts.error();
  ts.next();
  if (ts.acceptPunct('.')) {
    const n = ts.peek();
    if (n.kind !== 'quotedIdent' && n.kind !== 'word') throw ts.error();
    ts.next();
    if (ts.acceptPunct('.')) {
      // catalog.schema.name: the catalog (database) part is accepted and dropped
      const m = ts.peek();
      if (m.kind !== 'quotedIdent' && m.kind !== 'word') throw ts.error();
      ts.next();
      return { schema: n.value, name: m.value, pos };
    }
    return { schema: t.value, name: n.value, pos };
  }
  return { name: t.value, pos };
}

export function parseFromList(ts: TokenStream): FromItem[] {
  const items = [parseJoinedItem(ts)];
  while (ts.acceptPunct(',')) items.push(parseJoinedItem(ts));
  return items;
}

function parseJoinedItem(ts: TokenStream): FromItem {
  let left = parseFromPrimary(ts);
  for (;;) {
    if (ts.acceptWord('cross')) {
      ts.expectWord('join');
      const right = parseFromPrimary(ts);
      left = { kind: 'join', joinType: 'cross', left, right, natural: false, ...lateralOf(right) };
      continue;
    }
    const save = ts.position;
    const natural = ts.acceptWord('natural');
    let joinType: 'inner' | 'left' | 'right' | 'full';
    if (ts.acceptWord('join') || ts.acceptWord('inner', 'join')) joinType = 'inner';
    else if (ts.isWord('left') || ts.isWord('right') || ts.isWord('full')) {
      joinType = ts.next().value as 'left' | 'right' | 'full';
      ts.acceptWord('outer');
      ts.expectWord('join');
    } else {
      if (natural) throw ts.error();
      ts.position = save;
      return left;
    }
    const right = parseFromPrimary(ts);
    if (natural) {
      left = { kind: 'join', joinType, left, right, natural: true, ...lateralOf(right) };
    } else if (ts.acceptWord('on')) {
      left = { kind: 'join', joinType, left, right, on: parseExpr(ts), natural: false, ...lateralOf(right) };
    } else if (ts.isWord('using')) {
      ts.next();
      left = { kind: 'join', joinType, left, right, using: parseNameList(ts), natural: false, ...lateralOf(right) };
    } else throw ts.error();
  }
}

function lateralOf(item: FromItem): { lateral?: boolean } {
  return item.kind === 'subquery' && item.lateral ? { lateral: true } : {};
}

function parseFromAlias(ts: TokenStream): { alias?: string; columnAliases?: string[] } {
  const alias = parseAlias(ts, false);
  if (alias === undefined) return {};
  if (ts.isPunct('(')) return { alias, columnAliases: parseNameList(ts) };
  return { alias };
}

function parseFromPrimary(ts: TokenStream): FromItem {
  const lateral = ts.acceptWord('lateral');
  if (ts.isPunct('(')) {
    if (startsQuery(ts)) {
      ts.next();
      const query = parseQuery(ts);
      ts.expectPunct(')');
      const a = parseFromAlias(ts);
      if (query.body.kind === 'values' && !query.with && query.orderBy.length === 0 && !query.limit && !query.offset) {
        return { kind: 'values', rows: query.body.rows, ...a };
      }
      return { kind: 'subquery', query, ...a, ...(lateral ? { lateral } : {}) };
    }
    // a parenthesised join
    ts.next();
    const inner = parseJoinedItem(ts);
    ts.expectPunct(')');
    return inner;
  }
  ts.acceptWord('only');
  if (ts.isWord('table') && ts.isPunct('(', 1)) {
    // Flink's TABLE(TUMBLE(TABLE bid, DESCRIPTOR(date_time), INTERVAL '10' SECOND)): the call inside.
    ts.next();
    ts.expectPunct('(');
    const call = parseExpr(ts);
    if (call.kind !== 'func') throw ts.error();
    ts.expectPunct(')');
    return { kind: 'function', call, ...parseFromAlias(ts) };
  }
  if (ts.isPunct('(', 1) || (ts.isPunct('.', 1) && ts.isPunct('(', 3))) {
    // a table function: generate_series(1, 3) AS g(x)
    const call = parseExpr(ts);
    if (call.kind !== 'func') throw ts.error();
    ts.acceptWord('with', 'ordinality');
    return { kind: 'function', call, ...parseFromAlias(ts) };
  }
  const name = parseQualifiedName(ts);
  ts.acceptOp('*');
  return { kind: 'table', name, ...parseFromAlias(ts) };
}

function groupingSet(e: Expr): Expr[] {
  return e.kind === 'row' ? [...e.fields] : [e];
}

function parseGroupingSetsBody(ts: TokenStream): Expr[][] {
  ts.expectPunct('(');
  const sets: Expr[][] = [];
  do {
    if (ts.isPunct('(') && ts.isPunct(')', 1)) {
      ts.next();
      ts.next();
      sets.push([]);
    } else sets.push(groupingSet(parseExpr(ts)));
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return sets;
}

function parseGroupingList(ts: TokenStream): GroupingElement[] {
  const out: GroupingElement[] = [];
  do {
    if (ts.isWord('rollup') && ts.isPunct('(', 1)) {
      ts.next();
      out.push({ kind: 'rollup', sets: parseGroupingSetsBody(ts) });
    } else if (ts.isWord('cube') && ts.isPunct('(', 1)) {
      ts.next();
      out.push({ kind: 'cube', sets: parseGroupingSetsBody(ts) });
    } else if (ts.isWord('grouping') && ts.isWord('sets', 1)) {
      ts.next();
      ts.next();
      out.push({ kind: 'groupingSets', sets: parseGroupingSetsBody(ts) });
    } else if (ts.isPunct('(') && ts.isPunct(')', 1)) {
      ts.next();
      ts.next();
      out.push({ kind: 'groupingSets', sets: [[]] });
    } else out.push({ kind: 'expr', expr: parseExpr(ts) });
  } while (ts.acceptPunct(','));
  return out;
}

