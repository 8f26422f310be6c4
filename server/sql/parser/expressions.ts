/**
 * Expression grammar with PostgreSQL's operator precedence (OR < AND < NOT < IS < comparison <
 * LIKE/IN/BETWEEN < other operators < + - < * / % < ^ < AT TIME ZONE < unary < COLLATE < [] :: ),
 * primaries (literals, params, names, subqueries, ARRAY, ROW, CASE, CAST, typed literals, niladic
 * CURRENT_*). Function-call syntax lives in function-calls.ts. Produces ast.ts Expr nodes only.
 */
import type { Expr, LiteralExpr, Query } from '../ast.js';
import type { TokenStream } from './token-stream.js';
import { err } from '../../errors.js';
import { COL_NAME_KEYWORDS, RESERVED, TYPE_FUNC_NAME } from './keywords.js';
import { parseIntervalQualifier, parseTypeName, startsTypeName } from './type-names.js';
import { parseQuery, startsQuery } from './queries.js';
import { call, parseFuncCall, parseSpecialCall } from './function-calls.js';

export { parseOrderByList, parseWindowSpec } from './function-calls.js';

const COMPARISON = new Set(['=', '<>', '<', '>', '<=', '>=']);
const ADDITIVE = new Set(['+', '-']);
const MULTIPLICATIVE = new Set(['*', '/', '%']);

/** Niladic SQL functions written without parentheses, parsed as calls with no arguments. */
const NILADIC = new Set([
  'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'current_user',
  'session_user', 'user', 'current_role', 'current_catalog', 'current_schema',
]);

export function parseExpr(ts: TokenStream): Expr {
  return parseOr(ts);
}

export function parseExprList(ts: TokenStream): Expr[] {
  const list = [parseExpr(ts)];
  while (ts.acceptPunct(',')) list.push(parseExpr(ts));
  return list;
}

function parseOr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.isWord('or')) {
    const pos = ts.pos();
    ts.next();
    left = { kind: 'binary', op: 'or', left, right: parseAnd(ts), pos };
  }
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.isWord('and')) {
    const pos = ts.pos();
    ts.next();
    left = { kind: 'binary', op: 'and', left, right: parseNot(ts), pos };
  }
  return left;
}

function parseNot(ts: TokenStream): Expr {
  if (ts.isWord('not')) {
    const pos = ts.pos();
    ts.next();
    return { kind: 'unary', op: 'not', operand: parseNot(ts), pos };
  }
  return parseIs(ts);
}

function parseIs(ts: TokenStream): Expr {
  let expr = parseComparison(ts);
  for (let afterTest = false; ; afterTest = true) {
    // `x IS NULL = true`, `x IS NULL + 1`: a finished IS test is the left operand of what follows
    if (afterTest) expr = parseComparison(ts, expr);
    const pos = ts.pos();
    if (ts.isWord('isnull') || ts.isWord('notnull')) {
      const negated = ts.next().value === 'notnull';
      expr = { kind: 'is', expr, test: 'null', negated, pos };
      continue;
    }
    if (!ts.isWord('is')) return expr;
    ts.next();
    const negated = ts.acceptWord('not');
    if (ts.acceptWord('null')) expr = { kind: 'is', expr, test: 'null', negated, pos };
    else if (ts.acceptWord('true')) expr = { kind: 'is', expr, test: 'true', negated, pos };
    else if (ts.acceptWord('false')) expr = { kind: 'is', expr, test: 'false', negated, pos };
    else if (ts.acceptWord('unknown')) expr = { kind: 'is', expr, test: 'unknown', negated, pos };
    else if (ts.acceptWord('distinct', 'from')) {
      expr = { kind: 'is', expr, test: 'distinctFrom', other: parseComparison(ts), negated, pos };
    } else throw ts.error();
  }
}

