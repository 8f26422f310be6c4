/**
 * Per-column physical facts pg_attribute, pg_index and information_schema.columns report, derived
 * from a column's SqlType and the built-in type table: type oid, length, alignment, collation,
 * default btree operator class.
 */
import { TYPE_OIDS, typeOid, type SqlType, type TypeKind } from '../../types/sql-type.js';
import { builtinTypeByOid, type BuiltinType } from './builtin-types.js';

export function builtinTypeOf(t: SqlType): BuiltinType | undefined {
  return builtinTypeByOid(typeOid(t));
}

/** Collation a column of this type gets by default (0 for non-collatable types). */
export function collationOf(t: SqlType): number {
  return builtinTypeOf(t)?.typcollation ?? 0;
}

/** Default btree operator class oids for the key types Freshet supports (PostgreSQL 15, initdb). */
const BTREE_OPCLASS: Partial<Record<TypeKind, number>> = {
  bool: 10003, bpchar: 10004, bytea: 10006, char: 10007, date: 3122, float4: 10012, float8: 3123,
  int2: 1979, int4: 1978, int8: 3124, interval: 10022, jsonb: 10088, name: 10028, numeric: 3125,
  oid: 1981, oidvector: 10032, text: 3126, varchar: 3126, time: 10038, timestamp: 3128,
  timestamptz: 3127, uuid: 10065, array: 10000,
};

export function btreeOpclassOf(t: SqlType): number {
  return BTREE_OPCLASS[t.kind] ?? 0;
}

/** Array dimensions as pg_attribute.attndims records them. */
export function ndimsOf(t: SqlType): number {
  return t.kind === 'array' ? 1 : 0;
}

/** The SQL-standard / PostgreSQL display name of a scalar kind (information_schema.data_type). */
export function standardTypeName(t: SqlType): string {
  if (t.kind === 'array') return 'ARRAY';
  return TYPE_OIDS[t.kind].name;
}
