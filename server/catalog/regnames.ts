/**
 * The reg* types' text I/O: 'name'::regclass -> oid and oid -> name, and the same for regtype,
 * regproc and regnamespace, resolved against the live catalog. Output qualifies a relation with
 * its schema only when the name alone would not find it along the search path, as PostgreSQL does.
 * Oid 0 prints as '-', and an oid nothing has prints as its number.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { CatalogReader, RelationDef } from './model.js';
import { formatType, typeOidByName } from './format-type.js';
import { quoteIdent } from './quote-ident.js';
import { allNamespaces, primaryKeyName } from './system/builtin.js';
import { procNameByOid, procOidByName } from './system/pg_proc.js';
import { primaryKeyIndex } from './system/listed-relations.js';

const DEFAULT_SEARCH_PATH: readonly string[] = ['public'];

/** A catalog that can resolve along a session's search path (Catalog does; plain readers use the default). */
type PathLookup = CatalogReader & { lookup(schema: string | undefined, name: string, searchPath?: readonly string[]): RelationDef | undefined };

/**
 * Split a possibly qualified, possibly quoted name ('a.b', '"A"."b c"') into parts; unquoted parts
 * fold to lower case. Returns undefined for malformed input.
 */
export function parseQualifiedName(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i <= s.length) {
    let part = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += s[i++];
      }
    } else {
      const start = i;
      while (i < s.length && s[i] !== '.') i++;
      part = s.slice(start, i).trim().toLowerCase();
      if (part === '' || /\s|"/.test(part)) return undefined;
    }
    parts.push(part);
    if (i >= s.length) break;
    if (s[i] !== '.') return undefined;
    i++;
  }
  return parts.length > 0 ? parts : undefined;
}

function numericOid(text: string): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/** A primary key index named `name` in `schema`, as regclass sees indexes. */
function indexByName(catalog: CatalogReader, schema: string, name: string): number | undefined {
  for (const rel of catalog.relations()) {
    const index = primaryKeyIndex(rel);
    if (index && rel.schema === schema && primaryKeyName(rel) === name) return index.indexOid;
  }
  return undefined;
}

function indexByOid(catalog: CatalogReader, oid: number): { schema: string; name: string } | undefined {
  for (const rel of catalog.relations()) {
    if (primaryKeyIndex(rel)?.indexOid === oid) return { schema: rel.schema, name: primaryKeyName(rel) };
  }
  return undefined;
}

export function regclassIn(text: string, catalog: CatalogReader, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): number {
  const oid = numericOid(text);
  if (oid !== undefined) return oid;
  const parts = parseQualifiedName(text);
  if (!parts || parts.length > 3) throw new SqlError(SQLSTATE.invalidTextRepresentation, `invalid name syntax`);
  const name = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const rel = (catalog as PathLookup).lookup(schema, name, searchPath);
  if (rel) return rel.oid;
  const schemas = schema !== undefined ? [schema] : ['pg_catalog', ...searchPath];
  for (const s of schemas) {
    const index = indexByName(catalog, s, name);
    if (index !== undefined) return index;
  }
  throw new SqlError(SQLSTATE.undefinedTable, `relation "${parts.join('.')}" does not exist`);
}

export function regclassOut(oid: number, catalog: CatalogReader, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): string {
  if (oid === 0) return '-';
  const rel = catalog.byOid(oid);
  const named = rel ? { schema: rel.schema, name: rel.name } : indexByOid(catalog, oid);
  if (!named) return String(oid);
  return relationIsVisible(oid, catalog, searchPath) ? quoteIdent(named.name) : `${quoteIdent(named.schema)}.${quoteIdent(named.name)}`;
}

export function regtypeIn(text: string): number {
  const oid = numericOid(text);
  if (oid !== undefined) return oid;
  const found = typeOidByName(text);
  if (found === undefined) throw new SqlError(SQLSTATE.undefinedObject, `type "${text.trim()}" does not exist`);
  return found;
}

export function regtypeOut(oid: number): string {
  const text = formatType(oid, null);
  return text === '???' ? String(oid) : text;
}

export function regprocIn(text: string): number {
  const t = text.trim();
  if (t === '-') return 0;
  const oid = numericOid(t);
  if (oid !== undefined) return oid;
  const parts = parseQualifiedName(t);
  const name = parts?.[parts.length - 1];
  const found = name === undefined || (parts!.length === 2 && parts![0] !== 'pg_catalog') ? undefined : procOidByName(name);
  if (found === undefined) throw new SqlError(SQLSTATE.undefinedFunction, `function "${t}" does not exist`);
  return found;
}

export function regprocOut(oid: number): string {
  if (oid === 0) return '-';
  const name = procNameByOid(oid);
  return name === undefined ? String(oid) : quoteIdent(name);
}

export function regnamespaceIn(text: string, catalog: CatalogReader): number {
  const oid = numericOid(text);
  if (oid !== undefined) return oid;
  const parts = parseQualifiedName(text);
  if (!parts || parts.length !== 1) throw new SqlError(SQLSTATE.invalidTextRepresentation, `invalid name syntax`);
  const found = allNamespaces(catalog).find((n) => n.name === parts[0]);
  if (!found) throw new SqlError('3F000', `schema "${parts[0]}" does not exist`);
  return found.oid;
}

export function regnamespaceOut(oid: number, catalog: CatalogReader): string {
  if (oid === 0) return '-';
  const found = allNamespaces(catalog).find((n) => n.oid === oid);
  return found ? quoteIdent(found.name) : String(oid);
}

/** pg_table_is_visible: the relation (or index) is the one its bare name finds along the path. */
export function relationIsVisible(oid: number, catalog: CatalogReader, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): boolean {
  const rel = catalog.byOid(oid);
  if (rel) return (catalog as PathLookup).lookup(undefined, rel.name, searchPath)?.oid === oid;
  const index = indexByOid(catalog, oid);
  if (!index) return false;
  return ['pg_catalog', ...searchPath].find((s) => indexByName(catalog, s, index.name) !== undefined) === index.schema;
}

export type RegKind = 'regclass' | 'regtype' | 'regproc' | 'regnamespace';

/** Text -> oid for any reg* type: the one call a cast or parameter decoder needs. */
export function regIn(kind: RegKind, text: string, catalog: CatalogReader, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): number {
  switch (kind) {
    case 'regclass':
      return regclassIn(text, catalog, searchPath);
    case 'regtype':
      return regtypeIn(text);
    case 'regproc':
      return regprocIn(text);
    case 'regnamespace':
      return regnamespaceIn(text, catalog);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Oid -> text for any reg* type, as PostgreSQL's output functions print it. */
export function regOut(kind: RegKind, oid: number, catalog: CatalogReader, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): string {
  switch (kind) {
    case 'regclass':
      return regclassOut(oid, catalog, searchPath);
    case 'regtype':
      return regtypeOut(oid);
    case 'regproc':
      return regprocOut(oid);
    case 'regnamespace':
      return regnamespaceOut(oid, catalog);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