/** After an operator: `ANY (...)` / `ALL (...)` / `SOME (...)` make a quantified comparison. */
function parseRightOperand(ts: TokenStream, op: string, left: Expr, pos: number, next: (ts: TokenStream) => Expr): Expr {
  const t = ts.peek();
  if (t.kind === 'word' && (t.value === 'any' || t.value === 'all' || t.value === 'some')) {
    if (!ts.isPunct('(', 1)) throw ts.error(ts.peek(1));
    ts.next();
    ts.next();
    const quantifier = t.value === 'all' ? 'all' : 'any';
    const inner = queryThenCloseOr(ts, () => {
      const expr = parseExpr(ts);
      ts.expectPunct(')');
      return expr;
    });
    const right = 'query' in inner ? { kind: 'query' as const, query: inner.query } : { kind: 'expr' as const, expr: inner.other };
    return { kind: 'anyAll', quantifier, op, left, right, pos };
  }
  return { kind: 'binary', op, left, right: next(ts), pos };
}

/**
 * Inside parentheses that may hold a query or an expression (`((SELECT 1), 2)`, `((SELECT 1) + 1)`):
 * tries the query (and the closing ')'), else backtracks to `otherwise`; the error reported is the
 * one that got further, as a single-pass parser would report it.
 */
function queryThenCloseOr<T>(ts: TokenStream, otherwise: () => T): { query: Query } | { other: T } {
  if (!startsQuery(ts)) return { other: otherwise() };
  const save = ts.position;
  try {
    const query = parseQuery(ts);
    ts.expectPunct(')');
    return { query };
  } catch (queryError) {
    const queryFailedAt = ts.position;
    ts.position = save;
    if (!ts.isPunct('(')) throw queryError;
    try {
      return { other: otherwise() };
    } catch (otherError) {
      if (ts.position < queryFailedAt) throw queryError;
      throw otherError;
    }
  }
}

function parseComparison(ts: TokenStream, first?: Expr): Expr {
  const left = parseLikeInBetween(ts, first);
  const t = ts.peek();
  if (t.kind === 'op' && COMPARISON.has(t.value)) {
    const pos = ts.pos();
    ts.next();
    return parseRightOperand(ts, t.value, left, pos, parseLikeInBetween);
  }
  return left;
}

function parseLikeInBetween(ts: TokenStream, first?: Expr): Expr {
  let expr = parseOtherOp(ts, first);
  for (;;) {
    const pos = ts.pos();
    let negated = false;
    const save = ts.position;
    if (ts.isWord('not') && (ts.isWord('like', 1) || ts.isWord('ilike', 1) || ts.isWord('similar', 1) || ts.isWord('in', 1) || ts.isWord('between', 1))) {
      ts.next();
      negated = true;
    }
    if (ts.isWord('like') || ts.isWord('ilike') || ts.isWord('similar')) {
      const word = ts.next().value;
      if (word === 'similar') ts.expectWord('to');
      if (word !== 'similar' && (ts.isWord('any') || ts.isWord('all') || ts.isWord('some')) && ts.isPunct('(', 1)) {
        // `x LIKE ANY (array)`: PostgreSQL's operator spelling of LIKE is ~~ (ILIKE ~~*)
        const op = `${negated ? '!' : ''}~~${word === 'ilike' ? '*' : ''}`;
        expr = parseRightOperand(ts, op, expr, pos, parseOtherOp);
        continue;
      }
      const pattern = parseOtherOp(ts);
      const escape = ts.acceptWord('escape') ? parseOtherOp(ts) : undefined;
      expr = {
        kind: 'like', expr, pattern, caseInsensitive: word === 'ilike', similar: word === 'similar', negated, pos,
        ...(escape ? { escape } : {}),
      };
    } else if (ts.isWord('in')) {
      ts.next();
      ts.expectPunct('(');
      const inner = queryThenCloseOr(ts, () => {
        const list = parseExprList(ts);
        ts.expectPunct(')');
        return list;
      });
      if ('query' in inner) expr = { kind: 'inSubquery', expr, query: inner.query, negated, pos };
      else expr = { kind: 'inList', expr, list: inner.other, negated, pos };
      // a finished IN is the left operand of tighter operators that follow: `a IN (1)::text`
      expr = parseOtherOp(ts, expr);
    } else if (ts.isWord('between')) {
      ts.next();
      let symmetric = false;
      if (ts.acceptWord('symmetric')) symmetric = true;
      else ts.acceptWord('asymmetric');
      const low = parseOtherOp(ts);
      ts.expectWord('and');
      const high = parseOtherOp(ts);
      expr = { kind: 'between', expr, low, high, negated, symmetric, pos };
    } else {
      ts.position = save;
      return expr;
    }
  }
}

