/**
 * Binds function calls: aggregates (to placeholders), window calls (to placeholders), the special
 * forms COALESCE / NULLIF / GREATEST / LEAST, and everything else through the function registry
 * ("function foo(integer) does not exist" when no definition accepts the argument types).
 */
import type { Expr, FuncCallExpr, OrderItem, FrameBound } from '../../sql/ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum } from '../../types/datum.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { BoundExpr, CallFn } from '../bound/expr.js';
import type { AggregateCall } from '../logical/aggregate-call.js';
import type { SortKey } from '../logical/sort-key.js';
import type { WindowBound, WindowCall } from '../logical/window-call.js';
import { commonSupertype, compareDatums, typeDisplayName } from '../type-runtime.js';
import { isAggregateName, isWindowOnlyName, resolveAggregate, resolveWindowFunction } from '../../exec/aggregate/signatures.js';
import { coerce, resolveUnknown } from './coerce.js';
import type { ExprScope } from './expr-scope.js';
import { isSetReturningFunction, tableFunctionFieldNames, tableFunctionTypes } from './table-function-types.js';

type BindFn = (e: Expr, s: ExprScope) => BoundExpr;

function undefinedFunction(name: string, types: readonly SqlType[], pos: number | undefined): SqlError {
  return new SqlError(SQLSTATE.undefinedFunction, `function ${name}(${types.map(typeDisplayName).join(', ')}) does not exist`, {
    position: pos,
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

export function bindSortKeys(items: readonly OrderItem[], s: ExprScope, bind: BindFn): SortKey[] {
  return items.map((o) => ({
    expr: resolveUnknown(bind(o.expr, s), s.state),
    desc: o.direction === 'desc',
    nullsFirst: o.nulls ? o.nulls === 'first' : o.direction === 'desc',
  }));
}

export function bindFunctionCall(e: FuncCallExpr, s: ExprScope, bind: BindFn): BoundExpr {
  const name = e.name;
  if (e.over) return bindWindowCall(e, s, bind);
  if (isAggregateName(name) && (e.schema === undefined || e.schema === 'pg_catalog')) {
    const call = bindAggregateCall(e, s, bind);
    return { kind: 'agg', call, type: call.type };
  }
  if (isWindowOnlyName(name)) throw new SqlError(SQLSTATE.syntaxError.replace('42601', '42809'), `window function ${name} requires an OVER clause`, { position: e.pos });
  if (e.distinct || e.orderBy || e.filter) {
    throw new SqlError(SQLSTATE.wrongObjectType, `${e.distinct ? 'DISTINCT' : e.filter ? 'FILTER' : 'ORDER BY'} specified, but ${name} is not an aggregate function`, { position: e.pos });
  }
  if (isSetReturningFunction(name) && (e.schema === undefined || e.schema === 'pg_catalog' || e.schema === 'information_schema')) {
    if (s.srfs !== 'allow') throw new SqlError(SQLSTATE.featureNotSupported, 'set-returning functions are not allowed here', { position: e.pos });
    const inner: ExprScope = { ...s, srfs: undefined };
    const raw = e.args.map((a) => bind(a, inner));
    const { types, argsCoerced } = tableFunctionTypes(name, raw, s, e.pos);
    const names = tableFunctionFieldNames(name, types.length);
    const fields = types.map((t, i) => ({ name: names[i]!, type: t }));
    const single = fields.length === 1;
    return { kind: 'srf', name, args: argsCoerced, fields, field: single ? 0 : undefined, type: single ? types[0]! : T.text };
  }
  const args = e.args.map((a) => bind(a, { ...s, srfs: undefined }));
  switch (name) {
    case 'coalesce': return bindCoalesce(args, s, e.pos);
    case 'nullif': return bindNullif(args, s, e.pos);
    case 'greatest': case 'least': return bindGreatestLeast(name, args, s, e.pos);
    default: break;
  }
  const registry = s.state.ctx.functions;
  const found = registry.resolve(name, args.map((a) => a.type));
  if (!found) throw undefinedFunction(e.schema ? `${e.schema}.${name}` : name, args.map((a) => a.type), e.pos);
  const { def, signature } = found;
  const coerced = args.map((a, i) => coerce(a, signature.argTypes[i] ?? a.type, 'implicit', s.state, e.pos));
  const fn: CallFn = (a, ctx) => def.impl(a, ctx, signature);
  return { kind: 'call', label: name, fn, args: coerced, type: signature.returns, strict: def.strict, volatile: (signature.volatility ?? def.volatility) !== 'immutable' };
}

function unify(args: readonly BoundExpr[], s: ExprScope, what: string, pos: number | undefined): { type: SqlType; args: BoundExpr[] } {
  const type = commonSupertype(args.map((a) => a.type));
  if (!type) throw new SqlError(SQLSTATE.datatypeMismatch, `${what} types ${args.map((a) => typeDisplayName(a.type)).join(' and ')} cannot be matched`, { position: pos });
  return { type, args: args.map((a) => coerce(a, type, 'implicit', s.state, pos)) };
}

function bindCoalesce(args: readonly BoundExpr[], s: ExprScope, pos: number | undefined): BoundExpr {
  if (args.length === 0) throw new SqlError(SQLSTATE.syntaxError, 'syntax error at or near ")"', { position: pos });
  const u = unify(args, s, 'COALESCE', pos);
  return { kind: 'coalesce', args: u.args, type: u.type };
}

function bindNullif(args: readonly BoundExpr[], s: ExprScope, pos: number | undefined): BoundExpr {
  if (args.length !== 2) throw undefinedFunction('nullif', args.map((a) => a.type), pos);
  const u = unify(args, s, 'NULLIF', pos);
  const t = u.type;
  const fn: CallFn = (a) => (a[0] === null ? null : a[1] !== null && compareDatums(a[0]!, a[1]!, t) === 0 ? null : a[0]!);
  return { kind: 'call', label: 'nullif', fn, args: u.args, type: t, strict: false, volatile: false };
}

function bindGreatestLeast(name: 'greatest' | 'least', args: readonly BoundExpr[], s: ExprScope, pos: number | undefined): BoundExpr {
  const u = unify(args, s, name.toUpperCase(), pos);
  const t = u.type;
  const sign = name === 'greatest' ? 1 : -1;
  const fn: CallFn = (a) => {
    let best: Datum = null;
    for (const v of a) if (v !== null && (best === null || compareDatums(v, best, t) * sign > 0)) best = v;
    return best;
  };
  return { kind: 'call', label: name, fn, args: u.args, type: t, strict: false, volatile: false };
}

/**
 * `asWindow`: the aggregate is a window function, evaluated after grouping, so its arguments may
 * hold plain aggregates (`sum(count(*)) OVER ()`).
 */
export function bindAggregateCall(e: FuncCallExpr, s: ExprScope, bind: BindFn, asWindow = false): AggregateCall {
  if (!asWindow && s.aggregates !== 'allow') throw new SqlError(SQLSTATE.groupingError, s.aggregates, { position: e.pos });
  const inner: ExprScope = {
    ...s,
    aggregates: asWindow ? s.aggregates : 'aggregate function calls cannot be nested',
    windows: 'window function calls cannot be nested inside aggregate calls',
  };
  const raw = e.args.map((a) => bind(a, inner));
  const withDefaults = raw.map((a) => (a.type.kind === 'unknown' && e.name !== 'count' ? resolveUnknown(a, s.state) : a));
  const sig = resolveAggregate(e.name, withDefaults.map((a) => a.type), e.star);
  if (!sig) throw undefinedFunction(e.name, withDefaults.map((a) => a.type), e.pos);
  const args = withDefaults.map((a, i) => coerce(a, sig.argTypes[i] ?? a.type, 'implicit', s.state, e.pos));
  return {
    name: e.name,
    args,
    argTypes: args.map((a) => a.type),
    distinct: e.distinct,
    filter: e.filter ? coerce(bind(e.filter, inner), T.bool, 'implicit', s.state, e.pos, 'argument of FILTER must be type boolean') : undefined,
    orderBy: e.orderBy ? bindSortKeys(e.orderBy, inner, bind) : [],
    star: e.star,
    type: sig.returns,
  };
}

function frameOffset(b: FrameBound, s: ExprScope, bind: BindFn): WindowBound {
  if (b.kind !== 'preceding' && b.kind !== 'following') return b;
  const v = bind(b.offset, s);
  if (v.kind !== 'const' || v.value === null) throw new SqlError(SQLSTATE.featureNotSupported, 'window frame offsets must be constants');
  return { kind: b.kind, offset: Number(v.value as number) };
}

function bindWindowCall(e: FuncCallExpr, s: ExprScope, bind: BindFn): BoundExpr {
  if (s.windows !== 'allow') throw new SqlError(SQLSTATE.wrongObjectType.replace('42809', '42P20'), s.windows, { position: e.pos });
  const spec = e.over!;
  const inner: ExprScope = { ...s, windows: 'window function calls cannot be nested' };
  const partitionBy = spec.partitionBy.map((p) => resolveUnknown(bind(p, inner), s.state));
  const orderBy = bindSortKeys(spec.orderBy, inner, bind);
  const frame = spec.frame
    ? { units: spec.frame.units, start: frameOffset(spec.frame.start, inner, bind), end: frameOffset(spec.frame.end, inner, bind) }
    : undefined;
  let call: WindowCall;
  if (isAggregateName(e.name)) {
    const aggregate = bindAggregateCall({ ...e, over: undefined }, { ...inner, aggregates: s.aggregates }, bind, true);
    call = { name: e.name, args: aggregate.args, partitionBy, orderBy, frame, aggregate, type: aggregate.type };
  } else {
    const raw = e.args.map((a) => bind(a, inner));
    const sig = resolveWindowFunction(e.name, raw.map((a) => a.type));
    if (!sig) throw undefinedFunction(e.name, raw.map((a) => a.type), e.pos);
    const args = raw.map((a, i) => coerce(a, sig.argTypes[i] ?? a.type, 'implicit', s.state, e.pos));
    call = { name: e.name, args, partitionBy, orderBy, frame, type: sig.returns };
  }
  return { kind: 'window', call, type: call.type };
}
