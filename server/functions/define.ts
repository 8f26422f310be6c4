/**
 * Declaring built-in functions compactly: `defineFunction` turns a list of overloads (parameter
 * types, return type, implementation) into one FunctionDef that resolves a call the way PostgreSQL
 * picks among candidates: arguments must cast implicitly, exact type matches win, ties go to the
 * earlier overload (lists put the preferred type first). ANY_ARRAY / ANY_TYPE are polymorphic slots.
 */
import { canCast } from '../types/cast.js';
import type { Datum } from '../types/datum.js';
import { T, type SqlType } from '../types/sql-type.js';
import { builtinFunctions, type FunctionContext, type FunctionDef, type ResolvedSignature } from './registry.js';

/** Polymorphic parameter: any array (the resolved argument type is the argument's own type). */
export const ANY_ARRAY: SqlType = Object.freeze({ kind: 'array', typmod: -2 });
/** Polymorphic parameter: any type, unknown literals become text. */
export const ANY_TYPE: SqlType = Object.freeze({ kind: 'void', typmod: -2 });

export type Impl = (args: readonly Datum[], ctx: FunctionContext, resolved: ResolvedSignature) => Datum;

export interface Overload {
  readonly params: readonly SqlType[];
  /** Extra trailing arguments of this type (VARIADIC). */
  readonly variadic?: SqlType;
  readonly returns: SqlType | ((argTypes: readonly SqlType[]) => SqlType);
  readonly impl: Impl;
  /** This overload's volatility, when it differs from the function's. */
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
}

export interface FunctionOptions {
  readonly strict?: boolean; // default true
  readonly volatility?: 'immutable' | 'stable' | 'volatile'; // default immutable
}

function matchParam(param: SqlType, arg: SqlType): { type: SqlType; exact: boolean } | undefined {
  if (param === ANY_TYPE) return { type: arg.kind === 'unknown' ? T.text : arg, exact: true };
  if (param === ANY_ARRAY) {
    if (arg.kind === 'array') return { type: arg, exact: true };
    if (arg.kind === 'int2vector') return { type: { kind: 'array', typmod: -1, element: T.int2 }, exact: false };
    if (arg.kind === 'oidvector') return { type: { kind: 'array', typmod: -1, element: T.oid }, exact: false };
    return undefined;
  }
  if (arg.kind === param.kind && (arg.kind !== 'array' || arg.element?.kind === param.element?.kind)) return { type: param, exact: true };
  if (canCast(arg, param, 'implicit')) return { type: param, exact: false };
  return undefined;
}

function tryOverload(o: Overload, argTypes: readonly SqlType[]): { sig: ResolvedSignature; score: number } | undefined {
  const n = argTypes.length;
  if (o.variadic ? n < o.params.length : n !== o.params.length) return undefined;
  const resolved: SqlType[] = [];
  let score = 0;
  for (let i = 0; i < n; i++) {
    const param = i < o.params.length ? o.params[i] : o.variadic!;
    const m = matchParam(param, argTypes[i]);
    if (!m) return undefined;
    if (m.exact) score++;
    resolved.push(m.type);
  }
  const returns = typeof o.returns === 'function' ? o.returns(resolved) : o.returns;
  return { sig: { argTypes: resolved, returns, ...(o.volatility ? { volatility: o.volatility } : {}) }, score };
}

/** Build (and register in `builtinFunctions`) a function with these overloads. */
export function defineFunction(name: string, overloads: readonly Overload[], options: FunctionOptions = {}): FunctionDef {
  const implBySig = new WeakMap<ResolvedSignature, Impl>();
  const def: FunctionDef = {
    name,
    strict: options.strict ?? true,
    volatility: options.volatility ?? 'immutable',
    resolve(argTypes) {
      let best: { sig: ResolvedSignature; score: number; impl: Impl } | undefined;
      for (const o of overloads) {
        const r = tryOverload(o, argTypes);
        if (r && (!best || r.score > best.score)) best = { ...r, impl: o.impl };
      }
      if (!best) return undefined;
      implBySig.set(best.sig, best.impl);
      return best.sig;
    },
    impl(args, ctx, resolved) {
      let impl = implBySig.get(resolved);
      if (!impl) {
        // a signature rebuilt elsewhere (e.g. after plan serialization): resolve again
        const again = def.resolve(resolved.argTypes);
        impl = again ? implBySig.get(again) : undefined;
        if (!impl) throw new Error(`${name}: no implementation for the resolved signature`);
        implBySig.set(resolved, impl);
      }
      return impl(args, ctx, resolved);
    },
  };
  builtinFunctions.register(def);
  return def;
}

/** Shorthand for an overload. */
export function over(params: readonly SqlType[], returns: Overload['returns'], impl: Impl): Overload {
  return { params, returns, impl };
}

/** The session time zone a function should use. */
export function sessionTimeZone(ctx: FunctionContext): string {
  return ctx.setting('timezone') ?? 'UTC';
}