/** `OPERATOR(pg_catalog.~)` -> '~'. */
function acceptOperatorSyntax(ts: TokenStream): string | undefined {
  if (!(ts.isWord('operator') && ts.isPunct('(', 1))) return undefined;
  ts.next();
  ts.next();
  while (ts.peek().kind === 'word' && ts.isPunct('.', 1)) {
    ts.next();
    ts.next();
  }
  const op = ts.peek();
  if (op.kind !== 'op') throw ts.error();
  ts.next();
  ts.expectPunct(')');
  return op.value;
}

function isOtherOp(ts: TokenStream): boolean {
  const t = ts.peek();
  return t.kind === 'op' && !COMPARISON.has(t.value) && !ADDITIVE.has(t.value) && !MULTIPLICATIVE.has(t.value) && t.value !== '^';
}

export function parseOtherOp(ts: TokenStream, first?: Expr): Expr {
  let left = parseAdditive(ts, first);
  for (;;) {
    const pos = ts.pos();
    let op: string | undefined;
    if (isOtherOp(ts)) op = ts.next().value;
    else op = acceptOperatorSyntax(ts);
    if (op === undefined) return left;
    if (COMPARISON.has(op)) return parseRightOperand(ts, op, left, pos, parseLikeInBetween);
    left = parseRightOperand(ts, op, left, pos, parseAdditive);
  }
}

function parseAdditive(ts: TokenStream, first?: Expr): Expr {
  let left = parseMultiplicative(ts, first);
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'op' || !ADDITIVE.has(t.value)) return left;
    ts.next();
    left = { kind: 'binary', op: t.value, left, right: parseMultiplicative(ts), pos: t.pos };
  }
}

function parseMultiplicative(ts: TokenStream, first?: Expr): Expr {
  let left = parseExponent(ts, first);
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'op' || !MULTIPLICATIVE.has(t.value)) return left;
    ts.next();
    left = { kind: 'binary', op: t.value, left, right: parseExponent(ts), pos: t.pos };
  }
}

function parseExponent(ts: TokenStream, first?: Expr): Expr {
  let left = parseAtTimeZone(ts, first);
  while (ts.isOp('^')) {
    const pos = ts.pos();
    ts.next();
    left = { kind: 'binary', op: '^', left, right: parseAtTimeZone(ts), pos };
  }
  return left;
}

/** `x AT TIME ZONE z` (binds tighter than ^, looser than unary minus) is PostgreSQL's timezone(z, x). */
function parseAtTimeZone(ts: TokenStream, first?: Expr): Expr {
  let expr = first ? parseCollate(ts, first) : parseUnary(ts);
  while (ts.isWord('at') && ts.isWord('time', 1) && ts.isWord('zone', 2)) {
    const pos = ts.pos();
    ts.next();
    ts.next();
    ts.next();
    expr = call('timezone', [parseUnary(ts), expr], pos);
  }
  return expr;
}

