/**
 * The persisted catalog's JSON form. Saving is plain JSON.stringify; loading rebuilds every column's
 * SqlType through `scalar`/`arrayOf`, so loaded types are the same frozen (and, without a modifier,
 * shared) instances the rest of the server builds.
 */
import type { ColumnMeta, RelationDef } from '../catalog/model.js';
import { arrayOf, scalar, type SqlType, type TypeKind } from '../types/sql-type.js';
import type { CatalogSnapshot } from './api.js';

export function catalogToJson(snapshot: CatalogSnapshot): string {
  return JSON.stringify(snapshot);
}

function internType(t: SqlType): SqlType {
  if (t.kind === 'array') {
    if (t.element === undefined) throw new Error('stored catalog: array type without element');
    return arrayOf(internType(t.element));
  }
  return scalar(t.kind as Exclude<TypeKind, 'array'>, t.typmod);
}

export function catalogFromJson(json: string): CatalogSnapshot {
  const raw = JSON.parse(json) as CatalogSnapshot;
  const relations: RelationDef[] = raw.relations.map((rel) => ({
    ...rel,
    columns: rel.columns.map((c): ColumnMeta => ({ ...c, type: internType(c.type) })),
  }));
  return { ...raw, relations };
}
