/**
 * The session's search_path setting as a list of schemas ('"$user", public' -> [user, 'public']),
 * and the schemas current_schemas() reports: those on the path that exist, with pg_catalog first
 * when implicit schemas are asked for.
 */
import type { CatalogReader } from './model.js';
import { allNamespaces } from './system/builtin.js';

export const DEFAULT_SEARCH_PATH_SETTING = '"$user", public';

export function parseSearchPath(setting: string | undefined, user: string): string[] {
  const text = setting ?? DEFAULT_SEARCH_PATH_SETTING;
  const out: string[] = [];
  for (const raw of text.split(',')) {
    let item = raw.trim();
    if (item === '') continue;
    if (item.startsWith('"') && item.endsWith('"') && item.length >= 2) item = item.slice(1, -1).replace(/""/g, '"');
    else item = item.toLowerCase();
    out.push(item === '$user' ? user : item);
  }
  return out;
}

/** current_schemas(includeImplicit): the existing schemas of the path, in search order. */
export function effectiveSchemas(catalog: CatalogReader, path: readonly string[], includeImplicit: boolean): string[] {
  const existing = new Set(allNamespaces(catalog).map((n) => n.name));
  const explicit = path.filter((s) => existing.has(s));
  if (!includeImplicit || explicit.includes('pg_catalog')) return explicit;
  return ['pg_catalog', ...explicit];
}