function parseUnary(ts: TokenStream): Expr {
  const t = ts.peek();
  if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
    ts.next();
    const operand = parseUnary(ts);
    // PostgreSQL folds a minus sign into a numeric constant
    if (t.value === '-' && operand.kind === 'literal' && operand.value.type === 'number' && !operand.value.text.startsWith('-')) {
      return { kind: 'literal', value: { type: 'number', text: `-${operand.value.text}` }, pos: t.pos };
    }
    return { kind: 'unary', op: t.value, operand, pos: t.pos };
  }
  if (t.kind === 'op' && !COMPARISON.has(t.value) && !MULTIPLICATIVE.has(t.value)) {
    // other prefix operators (`@ x`, `|/ x`): parse the operand so syntax errors match PostgreSQL's
    ts.next();
    ts.defer(err.notSupported(`prefix operator ${t.value} is not supported`, t.pos));
    return parseUnary(ts);
  }
  return parseCollate(ts);
}

function parseCollate(ts: TokenStream, first?: Expr): Expr {
  let expr = parsePostfix(ts, first);
  while (ts.isWord('collate')) {
    const pos = ts.pos();
    ts.next();
    const parts = [parseAnyName(ts)];
    while (ts.acceptPunct('.')) parts.push(parseAnyName(ts));
    const collation = parts[parts.length - 1]!;
    // `COLLATE pg_catalog.default` (psql) means the column's own collation: nothing to record
    if (collation === 'default' && parts.length > 1) continue;
    expr = { kind: 'collate', expr, collation, pos };
  }
  return expr;
}

function parsePostfix(ts: TokenStream, first?: Expr): Expr {
  const parenthesized = !first && ts.isPunct('(');
  let expr = first ?? parsePrimary(ts);
  for (;;) {
    if (ts.isPunct('::')) {
      const pos = ts.pos();
      ts.next();
      expr = { kind: 'cast', expr, type: parseTypeName(ts), pos };
    } else if (ts.isPunct('[')) {
      const pos = ts.pos();
      ts.next();
      const index = parseExpr(ts);
      ts.expectPunct(']');
      expr = { kind: 'subscript', expr, index, pos };
    } else if (ts.isPunct('.') && parenthesized) {
      // field selection from a parenthesised composite: `(f(x)).n`
      const pos = ts.pos();
      ts.next();
      expr = { kind: 'fieldSelect', expr, field: parseAnyName(ts), pos };
    } else return expr;
  }
}

/** A name (identifier or non-reserved keyword, quoted kept as written). */
export function parseName(ts: TokenStream): string {
  const t = ts.peek();
  if (t.kind === 'quotedIdent' || (t.kind === 'word' && !RESERVED.has(t.value))) {
    ts.next();
    return t.value;
  }
  throw ts.error();
}

/** Any word including reserved ones (after a dot, as in `t.select` is not allowed by PG but labels are). */
function parseAnyName(ts: TokenStream): string {
  const t = ts.peek();
  if (t.kind === 'quotedIdent' || t.kind === 'word') {
    ts.next();
    return t.value;
  }
  throw ts.error();
}

export function literal(value: LiteralExpr['value'], pos: number): LiteralExpr {
  return { kind: 'literal', value, pos };
}

function parseSubqueryInParens(ts: TokenStream): Query {
  ts.expectPunct('(');
  const q = parseQuery(ts);
  ts.expectPunct(')');
  return q;
}

function parseParenthesized(ts: TokenStream): Expr {
  const pos = ts.pos();
  ts.expectPunct('(');
  const inner = queryThenCloseOr(ts, () => finishParenthesized(ts, pos));
  return 'query' in inner ? { kind: 'subquery', query: inner.query, array: false, pos } : inner.other;
}

function finishParenthesized(ts: TokenStream, pos: number): Expr {
  const first = parseExpr(ts);
  if (ts.acceptPunct(',')) {
    const fields = [first, ...parseExprList(ts)];
    ts.expectPunct(')');
    return { kind: 'row', fields, pos };
  }
  ts.expectPunct(')');
  return first;
}

