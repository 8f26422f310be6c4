/**
 * Function-call syntax: ordinary calls with DISTINCT / ORDER BY / WITHIN GROUP / FILTER / OVER, the
 * SQL-standard special forms (EXTRACT, SUBSTRING, POSITION, TRIM, OVERLAY) mapped to plain calls, and
 * window specifications with frames.
 */
import type { Expr, FrameBound, FuncCallExpr, OrderItem, WindowSpec } from '../ast.js';
import type { TokenStream } from './token-stream.js';
import { err } from '../../errors.js';
import { RESERVED } from './keywords.js';
import { literal, parseExpr, parseExprList, parseName, parseOtherOp } from './expressions.js';

export function call(name: string, args: Expr[], pos: number): FuncCallExpr {
  return { kind: 'func', name, args, distinct: false, star: false, pos };
}

/** EXTRACT, SUBSTRING, POSITION, TRIM, OVERLAY; undefined if `word` has no special syntax. */
export function parseSpecialCall(ts: TokenStream, word: string, pos: number): Expr | undefined {
  switch (word) {
    case 'extract': {
      ts.expectPunct('(');
      const f = ts.next();
      if ((f.kind !== 'word' && f.kind !== 'string' && f.kind !== 'quotedIdent') || (f.kind === 'word' && RESERVED.has(f.value))) throw ts.error(f);
      ts.expectWord('from');
      const source = parseExpr(ts);
      ts.expectPunct(')');
      return call('date_part', [literal({ type: 'string', value: f.value.toLowerCase() }, f.pos), source], pos);
    }
    case 'substring': {
      ts.expectPunct('(');
      const str = parseExpr(ts);
      let args: Expr[];
      if (ts.acceptPunct(',')) args = [str, ...parseExprList(ts)];
      else {
        args = [str];
        let from: Expr | undefined;
        let forExpr: Expr | undefined;
        for (;;) {
          if (ts.acceptWord('from')) from = parseExpr(ts);
          else if (ts.acceptWord('for')) forExpr = parseExpr(ts);
          else break;
        }
        if (from && forExpr) args.push(from, forExpr);
        else if (from) args.push(from);
        else if (forExpr) args.push(literal({ type: 'number', text: '1' }, pos), forExpr);
      }
      ts.expectPunct(')');
      return call('substring', args, pos);
    }
    case 'position': {
      ts.expectPunct('(');
      const needle = parseOtherOp(ts);
      ts.expectWord('in');
      const haystack = parseOtherOp(ts);
      ts.expectPunct(')');
      return call('position', [haystack, needle], pos);
    }
    case 'trim': {
      ts.expectPunct('(');
      let name = 'btrim';
      if (ts.acceptWord('leading')) name = 'ltrim';
      else if (ts.acceptWord('trailing')) name = 'rtrim';
      else ts.acceptWord('both');
      let args: Expr[];
      if (ts.acceptWord('from')) args = parseExprList(ts);
      else {
        const first = parseExpr(ts);
        if (ts.acceptWord('from')) args = [...parseExprList(ts), first];
        else if (ts.acceptPunct(',')) args = [first, ...parseExprList(ts)];
        else args = [first];
      }
      ts.expectPunct(')');
      return call(name, args, pos);
    }
    case 'overlay': {
      ts.expectPunct('(');
      const target = parseExpr(ts);
      ts.expectWord('placing');
      const args = [target, parseExpr(ts)];
      ts.expectWord('from');
      args.push(parseExpr(ts));
      if (ts.acceptWord('for')) args.push(parseExpr(ts));
      ts.expectPunct(')');
      return call('overlay', args, pos);
    }
    default:
      return undefined;
  }
}

