/**
 * Bound expressions: what the binder makes of an AST expression once names and types are resolved.
 * Column references are positions in the input row of the node that evaluates them; functions,
 * operators and casts are already resolved to JavaScript functions. The expression compiler
 * (exec/expr) turns a tree into one JavaScript function per node; nothing here is evaluated per row.
 */
import { Interval, type Datum } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import type { FunctionContext } from '../../functions/registry.js';
import type { LogicalPlan } from '../logical/plan.js';
import type { AggregateCall } from '../logical/aggregate-call.js';
import type { WindowCall } from '../logical/window-call.js';

/** A resolved function, operator or cast; `args` arrive already converted to its argument types. */
export type CallFn = (args: Datum[], ctx: FunctionContext) => Datum;

export type BoundExpr =
  | ColumnExpr
  | OuterExpr
  | ConstExpr
  | ParamRefExpr
  | CallExpr
  | AndExpr
  | OrExpr
  | NotExpr
  | CaseWhenExpr
  | CoalesceExpr
  | IsNullExpr
  | IsBoolExpr
  | SubplanExpr
  | AggPlaceholder
  | WindowPlaceholder
  | SrfPlaceholder;

/** A column of the evaluating node's input row. `label` names it for errors and EXPLAIN (t.x). */
export interface ColumnExpr {
  readonly kind: 'column';
  readonly index: number;
  readonly type: SqlType;
  readonly label: string;
  /** Where the reference was written (for the 42803 grouping error's position). */
  readonly pos?: number;
}
/** A value passed in from the enclosing query's row to a correlated subplan (its `args[index]`). */
export interface OuterExpr { readonly kind: 'outer'; readonly index: number; readonly type: SqlType; readonly label: string }
export interface ConstExpr { readonly kind: 'const'; readonly value: Datum; readonly type: SqlType }
/** `$n` (index 0-based). */
export interface ParamRefExpr { readonly kind: 'param'; readonly index: number; readonly type: SqlType }
export interface CallExpr {
  readonly kind: 'call';
  /** Name for EXPLAIN and structural equality: `int4pl`, `+`, `upper`, `::int8`. */
  readonly label: string;
  readonly fn: CallFn;
  readonly args: readonly BoundExpr[];
  readonly type: SqlType;
  /** NULL in any argument gives NULL without calling fn. */
  readonly strict: boolean;
  /** Volatile calls are evaluated per row and never folded. */
  readonly volatile: boolean;
}
export interface AndExpr { readonly kind: 'and'; readonly args: readonly BoundExpr[]; readonly type: SqlType }
export interface OrExpr { readonly kind: 'or'; readonly args: readonly BoundExpr[]; readonly type: SqlType }
export interface NotExpr { readonly kind: 'not'; readonly arg: BoundExpr; readonly type: SqlType }
export interface CaseWhenExpr {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[];
  readonly else: BoundExpr;
  readonly type: SqlType;
}
export interface CoalesceExpr { readonly kind: 'coalesce'; readonly args: readonly BoundExpr[]; readonly type: SqlType }
export interface IsNullExpr { readonly kind: 'isNull'; readonly arg: BoundExpr; readonly negated: boolean; readonly type: SqlType }
export interface IsBoolExpr {
  readonly kind: 'isBool';
  readonly arg: BoundExpr;
  readonly test: 'true' | 'false' | 'unknown';
  readonly negated: boolean;
  readonly type: SqlType;
}

/**
 * A subquery evaluated per row of the enclosing node (PostgreSQL's SubPlan; the batch form of Apply).
 * `args` are evaluated in the enclosing row and reach the inner plan as OuterExpr values; with no
 * args the subquery is uncorrelated and runs once per execution.
 *  scalar: the single value of the one row (NULL if none; 21000 if more than one)
 *  exists: whether any row comes back; array: ARRAY(SELECT ...)
 *  any/all: `test` compares `left` with each row's single column under SQL's three-valued logic.
 */
