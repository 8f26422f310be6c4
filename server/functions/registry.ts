/**
 * The scalar function registry: every built-in function (math, string, date/time, catalog helpers
 * like format_type) is a FunctionDef registered here by name. The binder resolves a call by asking
 * each def with that name to accept the argument types; the compiled expression then calls `impl`
 * once per row (or `implChunk` where one exists). Aggregates and table functions live elsewhere.
 */
import type { CatalogReader } from '../catalog/model.js';
import type { Datum } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';

/** What a function may read at run time besides its arguments. */
export interface FunctionContext {
  readonly catalog: CatalogReader;
  /** Session settings by lower-case name (search_path, timezone, application_name, ...). */
  setting(name: string): string | undefined;
  readonly user: string;
  /** Statement start time, microseconds since the epoch (now(), current_timestamp). */
  readonly statementTime: number;
}

/** The result of resolving a call: what to cast each argument to, and the return type. */
export interface ResolvedSignature {
  readonly argTypes: readonly SqlType[];
  readonly returns: SqlType;
  /** When this overload's volatility differs from the function's (PostgreSQL: date_part on timestamp is immutable, on timestamptz stable). */
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
}

export interface FunctionDef {
  /** Lower-case name as called, without schema (pg_catalog is implied). */
  readonly name: string;
  /**
   * Accept these argument types (after literals got their default types; 'unknown' for untyped
   * string literals and NULL) or return undefined. The first def that accepts wins.
   */
  resolve(argTypes: readonly SqlType[]): ResolvedSignature | undefined;
  /** Computes the result. Arguments arrive already cast to `argTypes` of the resolved signature. */
  impl(args: readonly Datum[], ctx: FunctionContext, resolved: ResolvedSignature): Datum;
  /** Strict functions return NULL when any argument is NULL, without calling impl. */
  readonly strict: boolean;
  /** Volatile functions (random(), now() is stable) make a continuous query non-deterministic. */
  readonly volatility: 'immutable' | 'stable' | 'volatile';
}

export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionDef[]>();

  register(def: FunctionDef): void {
    const list = this.byName.get(def.name);
    if (list) list.push(def);
    else this.byName.set(def.name, [def]);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The first def named `name` that accepts `argTypes`, with its resolved signature. */
  resolve(name: string, argTypes: readonly SqlType[]): { def: FunctionDef; signature: ResolvedSignature } | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    for (const def of list) {
      const signature = def.resolve(argTypes);
      if (signature) return { def, signature };
    }
    return undefined;
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }
}

/** The process-wide registry; modules under functions/ and catalog/ register into it at load. */
export const builtinFunctions = new FunctionRegistry();