export function parseFuncCall(ts: TokenStream, name: string, schema: string | undefined, pos: number): FuncCallExpr {
  ts.expectPunct('(');
  let distinct = false;
  let star = false;
  let args: Expr[] = [];
  let orderBy: OrderItem[] | undefined;
  if (ts.isOp('*') && ts.isPunct(')', 1)) {
    ts.next();
    star = true;
  } else if (!ts.isPunct(')')) {
    if (ts.acceptWord('distinct')) distinct = true;
    else ts.acceptWord('all');
    ts.acceptWord('variadic');
    // Flink's window table functions name their input `TABLE bid`: the relation name is the argument.
    const tableArg = () => {
      if (ts.isWord('table') && ts.peek(1).kind === 'word') ts.next();
      return parseExpr(ts);
    };
    args = [tableArg()];
    while (ts.acceptPunct(',')) args.push(tableArg());
    if (ts.acceptWord('order', 'by')) orderBy = parseOrderByList(ts);
  }
  ts.expectPunct(')');
  if (ts.acceptWord('within', 'group')) {
    ts.expectPunct('(');
    ts.expectWord('order', 'by');
    orderBy = parseOrderByList(ts);
    ts.expectPunct(')');
  }
  let filter: Expr | undefined;
  if (ts.acceptWord('filter')) {
    ts.expectPunct('(');
    ts.expectWord('where');
    filter = parseExpr(ts);
    ts.expectPunct(')');
  }
  let over: WindowSpec | undefined;
  if (ts.acceptWord('over')) {
    if (ts.isPunct('(')) over = parseWindowSpec(ts);
    else over = { refName: parseName(ts), partitionBy: [], orderBy: [] };
  }
  return {
    kind: 'func', name, args, distinct, star, pos,
    ...(schema !== undefined ? { schema } : {}),
    ...(orderBy ? { orderBy } : {}),
    ...(filter ? { filter } : {}),
    ...(over ? { over } : {}),
  };
}

export function parseOrderByList(ts: TokenStream): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = parseExpr(ts);
    let direction: 'asc' | 'desc' = 'asc';
    if (ts.acceptWord('desc')) direction = 'desc';
    else if (ts.isWord('using')) {
      ts.next();
      const op = ts.next();
      if (op.kind !== 'op') throw ts.error(op);
      if (op.value === '>' || op.value === '>=') direction = 'desc';
      else if (op.value !== '<' && op.value !== '<=') throw err.notSupported(`ORDER BY USING ${op.value} is not supported`, op.pos);
    } else ts.acceptWord('asc');
    let nulls: 'first' | 'last' | undefined;
    if (ts.isWord('nulls')) {
      // PostgreSQL reads NULLS FIRST/LAST as one token: a lone NULLS is the error
      if (ts.isWord('first', 1)) nulls = 'first';
      else if (ts.isWord('last', 1)) nulls = 'last';
      else throw ts.error();
      ts.next();
      ts.next();
    }
    items.push(nulls ? { expr, direction, nulls } : { expr, direction });
  } while (ts.acceptPunct(','));
  return items;
}

function parseFrameBound(ts: TokenStream): FrameBound {
  if (ts.acceptWord('unbounded')) {
    if (ts.acceptWord('preceding')) return { kind: 'unboundedPreceding' };
    ts.expectWord('following');
    return { kind: 'unboundedFollowing' };
  }
  if (ts.acceptWord('current', 'row')) return { kind: 'currentRow' };
  const offset = parseExpr(ts);
  if (ts.acceptWord('preceding')) return { kind: 'preceding', offset };
  ts.expectWord('following');
  return { kind: 'following', offset };
}

/** `( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`. */
export function parseWindowSpec(ts: TokenStream): WindowSpec {
  ts.expectPunct('(');
  let refName: string | undefined;
  const t = ts.peek();
  if ((t.kind === 'word' && !RESERVED.has(t.value) && !['partition', 'order', 'rows', 'range', 'groups'].includes(t.value)) || t.kind === 'quotedIdent') {
    refName = parseName(ts);
  }
  const partitionBy = ts.acceptWord('partition', 'by') ? parseExprList(ts) : [];
  const orderBy = ts.acceptWord('order', 'by') ? parseOrderByList(ts) : [];
  let frame: WindowSpec['frame'];
  const unitsWord = ts.peek();
  if (unitsWord.kind === 'word' && (unitsWord.value === 'rows' || unitsWord.value === 'range' || unitsWord.value === 'groups')) {
    ts.next();
    const units = unitsWord.value;
    if (ts.acceptWord('between')) {
      const start = parseFrameBound(ts);
      ts.expectWord('and');
      frame = { units, start, end: parseFrameBound(ts) };
    } else frame = { units, start: parseFrameBound(ts), end: { kind: 'currentRow' } };
    if (ts.acceptWord('exclude')) {
      if (!(ts.acceptWord('no', 'others') || ts.acceptWord('current', 'row') || ts.acceptWord('group') || ts.acceptWord('ties'))) throw ts.error();
    }
  }
  ts.expectPunct(')');
  return { partitionBy, orderBy, ...(frame ? { frame } : {}), ...(refName !== undefined ? { refName } : {}) };
}
