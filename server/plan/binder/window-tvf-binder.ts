/**
 * Binds the window table functions in FROM: `TUMBLE(rel, time_col, size)`,
 * `HOP(rel, time_col, slide, size)` and `SESSION(rel, time_col, gap)` (rel: a table, stream, view or CTE name, or a parenthesised query;
 * time_col: a column of rel, bare or as DESCRIPTOR(col)). Sizes must be constant, month-free, positive
 * intervals, evaluated here so a bad one fails at bind (CREATE) time. Produces a WindowTvfNode, or a
 * SessionWindowNode with one partition (plan/rules/session-partition.ts partitions it by GROUP BY).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Expr, FuncCallExpr, FunctionRef } from '../../sql/ast.js';
import type { FunctionContext } from '../../functions/registry.js';
import { Interval, type Datum } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/plan.js';
import { SessionWindowNode } from '../logical/session-window.js';
import { WindowTvfNode, type WindowAssignment } from '../logical/window-tvf.js';
import { typeDisplayName } from '../type-runtime.js';
import { coerce } from './coerce.js';
import { bindExpr, exprPos } from './expr-binder.js';
import type { ExprScope } from './expr-scope.js';
import { bindFromItem, scopeOf, type BoundFrom } from './from-binder.js';

const MICROS_PER_DAY = 86_400_000_000;

/** More windows than this per row is almost surely a unit mistake (HOP with slide 1 µs, size 1 day). */
const MAX_WINDOWS_PER_ROW = 100_000;

type WindowTvfName = 'tumble' | 'hop' | 'session';

const SIGNATURES: Record<WindowTvfName, { readonly args: readonly string[] }> = {
  tumble: { args: ['relation', 'time column', 'size'] },
  hop: { args: ['relation', 'time column', 'slide', 'size'] },
  session: { args: ['relation', 'time column', 'gap'] },
};

/** True for a FROM function that is a window table function (unqualified TUMBLE, HOP or SESSION). */
export function isWindowTvfCall(call: FuncCallExpr): boolean {
  return call.schema === undefined && (call.name === 'tumble' || call.name === 'hop' || call.name === 'session');
}

export function bindWindowTvf(f: FunctionRef, s: ExprScope): BoundFrom {
  const call = f.call;
  const name = call.name as WindowTvfName;
  const upper = name.toUpperCase();
  const signature = SIGNATURES[name];
  if (call.args.length !== signature.args.length || call.star) {
    throw new SqlError(SQLSTATE.undefinedFunction, `function ${name} with ${call.star ? '*' : call.args.length} argument${call.args.length === 1 ? '' : 's'} does not exist`, {
      position: call.pos,
      hint: `${upper} takes ${signature.args.length} arguments: ${upper}(${signature.args.join(', ')}).`,
    });
  }
  if (call.distinct || call.orderBy || call.filter || call.over) {
    throw new SqlError(SQLSTATE.wrongObjectType, `${upper} is a table function: DISTINCT, ORDER BY, FILTER and OVER do not apply`, { position: call.pos });
  }
  const input = bindRelationArg(call.args[0]!, upper, s);
  const timeColumn = bindTimeColumn(call.args[1]!, input, upper);
  const relScope: ExprScope = {
    ...s,
    from: scopeOf(input, undefined),
    aggregates: `aggregate functions are not allowed in ${upper} arguments`,
    windows: `window functions are not allowed in ${upper} arguments`,
  };
  const duration = (arg: Expr, what: string) => constantDuration(arg, `${what} of ${upper}`, relScope);
  if (name === 'session') {
    const plan = new SessionWindowNode(input, timeColumn, duration(call.args[2]!, 'session gap'));
    return { plan, scope: scopeOf(plan, f.alias ?? name, f.columnAliases) };
  }
  const assignment: WindowAssignment =
    name === 'tumble'
      ? { kind: 'tumble', size: duration(call.args[2]!, 'window size') }
      : { kind: 'hop', slide: duration(call.args[2]!, 'window slide'), size: duration(call.args[3]!, 'window size') };
  if (assignment.kind === 'hop' && Math.ceil(assignment.size / assignment.slide) > MAX_WINDOWS_PER_ROW) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `HOP would put each row in more than ${MAX_WINDOWS_PER_ROW} windows`, {
      position: exprPos(call.args[2]!),
      hint: 'Use a larger slide or a smaller size.',
    });
  }
  const plan = new WindowTvfNode(input, timeColumn, assignment);
  return { plan, scope: scopeOf(plan, f.alias ?? name, f.columnAliases) };
}