export interface SubplanExpr {
  readonly kind: 'subplan';
  readonly mode: 'scalar' | 'exists' | 'array' | 'any' | 'all';
  readonly plan: LogicalPlan;
  readonly args: readonly BoundExpr[];
  readonly left?: BoundExpr;
  /** any/all: the comparison operator as written ('=' for IN). */
  readonly op?: string;
  /** The subquery as written (structure, no positions): equal keys in one scope mean the same subquery. */
  readonly sourceKey?: string;
  readonly test?: (left: Datum, right: Datum) => Datum;
  readonly type: SqlType;
}

/** An aggregate call found while binding; the aggregate rewrite replaces it by a column. */
export interface AggPlaceholder { readonly kind: 'agg'; readonly call: AggregateCall; readonly type: SqlType }
/** A window function call found while binding; the window rewrite replaces it by a column. */
export interface WindowPlaceholder { readonly kind: 'window'; readonly call: WindowCall; readonly type: SqlType }

/**
 * A set-returning function in a select list (generate_series, unnest, _pg_expandarray); the select
 * binder replaces it by the column(s) of a ProjectSet node. `field` picks one field of a composite
 * result (`(f(x)).n`); undefined with several fields means the whole composite.
 */
export interface SrfPlaceholder {
  readonly kind: 'srf';
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly fields: readonly { readonly name: string; readonly type: SqlType }[];
  readonly field: number | undefined;
  readonly type: SqlType;
}

export const Bound = {
  column: (index: number, type: SqlType, label: string): ColumnExpr => ({ kind: 'column', index, type, label }),
  constant: (value: Datum, type: SqlType): ConstExpr => ({ kind: 'const', value, type }),
};

/** The direct children of an expression (subplan plans are not children; their args are). */
export function children(e: BoundExpr): readonly BoundExpr[] {
  switch (e.kind) {
    case 'column': case 'outer': case 'const': case 'param': return [];
    case 'call': case 'and': case 'or': case 'coalesce': return e.args;
    case 'not': case 'isNull': case 'isBool': return [e.arg];
    case 'case': return [...e.whens.flatMap((w) => [w.when, w.then]), e.else];
    case 'subplan': return e.left ? [...e.args, e.left] : e.args;
    case 'agg': return [...e.call.args, ...(e.call.filter ? [e.call.filter] : [])];
    case 'window': return e.call.args;
    case 'srf': return e.args;
    default: { const never: never = e; return never; }
  }
}

/** Rebuild `e` with `f` applied to each child (children in the order `children` lists them). */
export function mapChildren(e: BoundExpr, f: (c: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'column': case 'outer': case 'const': case 'param': return e;
    case 'call': return { ...e, args: e.args.map(f) };
    case 'and': return { ...e, args: e.args.map(f) };
    case 'or': return { ...e, args: e.args.map(f) };
    case 'coalesce': return { ...e, args: e.args.map(f) };
    case 'not': return { ...e, arg: f(e.arg) };
    case 'isNull': return { ...e, arg: f(e.arg) };
    case 'isBool': return { ...e, arg: f(e.arg) };
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: f(e.else) };
    case 'subplan': return { ...e, args: e.args.map(f), left: e.left ? f(e.left) : undefined };
    case 'agg': return e; // aggregate arguments belong to the aggregate's input, rewritten separately
    case 'window': return e;
    case 'srf': return { ...e, args: e.args.map(f) };
    default: { const never: never = e; return never; }
  }
}