function parseArrayElements(ts: TokenStream, pos: number): Expr {
  ts.expectPunct('[');
  const elements: Expr[] = [];
  if (!ts.isPunct(']')) {
    do {
      if (ts.isPunct('[')) elements.push(parseArrayElements(ts, ts.pos()));
      else elements.push(parseExpr(ts));
    } while (ts.acceptPunct(','));
  }
  ts.expectPunct(']');
  return { kind: 'array', elements, pos };
}

function parseCase(ts: TokenStream, pos: number): Expr {
  const operand = ts.isWord('when') ? undefined : parseExpr(ts);
  const whens: { when: Expr; then: Expr }[] = [];
  while (ts.acceptWord('when')) {
    const when = parseExpr(ts);
    ts.expectWord('then');
    whens.push({ when, then: parseExpr(ts) });
  }
  if (whens.length === 0) throw ts.error();
  const elseExpr = ts.acceptWord('else') ? parseExpr(ts) : undefined;
  ts.expectWord('end');
  return { kind: 'case', whens, pos, ...(operand ? { operand } : {}), ...(elseExpr ? { else: elseExpr } : {}) };
}

/** Type words that may prefix a string literal (`DATE '...'`); a generic `name '...'` also works. */
function tryTypedLiteral(ts: TokenStream, pos: number): Expr | undefined {
  const save = ts.position;
  if (ts.peek().kind !== 'word' || !startsTypeName(ts)) return undefined;
  // cheap check: only try when a string follows within the next few tokens
  let look = 1;
  while (look < 6 && ts.peek(look).kind !== 'string' && ts.peek(look).kind !== 'eof') look++;
  if (ts.peek(look).kind !== 'string') return undefined;
  try {
    const type = parseTypeName(ts);
    const s = ts.peek();
    if (s.kind !== 'string' || type.arrayBounds > 0) {
      ts.position = save;
      return undefined;
    }
    ts.next();
    if (type.name === 'interval') {
      const unit = parseIntervalQualifier(ts);
      return { kind: 'typedLiteral', type, value: s.value, pos, ...(unit ? { intervalUnit: unit } : {}) };
    }
    return { kind: 'typedLiteral', type, value: s.value, pos };
  } catch {
    ts.position = save;
    return undefined;
  }
}