/** The first argument: a relation name (table, stream, view, CTE) or a parenthesised query. */
function bindRelationArg(arg: Expr, upper: string, s: ExprScope): LogicalPlan {
  if (arg.kind === 'columnRef') {
    if (arg.schema !== undefined) {
      throw new SqlError(SQLSTATE.undefinedTable, `relation "${arg.schema}.${arg.table}.${arg.column}" does not exist`, { position: arg.pos });
    }
    const name = arg.table === undefined ? { name: arg.column, pos: arg.pos } : { schema: arg.table, name: arg.column, pos: arg.pos };
    return bindFromItem({ kind: 'table', name, pos: arg.pos }, s).plan;
  }
  if (arg.kind === 'subquery' && !arg.array) return bindFromItem({ kind: 'subquery', query: arg.query }, s).plan;
  throw new SqlError(SQLSTATE.wrongObjectType, `the first argument of ${upper} must be a table, stream or view name`, { position: exprPos(arg) });
}

/** The second argument: a column of the relation, of type timestamp or timestamptz. */
function bindTimeColumn(arg: Expr, input: LogicalPlan, upper: string): number {
  const ref = arg.kind === 'func' && arg.name === 'descriptor' && arg.schema === undefined && arg.args.length === 1 ? arg.args[0]! : arg;
  if (ref.kind !== 'columnRef' || ref.schema !== undefined) {
    throw new SqlError(SQLSTATE.datatypeMismatch, `the second argument of ${upper} must be a column of its relation`, { position: exprPos(arg) });
  }
  // The relation's columns by their own names; a qualifier, if written, is not checked against them.
  const matches: number[] = [];
  input.schema.forEach((c, i) => {
    if (c.name === ref.column) matches.push(i);
  });
  if (matches.length === 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${ref.column}" does not exist`, { position: ref.pos });
  if (matches.length > 1) throw new SqlError(SQLSTATE.ambiguousColumn, `column reference "${ref.column}" is ambiguous`, { position: ref.pos });
  const index = matches[0]!;
  const type = input.schema[index]!.type;
  if (type.kind !== 'timestamp' && type.kind !== 'timestamptz') {
    throw new SqlError(SQLSTATE.datatypeMismatch, `the time column of ${upper} must be of type timestamp or timestamp with time zone, not ${typeDisplayName(type)}`, {
      position: ref.pos,
    });
  }
  return index;
}

/** A size or slide argument: a constant interval without months, > 0, in microseconds. */
function constantDuration(arg: Expr, what: string, s: ExprScope): number {
  const pos = exprPos(arg);
  const raw = bindExpr(arg, s);
  const bound = coerce(raw, T.interval, 'implicit', s.state, pos, `${what} must be of type interval, not ${typeDisplayName(raw.type)}`);
  const value = evaluateConstant(bound, s.state.ctx.fn);
  if (value === undefined) throw new SqlError(SQLSTATE.invalidParameterValue, `${what} must be a constant`, { position: pos });
  if (value === null) throw new SqlError(SQLSTATE.invalidParameterValue, `${what} must not be null`, { position: pos });
  if (!(value instanceof Interval)) throw new SqlError(SQLSTATE.internalError, `${what} did not evaluate to an interval`);
  if (value.months !== 0) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `${what} must not contain months or years`, {
      position: pos,
      hint: 'Months differ in length, so windows are measured in days and smaller units.',
    });
  }
  const micros = value.days * MICROS_PER_DAY + value.micros;
  if (!(micros > 0)) throw new SqlError(SQLSTATE.invalidParameterValue, `${what} must be greater than zero`, { position: pos });
  return micros;
}

/** The value of an expression built only from constants and non-volatile calls; undefined otherwise. */
function evaluateConstant(e: BoundExpr, fn: FunctionContext): Datum | undefined {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'call': {
      if (e.volatile) return undefined;
      const args: Datum[] = [];
      for (const a of e.args) {
        const v = evaluateConstant(a, fn);
        if (v === undefined) return undefined;
        if (v === null && e.strict) return null;
        args.push(v);
      }
      return e.fn(args, fn);
    }
    default:
      return undefined;
  }
}
