/**
 * A tiny expression model for oracle tests: each node knows its PostgreSQL SQL text and how to
 * evaluate itself with Freshet's runtime (parseText, castDatum, binaryOperator, builtinFunctions),
 * so one generated expression is checked against PostgreSQL's `(expr)::text` byte for byte.
 */
import type { CatalogReader } from '../../server/catalog/model.js';
import { SqlError } from '../../server/errors.js';
import '../../server/functions/index.js';
import { builtinFunctions, type FunctionContext } from '../../server/functions/registry.js';
import { castDatum } from '../../server/types/cast.js';
import type { Datum } from '../../server/types/datum.js';
import { numericTypmod } from '../../server/types/numeric.js';
import { binaryOperator, unaryOperator } from '../../server/types/operators.js';
import { T, type SqlType } from '../../server/types/sql-type.js';
import { typeDisplayName } from '../../server/types/text-io.js';

export interface Env {
  readonly timeZone: string;
  readonly statementTime: number;
}

export interface Expr {
  readonly sql: string;
  readonly type: SqlType;
  eval(env: Env): Datum;
}

export function sqlTypeName(t: SqlType): string {
  if (t.kind === 'varchar' && t.typmod >= 4) return `varchar(${t.typmod - 4})`;
  if (t.kind === 'bpchar') return t.typmod >= 4 ? `char(${t.typmod - 4})` : 'bpchar';
  if (t.kind === 'numeric' && t.typmod >= 4) {
    const tm = numericTypmod(t.typmod)!;
    return `numeric(${tm.precision},${tm.scale})`;
  }
  if ((t.kind === 'timestamp' || t.kind === 'timestamptz' || t.kind === 'time') && t.typmod >= 0) {
    return `${t.kind}(${t.typmod})`;
  }
  return typeDisplayName(t);
}

function sqlQuote(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

export function lit(text: string, type: SqlType): Expr {
  // a typed literal is an explicit cast of an unknown-type constant
  return { sql: `${sqlQuote(text)}::${sqlTypeName(type)}`, type, eval: (env) => castDatum(text, T.unknown, type, true, { timeZone: env.timeZone }) };
}

export function cast(e: Expr, to: SqlType): Expr {
  return { sql: `CAST(${e.sql} AS ${sqlTypeName(to)})`, type: to, eval: (env) => castDatum(e.eval(env), e.type, to, true, { timeZone: env.timeZone }) };
}

/** Assignment-style cast (as INSERT does): PostgreSQL side uses a typed VALUES row via a function. */
export function op(o: string, a: Expr, b: Expr): Expr {
  const r = binaryOperator(o, a.type, b.type);
  if (!r) throw new Error(`no operator ${a.type.kind} ${o} ${b.type.kind}`);
  return {
    sql: `(${a.sql} ${o} ${b.sql})`,
    type: r.returns,
    eval: (env) => {
      const rr = binaryOperator(o, a.type, b.type, { timeZone: env.timeZone })!;
      const x = a.eval(env);
      const y = b.eval(env);
      if (x === null || y === null) return null;
      const ctx = { timeZone: env.timeZone };
      return rr.fn(castDatum(x, a.type, rr.leftType, false, ctx), castDatum(y, b.type, rr.rightType, false, ctx));
    },
  };
}

export function neg(a: Expr): Expr {
  const r = unaryOperator('-', a.type);
  if (!r) throw new Error(`no unary - for ${a.type.kind}`);
  return { sql: `(- ${a.sql})`, type: r.returns, eval: (env) => {
    const x = a.eval(env);
    return x === null ? null : r.fn(castDatum(x, a.type, r.operandType, false));
  } };
}

function fnContext(env: Env): FunctionContext {
  return {
    catalog: {} as CatalogReader,
    setting: (name) => (name === 'timezone' ? env.timeZone : undefined),
    user: 'freshet',
    statementTime: env.statementTime,
  };
}

/** EXTRACT(field FROM x): the function extract(text, x) with PostgreSQL's syntax. */
export function extract(field: string, arg: Expr): Expr {
  const e = call('extract', lit(field, T.text), arg);
  return { ...e, sql: `EXTRACT(${field} FROM ${arg.sql})` };
}

export function call(name: string, ...args: Expr[]): Expr {
  const resolved = builtinFunctions.resolve(name, args.map((a) => a.type));
  if (!resolved) throw new Error(`no function ${name}(${args.map((a) => a.type.kind).join(', ')})`);
  const { def, signature } = resolved;
  return {
    sql: `${name}(${args.map((a) => a.sql).join(', ')})`,
    type: signature.returns,
    eval: (env) => {
      const values = args.map((a, i) => castDatum(a.eval(env), a.type, signature.argTypes[i], false, { timeZone: env.timeZone }));
      if (def.strict && values.some((v) => v === null)) return null;
      return def.impl(values, fnContext(env), signature);
    },
  };
}

/** Evaluate to PostgreSQL's text form, 'NULL', or 'ERROR <sqlstate>'. */
export function evalToText(e: Expr, env: Env): string {
  try {
    const v = e.eval(env);
    // the oracle prints (expr)::text, which is a cast (bool gives 'true', char(n) drops padding)
    return v === null ? 'NULL' : (castDatum(v, e.type, T.text, true, { timeZone: env.timeZone }) as string);
  } catch (err) {
    if (err instanceof SqlError) return `ERROR ${err.code}`;
    return `CRASH ${(err as Error).message}`;
  }
}
