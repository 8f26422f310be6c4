/**
 * Casts between text and the reg* types (regclass, regtype, regproc, regnamespace) need the
 * catalog and the search path, which the plain type runtime does not have: `'pg_class'::regclass`
 * resolves a name to an oid, `oid::regclass::text` prints a name.
 */
import { regIn, regOut, type RegKind } from '../../catalog/regnames.js';
import type { CatalogReader } from '../../catalog/model.js';
import { parseSearchPath } from '../../catalog/search-path.js';
import type { FunctionContext } from '../../functions/registry.js';
import type { Datum } from '../../types/datum.js';
import { isStringKind, type SqlType } from '../../types/sql-type.js';

const REG_KINDS = new Set(['regclass', 'regtype', 'regproc', 'regnamespace']);

export function isRegKind(t: SqlType): boolean {
  return REG_KINDS.has(t.kind);
}

function searchPath(fn: FunctionContext): string[] | undefined {
  const s = fn.setting('search_path');
  return s ? parseSearchPath(s, fn.user) : undefined;
}

/** Text -> oid for a reg* type, resolving names in the catalog. */
export function regFromText(kind: SqlType, text: string, fn: FunctionContext, catalog: CatalogReader = fn.catalog): number {
  const path = searchPath(fn);
  return path ? regIn(kind.kind as RegKind, text, catalog, path) : regIn(kind.kind as RegKind, text, catalog);
}

/** The cast function for text <-> reg* pairs, or undefined for other pairs. */
export function regCastFn(from: SqlType, to: SqlType): ((args: Datum[], fn: FunctionContext) => Datum) | undefined {
  if (isRegKind(to) && (isStringKind(from.kind) || from.kind === 'unknown')) {
    return (args, fn) => regFromText(to, args[0] as string, fn);
  }
  if (isRegKind(from) && isStringKind(to.kind)) {
    return (args, fn) => {
      const path = searchPath(fn);
      const k = from.kind as RegKind;
      return path ? regOut(k, args[0] as number, fn.catalog, path) : regOut(k, args[0] as number, fn.catalog);
    };
  }
  return undefined;
}
