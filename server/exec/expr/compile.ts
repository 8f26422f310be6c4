/**
 * The expression compiler: a bound expression becomes ONE JavaScript function (built with
 * `new Function`) that loops over a chunk's rows and fills an output column. Resolved functions,
 * casts and constants are captured in a closure array; SQL's three-valued AND/OR/NOT, CASE and
 * COALESCE short-circuit per row, and strict calls skip evaluation when an argument is NULL.
 * Numeric constant +, -, * an integer runs fused (numeric-int-fusion.ts); a bare column is copied.
 */
import { SqlError, SQLSTATE, err } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import type { BoundExpr, SubplanExpr } from '../../plan/bound/expr.js';
import type { ExprEnv } from './env.js';
import { hashedInList } from './hashed-in-list.js';
import { fuseNumericIntCall } from './numeric-int-fusion.js';

/** Evaluates over `n` rows of `cols`; rows hidden by `visibility` give NULL without evaluation. */
export type ColumnEvaluator = (cols: readonly Datum[][], n: number, env: ExprEnv, visibility?: Uint8Array | null) => Datum[];

type SubplanFn = (args: Datum[], left: Datum, env: ExprEnv) => Datum;

class CodeGen {
  readonly consts: unknown[] = [];
  readonly columns = new Set<number>();
  private next = 0;

  constant(v: unknown): string {
    this.consts.push(v);
    return `K[${this.consts.length - 1}]`;
  }

  fresh(): string {
    return `v${this.next++}`;
  }

  literal(v: Datum): string {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return String(v);
    return this.constant(v);
  }