function parsePrimary(ts: TokenStream): Expr {
  const t = ts.peek();
  const pos = t.pos;
  switch (t.kind) {
    case 'number':
      ts.next();
      return literal({ type: 'number', text: t.value }, pos);
    case 'string':
      ts.next();
      return literal({ type: 'string', value: t.value }, pos);
    case 'param':
      ts.next();
      return { kind: 'param', index: Number(t.value), pos };
    case 'punct':
      if (t.value === '(') return parseParenthesized(ts);
      throw ts.error();
    case 'op':
    case 'eof':
      throw ts.error();
    case 'quotedIdent':
      return parseNameExpr(ts, pos);
    case 'word':
      break;
  }
  const w = t.value;
  switch (w) {
    case 'not':
      // as an operand of a tighter operator (`1 + NOT x`) NOT still takes everything above its own level
      ts.next();
      return { kind: 'unary', op: 'not', operand: parseNot(ts), pos };
    case 'null':
      ts.next();
      return literal({ type: 'null' }, pos);
    case 'true':
    case 'false':
      ts.next();
      return literal({ type: 'bool', value: w === 'true' }, pos);
    case 'default':
      // allowed only as a whole INSERT ... VALUES item or SET value (see parseDefaultOr)
      ts.next();
      ts.defer(err.syntax('DEFAULT is not allowed in this context', pos));
      return call('default', [], pos);
    case 'case':
      ts.next();
      return parseCase(ts, pos);
    case 'cast': {
      ts.next();
      ts.expectPunct('(');
      const expr = parseExpr(ts);
      ts.expectWord('as');
      const type = parseTypeName(ts);
      ts.expectPunct(')');
      return { kind: 'cast', expr, type, pos };
    }
    case 'exists':
      if (ts.isPunct('(', 1)) {
        ts.next();
        return { kind: 'exists', query: parseSubqueryInParens(ts), negated: false, pos };
      }
      break;
    case 'array':
      ts.next();
      if (ts.isPunct('(')) return { kind: 'subquery', query: parseSubqueryInParens(ts), array: true, pos };
      return parseArrayElements(ts, pos);
    case 'row':
      if (ts.isPunct('(', 1)) {
        ts.next();
        ts.next();
        const fields = ts.isPunct(')') ? [] : parseExprList(ts);
        ts.expectPunct(')');
        return { kind: 'row', fields, pos };
      }
      break;
    case 'extract':
    case 'substring':
    case 'position':
    case 'trim':
    case 'overlay':
      if (ts.isPunct('(', 1)) {
        ts.next();
        return parseSpecialCall(ts, w, pos)!;
      }
      break;
  }
  if (NILADIC.has(w) && !ts.isPunct('(', 1)) {
    ts.next();
    return call(w, [], pos);
  }
  if (NILADIC.has(w) && (w === 'current_timestamp' || w === 'current_time' || w === 'localtimestamp' || w === 'localtime')) {
    ts.next();
    ts.expectPunct('(');
    const precision = parseExpr(ts);
    ts.expectPunct(')');
    return call(w, [precision], pos);
  }
  const typed = tryTypedLiteral(ts, pos);
  if (typed) return typed;
  if (RESERVED.has(w) && !NILADIC.has(w)) throw ts.error();
  return parseNameExpr(ts, pos);
}

/** Column references `a`, `t.a`, `s.t.a`, `t.*`, and function calls `f(...)`, `s.f(...)`. */
function parseNameExpr(ts: TokenStream, pos: number): Expr {
  const first = ts.next();
  const parts = [first.value];
  let star = false;
  while (ts.isPunct('.')) {
    ts.next();
    if (ts.isOp('*')) {
      ts.next();
      star = true;
      break;
    }
    parts.push(parseAnyName(ts));
  }
  if (star) {
    if (parts.length > 2) throw ts.error();
    return { kind: 'star', table: parts[parts.length - 1]!, pos };
  }
  if (ts.isPunct('(')) {
    if (parts.length > 2) throw ts.error();
    if (parts.length === 1 && first.kind === 'word' && (COL_NAME_KEYWORDS.has(first.value) && !['coalesce', 'greatest', 'least', 'nullif', 'grouping', 'values'].includes(first.value))) {
      throw ts.error();
    }
    const name = parts[parts.length - 1]!;
    return parseFuncCall(ts, name, parts.length === 2 ? parts[0] : undefined, pos);
  }
  // a type/function-name keyword not followed by '(' can only start `type 'literal'`: PostgreSQL
  // reports the token after it
  if (first.kind === 'word' && TYPE_FUNC_NAME.has(first.value)) throw ts.error();
  if (parts.length === 1) return { kind: 'columnRef', column: parts[0]!, pos };
  if (parts.length === 2) return { kind: 'columnRef', table: parts[0]!, column: parts[1]!, pos };
  if (parts.length === 3) return { kind: 'columnRef', schema: parts[0]!, table: parts[1]!, column: parts[2]!, pos };
  throw ts.error();
}


/**
 * Where DEFAULT may stand for a column's default (an INSERT VALUES item, an UPDATE SET value): a
 * bare DEFAULT followed by one of `ends` becomes the call `default()`; anything else is an expression.
 */
export function parseDefaultOr(ts: TokenStream, ends: (ts: TokenStream) => boolean): Expr {
  if (ts.isWord('default')) {
    const pos = ts.pos();
    ts.next();
    if (ends(ts)) return call('default', [], pos);
    ts.position -= 1;
  }
  return parseExpr(ts);
}
