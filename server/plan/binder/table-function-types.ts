/**
 * Result types of the set-returning functions (in FROM or in a select list): generate_series,
 * unnest, generate_subscripts and information_schema._pg_expandarray, which yields (x, n) pairs.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import { commonSupertype, typeDisplayName } from '../type-runtime.js';
import { coerce } from './coerce.js';
import type { ExprScope } from './expr-scope.js';

const SET_RETURNING = new Set(['generate_series', 'unnest', 'generate_subscripts', '_pg_expandarray']);

export function isSetReturningFunction(name: string): boolean {
  return SET_RETURNING.has(name);
}

/** Field names of a composite result (one field: the function's own name is used instead). */
export function tableFunctionFieldNames(name: string, width: number): string[] {
  if (name === '_pg_expandarray') return ['x', 'n'];
  return Array.from({ length: width }, (_, i) => (width === 1 ? name : `${name}${i + 1}`));
}

export function tableFunctionTypes(name: string, args: readonly BoundExpr[], s: ExprScope, pos: number | undefined): { types: SqlType[]; argsCoerced: BoundExpr[] } {
  const fail = () => new SqlError(SQLSTATE.undefinedFunction, `function ${name}(${args.map((a) => typeDisplayName(a.type)).join(', ')}) does not exist`, { position: pos });
  switch (name) {
    case 'generate_series': {
      if (args.length < 2 || args.length > 3) throw fail();
      const known = args.slice(0, 2).map((a) => a.type).filter((t) => t.kind !== 'unknown');
      let t = commonSupertype(args.slice(0, 2).map((a) => a.type)) ?? T.int4;
      if (known.length === 0) t = T.int4;
      if (t.kind === 'int2') t = T.int4;
      if (t.kind === 'float4' || t.kind === 'float8') t = T.numeric;
      if (t.kind === 'date') t = T.timestamp;
      if (!['int4', 'int8', 'numeric', 'timestamp', 'timestamptz'].includes(t.kind)) throw fail();
      const stepType = t.kind === 'timestamp' || t.kind === 'timestamptz' ? T.interval : t;
      if (stepType.kind === 'interval' && args.length !== 3) throw fail();
      const coerced = args.map((a, i) => coerce(a, i < 2 ? t : stepType, 'implicit', s.state, pos));
      return { types: [t], argsCoerced: coerced };
    }
    case 'unnest': {
      if (args.length < 1) throw fail();
      const types = args.map((a) => {
        if (a.type.kind !== 'array') throw fail();
        return a.type.element ?? T.text;
      });
      return { types, argsCoerced: [...args] };
    }
    case 'generate_subscripts': {
      if (args.length < 2 || args[0]!.type.kind !== 'array') throw fail();
      return { types: [T.int4], argsCoerced: [args[0]!, coerce(args[1]!, T.int4, 'implicit', s.state, pos), ...args.slice(2).map((a) => coerce(a, T.bool, 'implicit', s.state, pos))] };
    }
    case '_pg_expandarray': {
      const t = args[0]?.type;
      if (args.length !== 1 || !t) throw fail();
      const elem = t.kind === 'array' ? t.element ?? T.text : t.kind === 'int2vector' ? T.int2 : t.kind === 'oidvector' ? T.oid : undefined;
      if (!elem) throw fail();
      return { types: [elem, T.int4], argsCoerced: [args[0]!] };
    }
    default:
      throw fail();
  }
}

