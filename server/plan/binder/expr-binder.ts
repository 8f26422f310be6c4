/**
 * Binds AST expressions to BoundExpr: resolves column names through the scopes, types literals and
 * parameters from context, resolves operators, functions and casts, and turns the special forms
 * (CASE, COALESCE, NULLIF, GREATEST/LEAST, IN, BETWEEN, row comparisons, subqueries) into bound
 * trees. Aggregates and window calls become placeholders that the select binder rewrites.
 */
import type { Expr, Query } from '../../sql/ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum } from '../../types/datum.js';
import { T, arrayOf } from '../../types/sql-type.js';
import type { BoundExpr, CallFn } from '../bound/expr.js';
import {
  binaryOperator, castDatum, commonSupertype, likeMatcher, typeDisplayName, unaryOperator,
} from '../type-runtime.js';
import { coerce, resolveUnknown, tryCoerce } from './coerce.js';
import { Correlation, anyScopeHasTable, lookupColumn, type ExprScope } from './expr-scope.js';
import { resolveTypeName } from '../../types/type-name.js';
import { bindFunctionCall } from './function-binder.js';

const BOOL = T.bool;

export function bindExpr(e: Expr, s: ExprScope): BoundExpr {
  switch (e.kind) {
    case 'columnRef': {
      const found = lookupColumn(s, e.table, e.column, e.pos);
      if (found) return found.kind === 'column' && e.pos !== undefined ? { ...found, pos: e.pos } : found;
      if (e.table !== undefined && !anyScopeHasTable(s, e.table)) {
        throw new SqlError(SQLSTATE.undefinedTable, `missing FROM-clause entry for table "${e.table}"`, { position: e.pos });
      }
      throw new SqlError(SQLSTATE.undefinedColumn, e.table ? `column ${e.table}.${e.column} does not exist` : `column "${e.column}" does not exist`, { position: e.pos });
    }
    case 'star':
      throw new SqlError(SQLSTATE.syntaxError, 'row expansion via "*" is not supported here', { position: e.pos });
    case 'literal':
      return bindLiteral(e.value);
    case 'param': {
      const i = e.index - 1;
      if (i < 0) throw new SqlError(SQLSTATE.undefinedParameter, `there is no parameter $${e.index}`, { position: e.pos });
      while (s.state.paramTypes.length <= i) s.state.paramTypes.push(undefined);
      return { kind: 'param', index: i, type: s.state.paramTypes[i] ?? T.unknown };
    }
    case 'typedLiteral': {
      const type = resolveTypeName(e.type);
      const text = e.intervalUnit ? `${e.value} ${e.intervalUnit}` : e.value;
      return { kind: 'const', value: castDatum(text, T.unknown, type, true), type };
    }
    case 'cast': {
      const type = resolveTypeName(e.type);
      const inner = bindExpr(e.expr, s);
      return coerce(inner, type, 'explicit', s.state, e.pos);
    }
    case 'collate':
      return bindExpr(e.expr, s);
    case 'unary':
      return bindUnary(e.op, e.operand, s, e.pos);
    case 'binary':
      if (e.left.kind === 'row' || e.right.kind === 'row') return bindRowComparison(e.op, e.left, e.right, s, e.pos);
      if (e.op === 'and' || e.op === 'or') {
        // The parser nests a chain `a OR b OR c ...` one level per term: gather its terms without
        // recursion, so thousands of them bind (PostgreSQL keeps them flat too).
        const terms: typeof e.left[] = [];
        const stack: typeof e.left[] = [e.right, e.left];
        while (stack.length > 0) {
          const t = stack.pop()!;
          if (t.kind === 'binary' && t.op === e.op && t.left.kind !== 'row' && t.right.kind !== 'row') stack.push(t.right, t.left);
          else terms.push(t);
        }
        const args = terms.map((a) => bindCondition(a, s, e.op.toUpperCase()));
        const flat = args.flatMap((a) => (a.kind === e.op ? (a as { args: readonly BoundExpr[] }).args : [a]));
        return { kind: e.op, args: flat, type: BOOL };
      }
      return bindOperator(e.op, bindExpr(e.left, s), bindExpr(e.right, s), s, e.pos);
    case 'func':
      return bindFunctionCall(e, s, bindExpr);
    case 'case':
      return bindCase(e.operand, e.whens, e.else, s, e.pos);
    case 'between': {
      const x = bindExpr(e.expr, s);
      let lo = bindExpr(e.low, s), hi = bindExpr(e.high, s);
      let test: BoundExpr = { kind: 'and', args: [bindOperator('>=', x, lo, s, e.pos), bindOperator('<=', x, hi, s, e.pos)], type: BOOL };
      if (e.symmetric) {
        [lo, hi] = [hi, lo];
        test = { kind: 'or', args: [test, { kind: 'and', args: [bindOperator('>=', x, lo, s, e.pos), bindOperator('<=', x, hi, s, e.pos)], type: BOOL }], type: BOOL };
      }
      return e.negated ? { kind: 'not', arg: test, type: BOOL } : test;
    }
    case 'inList': {
      if (e.expr.kind === 'row') {
        const ors = e.list.map((item) => bindRowComparison('=', e.expr, item, s, e.pos));
        const any: BoundExpr = { kind: 'or', args: ors, type: BOOL };
        return e.negated ? { kind: 'not', arg: any, type: BOOL } : any;
      }
      const x0 = bindExpr(e.expr, s);
      const items0 = e.list.map((i) => bindExpr(i, s));
      const common = commonSupertype([x0.type, ...items0.map((i) => i.type)]);
      const x = common ? tryCoerce(x0, common, 'implicit', s.state) ?? x0 : x0;
      const items = items0.map((i) => (common ? tryCoerce(i, common, 'implicit', s.state) ?? i : i));
      const ors = items.map((i) => bindOperator('=', x, i, s, e.pos));
      const any: BoundExpr = ors.length === 1 ? ors[0]! : { kind: 'or', args: ors, type: BOOL };
      return e.negated ? { kind: 'not', arg: any, type: BOOL } : any;
    }
    case 'inSubquery': {
      const sub = bindQuantified(bindExpr(e.expr, s), '=', 'any', e.query, s, e.pos);
      return e.negated ? { kind: 'not', arg: sub, type: BOOL } : sub;
    }
    case 'exists': {
      const { plan, args, sourceKey } = bindSubqueryPlan(e.query, s);
      const ex: BoundExpr = { kind: 'subplan', mode: 'exists', plan, args, sourceKey, type: BOOL };
      return e.negated ? { kind: 'not', arg: ex, type: BOOL } : ex;
    }
    case 'subquery': {
      const { plan, args, sourceKey } = bindSubqueryPlan(e.query, s);
      if (plan.schema.length !== 1) throw new SqlError(SQLSTATE.syntaxError, 'subquery must return only one column', { position: e.pos });
      const t = plan.schema[0]!.type;
      return { kind: 'subplan', mode: e.array ? 'array' : 'scalar', plan, args, sourceKey, type: e.array ? arrayOf(t) : t };
    }
    case 'is': {
      const x = bindExpr(e.expr, s);
      switch (e.test) {
        case 'null': return { kind: 'isNull', arg: x, negated: e.negated, type: BOOL };
        case 'true': case 'false': case 'unknown':
          return { kind: 'isBool', arg: coerce(x, BOOL, 'implicit', s.state, e.pos, `argument of IS ${e.test.toUpperCase()} must be type boolean, not type ${typeDisplayName(x.type)}`), test: e.test, negated: e.negated, type: BOOL };
        case 'distinctFrom': {
          const eq = bindOperator('=', x, bindExpr(e.other!, s), s, e.pos);
          if (eq.kind !== 'call') throw new SqlError(SQLSTATE.undefinedFunction, 'operator does not exist for IS DISTINCT FROM', { position: e.pos });
          const eqFn = eq.fn;
          const negated = e.negated;
          const fn: CallFn = (args, ctx) => {
            const a = args[0]!, b = args[1]!;
            const distinct = a === null || b === null ? (a === null) !== (b === null) : eqFn([a, b], ctx) !== true;
            return negated ? !distinct : distinct;
          };
          return { kind: 'call', label: negated ? 'is not distinct from' : 'is distinct from', fn, args: eq.args, type: BOOL, strict: false, volatile: false };
        }
        default: { const never: never = e.test; return never; }
      }
    }
    case 'like': {
      const x = coerce(resolveUnknown(bindExpr(e.expr, s), s.state), T.text, 'implicit', s.state, e.pos, `operator does not exist: ${typeDisplayName(bindExpr(e.expr, s).type)} ~~ unknown`);
      const p = coerce(bindExpr(e.pattern, s), T.text, 'implicit', s.state, e.pos);
      const esc = e.escape ? coerce(bindExpr(e.escape, s), T.text, 'implicit', s.state, e.pos) : undefined;
      if (e.similar) throw new SqlError(SQLSTATE.featureNotSupported, 'SIMILAR TO is not supported', { position: e.pos });
      const ci = e.caseInsensitive;
      const negated = e.negated;
      let cachedPattern: string | null = null;
      let cachedEscape: string | null = null;
      let matcher: (s: string) => boolean = () => false;
      const fn: CallFn = (args) => {
        const pat = args[1] as string, escape = args.length > 2 ? (args[2] as string) : '\\';
        if (pat !== cachedPattern || escape !== cachedEscape) {
          matcher = likeMatcher(pat, ci, escape === '' ? null : escape);
          cachedPattern = pat;
          cachedEscape = escape;
        }
        return matcher(args[0] as string) !== negated;
      };
      return { kind: 'call', label: `${negated ? 'not ' : ''}${ci ? 'ilike' : 'like'}`, fn, args: esc ? [x, p, esc] : [x, p], type: BOOL, strict: true, volatile: false };
    }
    case 'array': {
      const els0 = e.elements.map((x) => bindExpr(x, s));
      if (els0.length === 0) throw new SqlError(SQLSTATE.syntaxError.replace('42601', '42P18'), 'cannot determine type of empty array', { position: e.pos });
      const t = commonSupertype(els0.map((x) => x.type)) ?? T.text;
      const els = els0.map((x) => coerce(x, t, 'implicit', s.state, e.pos));
      return { kind: 'call', label: 'array', fn: (args) => args.slice(), args: els, type: arrayOf(t), strict: false, volatile: false };
    }
    case 'subscript': {
      const arr = bindExpr(e.expr, s);
      if (arr.type.kind !== 'array' && arr.type.kind !== 'int2vector' && arr.type.kind !== 'oidvector') {
        throw new SqlError(SQLSTATE.datatypeMismatch, `cannot subscript type ${typeDisplayName(arr.type)} because it is not an array`, { position: e.pos });
      }
      const idx = coerce(bindExpr(e.index, s), T.int4, 'implicit', s.state, e.pos);
      const elem = arr.type.element ?? (arr.type.kind === 'int2vector' ? T.int2 : T.oid);
      const zeroBased = arr.type.kind !== 'array'; // int2vector/oidvector subscripts start at 0
      return { kind: 'call', label: 'subscript', fn: (args) => (args[0] as Datum[])[(args[1] as number) - (zeroBased ? 0 : 1)] ?? null, args: [arr, idx], type: elem, strict: true, volatile: false };
    }
    case 'row':
      throw new SqlError(SQLSTATE.featureNotSupported, 'row values are only supported in comparisons', { position: e.pos });
    case 'anyAll': {
      const left = bindExpr(e.left, s);
      if (e.right.kind === 'query') return bindQuantified(left, e.op, e.quantifier, e.right.query, s, e.pos);
      return bindArrayQuantified(left, e.op, e.quantifier, bindExpr(e.right.expr, s), s, e.pos);
    }
    case 'fieldSelect': {
      if (e.expr.kind === 'columnRef') {
        for (let sc: ExprScope | undefined = s; sc; sc = sc.correlation?.parent) {
          const fields = sc.from.compositeFields(e.expr.table, e.expr.column);
          if (!fields) continue;
          const f = fields.get(e.field);
          if (!f) throw new SqlError(SQLSTATE.undefinedColumn, `column "${e.field}" not found in data type record`, { position: e.pos });
          if (sc !== s) break; // outer composite fields: not supported below
          return f;
        }
      }
      const inner = bindExpr(e.expr, s);
      if (inner.kind === 'srf' && inner.field === undefined) {
        const at = inner.fields.findIndex((f) => f.name === e.field);
        if (at < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${e.field}" not found in data type record`, { position: e.pos });
        return { ...inner, field: at, type: inner.fields[at]!.type };
      }
      throw new SqlError(SQLSTATE.featureNotSupported, 'selecting a field of this value is not supported', { position: e.pos });
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function bindLiteral(v: Extract<Expr, { kind: 'literal' }>['value']): BoundExpr {
  switch (v.type) {
    case 'null': return { kind: 'const', value: null, type: T.unknown };
    case 'bool': return { kind: 'const', value: v.value, type: BOOL };
    case 'string': return { kind: 'const', value: v.value, type: T.unknown };
    case 'number': {
      const negative = v.text.startsWith('-');
      return bindNumberWithSign(negative || v.text.startsWith('+') ? v.text.slice(1) : v.text, negative);
    }
    default: { const never: never = v; return never; }
  }
}

/** A WHERE / ON / HAVING / AND operand: must be boolean (unknown literals become boolean). */
export function bindCondition(e: Expr, s: ExprScope, clause: string): BoundExpr {
  const b = bindExpr(e, s);
  return coerce(b, BOOL, 'implicit', s.state, exprPos(e), `argument of ${clause} must be type boolean, not type ${typeDisplayName(b.type)}`);
}

export function exprPos(e: Expr): number | undefined {
  return 'pos' in e ? e.pos : undefined;
}

function bindUnary(op: string, operand: Expr, s: ExprScope, pos: number | undefined): BoundExpr {
  if (op === 'not') return { kind: 'not', arg: bindCondition(operand, s, 'NOT'), type: BOOL };
  if (op === '-' && operand.kind === 'literal' && operand.value.type === 'number' && !operand.value.text.startsWith('-')) {
    return bindNumberWithSign(operand.value.text.replace(/^\+/, ''), true);
  }
  let x = bindExpr(operand, s);
  if (x.type.kind === 'unknown') x = coerce(x, T.numeric, 'implicit', s.state, pos);
  const r = unaryOperator(op, x.type);
  if (!r) throw new SqlError(SQLSTATE.undefinedFunction, `operator does not exist: ${op} ${typeDisplayName(x.type)}`, { position: pos, hint: 'No operator matches the given name and argument type. You might need to add an explicit type cast.' });
  const arg = coerce(x, r.operandType, 'implicit', s.state, pos);
  const f = r.fn;
  const call: BoundExpr = { kind: 'call', label: `u${op}`, fn: (a) => f(a[0]!), args: [arg], type: r.returns, strict: true, volatile: false };
  return arg.kind === 'const' && arg.value !== null ? { kind: 'const', value: f(arg.value), type: r.returns } : call;
}

/** A number literal with its sign, so -2147483648 stays int4 as in PostgreSQL. */
export function bindNumberWithSign(text: string, negative: boolean): BoundExpr {
  if (/^\d+$/.test(text)) {
    const b = negative ? -BigInt(text) : BigInt(text);
    if (b >= -2147483648n && b <= 2147483647n) return { kind: 'const', value: Number(b), type: T.int4 };
    if (b >= -9223372036854775808n && b <= 9223372036854775807n) return { kind: 'const', value: b, type: T.int8 };
  }
  return { kind: 'const', value: castDatum((negative ? '-' : '') + text, T.unknown, T.numeric, false), type: T.numeric };
}

/** Resolves `left op right`: unknown operands take the other side's type, then the operator table. */
export function bindOperator(op: string, left: BoundExpr, right: BoundExpr, s: ExprScope, pos: number | undefined): BoundExpr {
  let l = left, r = right;
  // `||` resolves unknown operands itself (text || anynonarray), so they are not pre-typed here.
  if (op === '||') {
    /* fall through to binaryOperator */
  } else if (l.type.kind === 'unknown' && r.type.kind !== 'unknown') l = tryCoerce(l, r.type, 'implicit', s.state, pos) ?? l;
  else if (r.type.kind === 'unknown' && l.type.kind !== 'unknown') r = tryCoerce(r, l.type, 'implicit', s.state, pos) ?? r;
  else if (l.type.kind === 'unknown' && r.type.kind === 'unknown') {
    l = resolveUnknown(l, s.state);
    r = resolveUnknown(r, s.state);
  }
  const resolved = binaryOperator(op, l.type, r.type, { timeZone: s.state.ctx.fn.setting('timezone') ?? 'UTC' });
  if (!resolved) {
    throw new SqlError(SQLSTATE.undefinedFunction, `operator does not exist: ${typeDisplayName(l.type)} ${op} ${typeDisplayName(r.type)}`, {
      position: pos,
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  // text || anynonarray converts the other operand with its output function, whatever its type.
  const context = op === '||' ? 'explicit' : 'implicit';
  const la = coerce(l, resolved.leftType, context, s.state, pos);
  const ra = coerce(r, resolved.rightType, context, s.state, pos);
  const f = resolved.fn;
  return { kind: 'call', label: op, fn: (a) => f(a[0]!, a[1]!), args: [la, ra], type: resolved.returns, strict: true, volatile: false };
}

function rowFields(e: Expr, s: ExprScope): BoundExpr[] {
  if (e.kind === 'row') return e.fields.map((f) => bindExpr(f, s));
  throw new SqlError(SQLSTATE.syntaxError, 'row comparison needs a row on both sides', { position: exprPos(e) });
}

/** `(a, b) op (c, d)`: = and <> field by field; <, <=, >, >= lexicographically. */
function bindRowComparison(op: string, left: Expr, right: Expr, s: ExprScope, pos: number | undefined): BoundExpr {
  const l = rowFields(left, s), r = rowFields(right, s);
  if (l.length !== r.length) throw new SqlError(SQLSTATE.syntaxError, 'unequal number of entries in row expressions', { position: pos });
  if (op === '=') return { kind: 'and', args: l.map((x, i) => bindOperator('=', x, r[i]!, s, pos)), type: BOOL };
  if (op === '<>' || op === '!=') return { kind: 'or', args: l.map((x, i) => bindOperator('<>', x, r[i]!, s, pos)), type: BOOL };
  if (!['<', '<=', '>', '>='].includes(op)) throw new SqlError(SQLSTATE.featureNotSupported, `row comparison operator ${op} is not supported`, { position: pos });
  const strict = op[0]!;
  // (a1,a2,..) < (b1,b2,..)  ==  a1 < b1 OR (a1 = b1 AND (a2,..) < (b2,..)); the last field uses op itself.
  const build = (i: number): BoundExpr => {
    if (i === l.length - 1) return bindOperator(op, l[i]!, r[i]!, s, pos);
    return { kind: 'or', args: [bindOperator(strict, l[i]!, r[i]!, s, pos), { kind: 'and', args: [bindOperator('=', l[i]!, r[i]!, s, pos), build(i + 1)], type: BOOL }], type: BOOL };
  };
  return build(0);
}

function bindCase(operand: Expr | undefined, whens: readonly { when: Expr; then: Expr }[], elseExpr: Expr | undefined, s: ExprScope, pos: number | undefined): BoundExpr {
  const subject = operand ? bindExpr(operand, s) : undefined;
  const conds = whens.map((w) => (subject ? bindOperator('=', subject, bindExpr(w.when, s), s, exprPos(w.when)) : bindCondition(w.when, s, 'CASE/WHEN')));
  const results = whens.map((w) => bindExpr(w.then, s));
  const elseBound: BoundExpr = elseExpr ? bindExpr(elseExpr, s) : { kind: 'const', value: null, type: T.unknown };
  const type = commonSupertype([...results, elseBound].map((r) => r.type));
  if (!type) {
    throw new SqlError(SQLSTATE.datatypeMismatch, `CASE types ${[...results, elseBound].map((r) => typeDisplayName(r.type)).join(' and ')} cannot be matched`, { position: pos });
  }
  const co = (e: BoundExpr) => coerce(e, type, 'implicit', s.state, pos);
  return { kind: 'case', whens: conds.map((c, i) => ({ when: c, then: co(results[i]!) })), else: co(elseBound), type };
}

/** `x op ANY|ALL (SELECT ...)` and `x IN (SELECT ...)`. */
function bindQuantified(left: BoundExpr, op: string, quantifier: 'any' | 'all', query: Query, s: ExprScope, pos: number | undefined): BoundExpr {
  const { plan, args, sourceKey } = bindSubqueryPlan(query, s);
  if (plan.schema.length !== 1) throw new SqlError(SQLSTATE.syntaxError, 'subquery has too many columns', { position: pos });
  const inner: BoundExpr = { kind: 'column', index: -1, type: plan.schema[0]!.type, label: 'subquery' };
  const cmp = bindOperator(op, left, inner, s, pos);
  if (cmp.kind !== 'call') throw new SqlError(SQLSTATE.undefinedFunction, `operator does not exist: ${op}`, { position: pos });
  const leftArg = cmp.args[0]!;
  const rightConv = cmp.args[1]!;
  const f = cmp.fn;
  // The comparison may cast the subquery's column: re-apply that cast to each inner value.
  const convert = rightConv.kind === 'call' && rightConv.args[0] === inner ? rightConv.fn : undefined;
  const test = (a: Datum, b: Datum): Datum => f([a, convert && b !== null ? convert([b], s.state.ctx.fn) : b], s.state.ctx.fn);
  return { kind: 'subplan', mode: quantifier, plan, args, left: leftArg, op, test, sourceKey, type: BOOL };
}

/** `x op ANY|ALL (array)`. */
function bindArrayQuantified(left: BoundExpr, op: string, quantifier: 'any' | 'all', right: BoundExpr, s: ExprScope, pos: number | undefined): BoundExpr {
  let arr = right;
  if (arr.type.kind === 'unknown') arr = coerce(arr, arrayOf(left.type.kind === 'unknown' ? T.text : left.type), 'implicit', s.state, pos);
  if (arr.type.kind !== 'array') throw new SqlError(SQLSTATE.datatypeMismatch, `op ANY/ALL (array) requires array on right side`, { position: pos });
  const elem: BoundExpr = { kind: 'column', index: -1, type: arr.type.element ?? T.text, label: 'element' };
  const cmp = bindOperator(op, left, elem, s, pos);
  if (cmp.kind !== 'call') throw new SqlError(SQLSTATE.undefinedFunction, `operator does not exist: ${op}`, { position: pos });
  const rightConv = cmp.args[1]!;
  const convert = rightConv.kind === 'call' && rightConv.args[0] === elem ? rightConv.fn : undefined;
  const f = cmp.fn;
  const fn: CallFn = (a, ctx) => {
    const x = a[0]!, list = a[1];
    if (list === null) return null;
    let sawNull = false;
    for (const raw of list as Datum[]) {
      const v = convert && raw !== null ? convert([raw], ctx) : raw;
      const r = x === null || v === null ? null : f([x, v], ctx);
      if (r === null) sawNull = true;
      else if (quantifier === 'any' && r === true) return true;
      else if (quantifier === 'all' && r === false) return false;
    }
    return sawNull ? null : quantifier === 'all';
  };
  return { kind: 'call', label: `${op} ${quantifier}`, fn, args: [cmp.args[0]!, arr], type: BOOL, strict: false, volatile: false };
}

/** Binds a nested query with a fresh Correlation on this scope. */
export function bindSubqueryPlan(query: Query, s: ExprScope) {
  const plan = s.state.bindSubquery(query, s);
  const correlation = lastCorrelation.get(plan);
  return { plan, args: correlation ? correlation.args : [], sourceKey: queryKey(query) };
}

/**
 * The subquery's text as structure (its AST without source positions): two subqueries written the
 * same way in one scope bind to the same plan, so `GROUP BY (SELECT ...)` matches the same subquery in
 * the select list, as in PostgreSQL.
 */
function queryKey(query: Query): string {
  return JSON.stringify(query, (k, v: unknown) => (k === 'pos' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}

/** The query binder records which Correlation a subquery plan was bound with. */
export const lastCorrelation = new WeakMap<object, Correlation>();