/** A string equal for structurally equal expressions (GROUP BY matching, DISTINCT ON, dedup). */
export function exprKey(e: BoundExpr): string {
  switch (e.kind) {
    case 'column': return `#${e.index}`;
    case 'outer': return `^${e.index}`;
    case 'const': return `c(${e.type.kind}:${constText(e.value, true)})`;
    case 'param': return `$${e.index}`;
    case 'call': return `${e.label}(${e.args.map(exprKey).join(',')})`;
    case 'and': case 'or': case 'coalesce': return `${e.kind}(${e.args.map(exprKey).join(',')})`;
    case 'not': return `not(${exprKey(e.arg)})`;
    case 'isNull': return `isnull${e.negated ? '!' : ''}(${exprKey(e.arg)})`;
    case 'isBool': return `is${e.negated ? '!' : ''}${e.test}(${exprKey(e.arg)})`;
    case 'case': return `case(${e.whens.map((w) => `${exprKey(w.when)}:${exprKey(w.then)}`).join(',')};${exprKey(e.else)})`;
    case 'subplan': {
      const plan = e.sourceKey !== undefined ? `:${e.mode}:${e.op ?? ''}:${e.sourceKey}` : `@${subplanIds.get(e.plan) ?? registerSubplan(e.plan)}`;
      return `subplan${plan}(${[...e.args, ...(e.left ? [e.left] : [])].map(exprKey).join(',')})`;
    }
    case 'agg': return `agg:${e.call.name}${e.call.distinct ? ' distinct' : ''}(${e.call.args.map(exprKey).join(',')})${e.call.filter ? `filter(${exprKey(e.call.filter)})` : ''}`;
    case 'window': return `win:${e.call.name}`;
    case 'srf': return `srf:${e.name}(${e.args.map(exprKey).join(',')})${e.field === undefined ? '' : `.${e.field}`}`;
    default: { const never: never = e; return never; }
  }
}

const subplanIds = new WeakMap<object, number>();
let nextSubplanId = 1;
function registerSubplan(p: object): number {
  const id = nextSubplanId++;
  subplanIds.set(p, id);
  return id;
}

/** True when the expression reads no row, parameter, subplan or volatile function. */
export function isConstant(e: BoundExpr): boolean {
  if (e.kind === 'const') return true;
  if (e.kind === 'column' || e.kind === 'outer' || e.kind === 'param' || e.kind === 'subplan' || e.kind === 'agg' || e.kind === 'window' || e.kind === 'srf') return false;
  if (e.kind === 'call' && e.volatile) return false;
  return children(e).every(isConstant);
}

/** EXPLAIN text of an expression. */
export function exprText(e: BoundExpr): string {
  switch (e.kind) {
    case 'column': return e.label;
    case 'outer': return `outer(${e.label})`;
    case 'const': return constText(e.value, false);
    case 'param': return `$${e.index + 1}`;
    case 'call': return /^[^a-z_]/.test(e.label) && e.args.length === 2 ? `(${exprText(e.args[0]!)} ${e.label} ${exprText(e.args[1]!)})` : `${e.label}(${e.args.map(exprText).join(', ')})`;
    case 'and': return `(${e.args.map(exprText).join(' AND ')})`;
    case 'or': return `(${e.args.map(exprText).join(' OR ')})`;
    case 'not': return `NOT ${exprText(e.arg)}`;
    case 'coalesce': return `COALESCE(${e.args.map(exprText).join(', ')})`;
    case 'isNull': return `${exprText(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'isBool': return `${exprText(e.arg)} IS ${e.negated ? 'NOT ' : ''}${e.test.toUpperCase()}`;
    case 'case': return `CASE ${e.whens.map((w) => `WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join(' ')} ELSE ${exprText(e.else)} END`;
    case 'subplan': return `${e.mode.toUpperCase()}(subplan${e.args.length ? `, correlated on ${e.args.map(exprText).join(', ')}` : ''})`;
    case 'agg': return `${e.call.name}(...)`;
    case 'window': return `${e.call.name}() OVER (...)`;
    case 'srf': return `${e.name}(${e.args.map(exprText).join(', ')})${e.field === undefined ? '' : `.${e.fields[e.field]!.name}`}`;
    default: { const never: never = e; return never; }
  }
}

/**
 * A constant as text: for EXPLAIN, and (exact) for exprKey, where two different constants must never
 * print the same (an interval or bytea would otherwise all print "[object Object]").
 */
function constText(v: Datum, exact: boolean): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return exact ? JSON.stringify(v) : `'${v}'`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v !== 'object') return String(v);
  if (v instanceof Interval) return `interval(${v.months} mon ${v.days} day ${v.micros} us)`;
  if (v instanceof Uint8Array) return `'\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
  if (Array.isArray(v)) return `{${v.map((x) => constText(x, exact)).join(',')}}`;
  return exact ? JSON.stringify(String(v)) : String(v);
}