  /** Appends statements computing `e` to `out`; returns a JS expression holding its value. */
  emit(e: BoundExpr, out: string[]): string {
    switch (e.kind) {
      case 'column':
        if (e.index < 0) throw err.internal('placeholder column reached the compiler');
        this.columns.add(e.index);
        return `C${e.index}[i]`;
      case 'outer':
        return `O[${e.index}]`;
      case 'const':
        return this.literal(e.value);
      case 'param':
        return `(P[${e.index}] ?? null)`;
      case 'call': {
        const fused = fuseNumericIntCall(e);
        if (fused) {
          const x = this.hold(fused.intArg, out);
          const v = this.fresh();
          out.push(`let ${v} = ${x} === null ? null : ${this.constant(fused.fn)}(${x});`);
          return v;
        }
        const args = e.args.map((a) => this.hold(a, out));
        const v = this.fresh();
        const call = `${this.constant(e.fn)}([${args.join(', ')}], X)`;
        if (e.strict && args.length > 0) {
          out.push(`let ${v} = (${args.map((a) => `${a} === null`).join(' || ')}) ? null : ${call};`);
        } else {
          out.push(`let ${v} = ${call};`);
        }
        return v;
      }
      case 'and':
      case 'or': {
        const hashed = e.kind === 'or' ? hashedInList(e) : undefined;
        if (hashed) {
          const x = this.hold(hashed.operand, out);
          const v = this.fresh();
          const miss = hashed.hasNull ? 'null' : 'false';
          out.push(`let ${v} = ${x} === null ? null : ${this.constant(hashed.values)}.has(${x}) ? true : ${miss};`);
          return v;
        }
        // AND: false wins, else NULL if any NULL, else true. OR: the mirror image.
        // One flat labelled block, left by `break` at the deciding argument: no nesting per argument,
        // so an OR of thousands of terms (a long IN list) compiles like a short one.
        const stop = e.kind === 'and' ? 'false' : 'true';
        const v = this.fresh();
        out.push(`let ${v} = ${e.kind === 'and' ? 'true' : 'false'};`);
        const block: string[] = [];
        for (const arg of e.args) {
          const a = this.emit(arg, block);
          block.push(`if (${a} === ${stop}) { ${v} = ${stop}; break ${v}_done; }`);
          block.push(`if (${a} === null) ${v} = null;`);
        }
        out.push(`${v}_done: {`);
        out.push(block as unknown as string); // a nested block, flattened by flatten()
        out.push('}');
        return v;
      }
      case 'not': {
        const a = this.hold(e.arg, out);
        const v = this.fresh();
        out.push(`let ${v} = ${a} === null ? null : !${a};`);
        return v;
      }
      case 'case': {
        const v = this.fresh();
        out.push(`let ${v} = null;`);
        let block = out;
        for (const w of e.whens) {
          const c = this.emit(w.when, block);
          const then: string[] = [];
          const t = this.emit(w.then, then);
          then.push(`${v} = ${t};`);
          const rest: string[] = [];
          block.push(`if (${c} === true) {`, then as unknown as string, '} else {', rest as unknown as string, '}');
          block = rest;
        }
        const el = this.emit(e.else, block);
        block.push(`${v} = ${el};`);
        return v;
      }
      case 'coalesce': {
        const v = this.fresh();
        out.push(`let ${v} = null;`);
        let block = out;
        for (const arg of e.args) {
          const a = this.emit(arg, block);
          const rest: string[] = [];
          block.push(`${v} = ${a};`, `if (${v} === null) {`, rest as unknown as string, '}');
          block = rest;
        }
        return v;
      }
      case 'isNull': {
        const a = this.hold(e.arg, out);
        return `(${a} ${e.negated ? '!==' : '==='} null)`;
      }
      case 'isBool': {
        const a = this.hold(e.arg, out);
        const test = e.test === 'unknown' ? 'null' : e.test;
        return `(${a} ${e.negated ? '!==' : '==='} ${test})`;
      }
      case 'subplan': {
        const args = e.args.map((a) => this.hold(a, out));
        const left = e.left ? this.hold(e.left, out) : 'null';
        const v = this.fresh();
        out.push(`let ${v} = ${this.constant(subplanEvaluator(e))}([${args.join(', ')}], ${left}, E);`);
        return v;
      }
      case 'agg':
      case 'window':
      case 'srf':
        throw err.internal(`${e.kind} placeholder reached the expression compiler`);
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  /** Like emit, but the value is in a variable (so it is computed once). */
  private hold(e: BoundExpr, out: string[]): string {
    const x = this.emit(e, out);
    if (/^v\d+$/.test(x) || /^[A-Z]\d*\[[^\]]+\]$/.test(x) || x === 'null' || x === 'true' || x === 'false' || /^-?\d/.test(x)) return x;
    const v = this.fresh();
    out.push(`const ${v} = ${x};`);
    return v;
  }
}

/** Flattens the nested blocks (arrays pushed as placeholders) into source lines. */
function flatten(lines: readonly (string | string[])[], indent: string, acc: string[]): string[] {
  for (const l of lines) {
    if (Array.isArray(l)) flatten(l, indent + '  ', acc);
    else acc.push(indent + l);
  }
  return acc;
}

function subplanEvaluator(e: SubplanExpr): SubplanFn {
  const plan = e.plan;
  const test = e.test;
  switch (e.mode) {
    case 'scalar':
      return (args, _left, env) => {
        const rows = env.subplans.run(plan, args, 2);
        if (rows.length > 1) throw new SqlError(SQLSTATE.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
        return rows.length === 0 ? null : rows[0]![0]!;
      };
    case 'exists':
      return (args, _left, env) => env.subplans.run(plan, args, 1).length > 0;
    case 'array':
      return (args, _left, env) => env.subplans.run(plan, args, undefined).map((r) => r[0]!);
    case 'any':
    case 'all': {
      const isAny = e.mode === 'any';
      return (args, left, env) => {
        const rows: Row[] = env.subplans.run(plan, args, undefined);
        let sawNull = false;
        for (const r of rows) {
          const v = r[0]!;
          const res = left === null || v === null ? null : test!(left, v);
          if (res === null) sawNull = true;
          else if (isAny && res === true) return true;
          else if (!isAny && res === false) return false;
        }
        return sawNull ? null : !isAny;
      };
    }
    default: {
      const never: never = e.mode;
      return never;
    }
  }
}

/**
 * A bare column reference: a copy of the input column (callers own the array they get), made by
 * `slice` when no row is hidden, which copies far faster than a loop of element stores.
 */
function columnCopy(c: number): ColumnEvaluator {
  return (cols, n, _env, vis) => {
    const col = cols[c]!;
    if (!vis && col.length >= n) return col.slice(0, n);
    const out = new Array<Datum>(n);
    for (let i = 0; i < n; i++) out[i] = vis && vis[i] === 0 ? null : col[i]!;
    return out;
  };
}

/** Compiles `e` once; the result is called per chunk. */
export function compileExpr(e: BoundExpr): ColumnEvaluator {
  if (e.kind === 'column' && e.index >= 0) return columnCopy(e.index);
  const gen = new CodeGen();
  const body: string[] = [];
  const result = gen.emit(e, body);
  const cols = [...gen.columns].sort((a, b) => a - b);
  const src = [
    'return function evaluate(cols, n, E, vis) {',
    '  const out = new Array(n);',
    '  const P = E.params, O = E.outer, X = E.ctx.fn;',
    ...cols.map((c) => `  const C${c} = cols[${c}];`),
    '  for (let i = 0; i < n; i++) {',
    '    if (vis && vis[i] === 0) { out[i] = null; continue; }',
    ...flatten(body as (string | string[])[], '    ', []),
    `    out[i] = ${result};`,
    '  }',
    '  return out;',
    '};',
  ].join('\n');
  const factory = new Function('K', src) as (k: unknown[]) => ColumnEvaluator;
  return factory(gen.consts);
}

/** Evaluates a compiled expression on one row (for DML values, defaults, constants). */
export function evaluateOnRow(f: ColumnEvaluator, row: readonly Datum[], env: ExprEnv): Datum {
  const cols = row.map((v) => [v]);
  return f(cols, 1, env)[0]!;
}
