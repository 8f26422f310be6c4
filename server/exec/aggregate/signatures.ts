/**
 * Which aggregate and window functions exist and what they return, PostgreSQL's way: count -> int8,
 * sum(int2/int4) -> int8, sum(int8) -> numeric, avg(integer types) -> numeric, stddev/variance of
 * floats -> float8 and of exact types -> numeric. The accumulators live in accumulators.ts.
 */
import { T, arrayOf, isNumericKind, type SqlType } from '../../types/sql-type.js';

export interface AggregateSignature {
  readonly argTypes: readonly SqlType[];
  readonly returns: SqlType;
}

const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'string_agg', 'array_agg',
  'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop',
]);

const WINDOW_ONLY = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);

export function isAggregateName(name: string): boolean {
  return AGGREGATES.has(name);
}

export function isWindowOnlyName(name: string): boolean {
  return WINDOW_ONLY.has(name);
}

const exact = (t: SqlType) => t.kind === 'int2' || t.kind === 'int4' || t.kind === 'int8' || t.kind === 'numeric';

/** The aggregate's signature for these argument types (unknowns already defaulted), or undefined. */
export function resolveAggregate(name: string, argTypes: readonly SqlType[], star: boolean): AggregateSignature | undefined {
  if (name === 'count') return star || argTypes.length === 1 ? { argTypes, returns: T.int8 } : undefined;
  if (argTypes.length === 0) return undefined;
  const t = argTypes[0]!;
  const one = argTypes.length === 1;
  switch (name) {
    case 'sum':
      if (!one) return undefined;
      if (t.kind === 'int2' || t.kind === 'int4') return { argTypes, returns: T.int8 };
      if (t.kind === 'int8' || t.kind === 'numeric') return { argTypes, returns: T.numeric };
      if (t.kind === 'float4' || t.kind === 'float8' || t.kind === 'interval') return { argTypes, returns: t };
      return undefined;
    case 'avg':
      if (!one) return undefined;
      if (exact(t)) return { argTypes, returns: T.numeric };
      if (t.kind === 'float4' || t.kind === 'float8') return { argTypes, returns: T.float8 };
      return undefined;
    case 'min': case 'max':
      if (!one || t.kind === 'json' || t.kind === 'bool') return undefined;
      return { argTypes: [t.kind === 'unknown' ? T.text : t], returns: t.kind === 'unknown' ? T.text : { ...t, typmod: -1 } };
    case 'bool_and': case 'bool_or': case 'every':
      return one && (t.kind === 'bool' || t.kind === 'unknown') ? { argTypes: [T.bool], returns: T.bool } : undefined;
    case 'string_agg':
      if (argTypes.length !== 2) return undefined;
      if (t.kind === 'bytea') return { argTypes: [T.bytea, T.bytea], returns: T.bytea };
      return { argTypes: [T.text, T.text], returns: T.text };
    case 'array_agg':
      return one ? { argTypes: [t.kind === 'unknown' ? T.text : t], returns: arrayOf(t.kind === 'unknown' ? T.text : t) } : undefined;
    case 'stddev': case 'stddev_samp': case 'stddev_pop': case 'variance': case 'var_samp': case 'var_pop':
      if (!one || !isNumericKind(t.kind)) return undefined;
      return { argTypes, returns: t.kind === 'float4' || t.kind === 'float8' ? T.float8 : T.numeric };
    default:
      return undefined;
  }
}

/** Window-only functions' result types (ranking, offsets, values). */
export function resolveWindowFunction(name: string, argTypes: readonly SqlType[]): AggregateSignature | undefined {
  switch (name) {
    case 'row_number': case 'rank': case 'dense_rank': return argTypes.length === 0 ? { argTypes, returns: T.int8 } : undefined;
    case 'percent_rank': case 'cume_dist': return argTypes.length === 0 ? { argTypes, returns: T.float8 } : undefined;
    case 'ntile': return argTypes.length === 1 ? { argTypes: [T.int4], returns: T.int4 } : undefined;
    case 'lag': case 'lead': {
      if (argTypes.length < 1 || argTypes.length > 3) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? T.text : argTypes[0]!;
      return { argTypes: [t, T.int4, t].slice(0, argTypes.length), returns: t };
    }
    case 'first_value': case 'last_value': {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? T.text : argTypes[0]!;
      return { argTypes: [t], returns: t };
    }
    case 'nth_value': {
      if (argTypes.length !== 2) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? T.text : argTypes[0]!;
      return { argTypes: [t, T.int4], returns: t };
    }
    default: return undefined;
  }
}
