/**
 * What the catalog functions derive from a FunctionContext: the session's search path, and a
 * SystemTableContext for reading system table rows (obj_description reads pg_description).
 */
import type { FunctionContext } from '../../functions/registry.js';
import { parseSearchPath } from '../search-path.js';
import type { SystemTableContext } from '../system/system-table.js';

export function searchPathOf(ctx: FunctionContext): string[] {
  return parseSearchPath(ctx.setting('search_path'), ctx.user);
}

export function systemContextOf(ctx: FunctionContext): SystemTableContext {
  return { catalog: ctx.catalog, setting: (name) => ctx.setting(name), user: ctx.user };
}
