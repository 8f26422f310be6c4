/**
 * PostgreSQL's type categories and preferred types (pg_type.typcategory/typispreferred), which drive
 * implicit coercion and the common type of CASE/UNION/COALESCE/IN branches.
 */
import type { SqlType, TypeKind } from './sql-type.js';

export type TypeCategory = 'A' | 'B' | 'D' | 'N' | 'S' | 'T' | 'U' | 'X' | 'P' | 'Z';

const CATEGORY: Record<TypeKind, TypeCategory> = {
  bool: 'B', int2: 'N', int4: 'N', int8: 'N', float4: 'N', float8: 'N', numeric: 'N',
  oid: 'N', regclass: 'N', regtype: 'N', regproc: 'N', regnamespace: 'N',
  text: 'S', varchar: 'S', bpchar: 'S', name: 'S', char: 'Z',
  bytea: 'U', uuid: 'U', json: 'U', jsonb: 'U',
  date: 'D', time: 'D', timestamp: 'D', timestamptz: 'D', interval: 'T',
  int2vector: 'A', oidvector: 'A', array: 'A', void: 'P', unknown: 'X',
};

const PREFERRED = new Set<TypeKind>(['bool', 'float8', 'oid', 'text', 'timestamptz', 'interval']);

export function typeCategory(t: SqlType): TypeCategory {
  return CATEGORY[t.kind];
}

export function isPreferredType(t: SqlType): boolean {
  return PREFERRED.has(t.kind);
}
