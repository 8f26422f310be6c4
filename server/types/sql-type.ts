/**
 * SQL types as Freshet knows them: a `kind` per PostgreSQL base type, with its type OID, a type
 * modifier (varchar length, numeric precision/scale) and an element type for arrays.
 * This module owns the type identities only; values live in `datum.ts`, text I/O in `text-io.ts`.
 */

/** Every base type kind. Keep in step with `TYPE_OIDS` below (the Record makes the compiler check). */
export type TypeKind =
  | 'bool'
  | 'int2'
  | 'int4'
  | 'int8'
  | 'float4'
  | 'float8'
  | 'numeric'
  | 'text'
  | 'varchar'
  | 'bpchar'
  | 'name'
  | 'char' // PostgreSQL's one-byte "char" (pg_class.relkind)
  | 'bytea'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'oid'
  | 'regclass'
  | 'regtype'
  | 'regproc'
  | 'regnamespace'
  | 'int2vector'
  | 'oidvector'
  | 'json'
  | 'jsonb'
  | 'uuid'
  | 'void'
  | 'unknown' // an untyped literal, resolved by context as PostgreSQL does
  | 'array';

export interface SqlType {
  readonly kind: TypeKind;
  /** Type modifier as PostgreSQL stores it (atttypmod); -1 when absent. */
  readonly typmod: number;
  /** Element type, only for kind 'array'. */
  readonly element?: SqlType;
}

/** OID of each scalar type kind (pg_type.oid), and of the array type over it. */
export const TYPE_OIDS: Record<Exclude<TypeKind, 'array'>, { oid: number; arrayOid: number; name: string }> = {
  bool: { oid: 16, arrayOid: 1000, name: 'boolean' },
  int2: { oid: 21, arrayOid: 1005, name: 'smallint' },
  int4: { oid: 23, arrayOid: 1007, name: 'integer' },
  int8: { oid: 20, arrayOid: 1016, name: 'bigint' },
  float4: { oid: 700, arrayOid: 1021, name: 'real' },
  float8: { oid: 701, arrayOid: 1022, name: 'double precision' },
  numeric: { oid: 1700, arrayOid: 1231, name: 'numeric' },
  text: { oid: 25, arrayOid: 1009, name: 'text' },
  varchar: { oid: 1043, arrayOid: 1015, name: 'character varying' },
  bpchar: { oid: 1042, arrayOid: 1014, name: 'character' },
  name: { oid: 19, arrayOid: 1003, name: 'name' },
  char: { oid: 18, arrayOid: 1002, name: '"char"' },
  bytea: { oid: 17, arrayOid: 1001, name: 'bytea' },
  date: { oid: 1082, arrayOid: 1182, name: 'date' },
  time: { oid: 1083, arrayOid: 1183, name: 'time without time zone' },
  timestamp: { oid: 1114, arrayOid: 1115, name: 'timestamp without time zone' },
  timestamptz: { oid: 1184, arrayOid: 1185, name: 'timestamp with time zone' },
  interval: { oid: 1186, arrayOid: 1187, name: 'interval' },
  oid: { oid: 26, arrayOid: 1028, name: 'oid' },
  regclass: { oid: 2205, arrayOid: 2210, name: 'regclass' },
  regtype: { oid: 2206, arrayOid: 2211, name: 'regtype' },
  regproc: { oid: 24, arrayOid: 1008, name: 'regproc' },
  regnamespace: { oid: 4089, arrayOid: 4090, name: 'regnamespace' },
  int2vector: { oid: 22, arrayOid: 1006, name: 'int2vector' },
  oidvector: { oid: 30, arrayOid: 1013, name: 'oidvector' },
  json: { oid: 114, arrayOid: 199, name: 'json' },
  jsonb: { oid: 3802, arrayOid: 3807, name: 'jsonb' },
  uuid: { oid: 2950, arrayOid: 2951, name: 'uuid' },
  void: { oid: 2278, arrayOid: 0, name: 'void' },
  unknown: { oid: 705, arrayOid: 0, name: 'unknown' },
};

const scalarCache = new Map<TypeKind, SqlType>();

/** The shared, frozen instance of a scalar type without a modifier. */
export function scalar(kind: Exclude<TypeKind, 'array'>, typmod = -1): SqlType {
  if (typmod !== -1) return Object.freeze({ kind, typmod });
  let t = scalarCache.get(kind);
  if (!t) {
    t = Object.freeze({ kind, typmod: -1 });
    scalarCache.set(kind, t);
  }
  return t;
}

export function arrayOf(element: SqlType): SqlType {
  return Object.freeze({ kind: 'array', typmod: -1, element });
}

export const T = {
  bool: scalar('bool'),
  int2: scalar('int2'),
  int4: scalar('int4'),
  int8: scalar('int8'),
  float4: scalar('float4'),
  float8: scalar('float8'),
  numeric: scalar('numeric'),
  text: scalar('text'),
  varchar: scalar('varchar'),
  bpchar: scalar('bpchar'),
  name: scalar('name'),
  char: scalar('char'),
  bytea: scalar('bytea'),
  date: scalar('date'),
  time: scalar('time'),
  timestamp: scalar('timestamp'),
  timestamptz: scalar('timestamptz'),
  interval: scalar('interval'),
  oid: scalar('oid'),
  regclass: scalar('regclass'),
  regtype: scalar('regtype'),
  regproc: scalar('regproc'),
  regnamespace: scalar('regnamespace'),
  int2vector: scalar('int2vector'),
  oidvector: scalar('oidvector'),
  json: scalar('json'),
  jsonb: scalar('jsonb'),
  uuid: scalar('uuid'),
  void: scalar('void'),
  unknown: scalar('unknown'),
} as const;

/** pg_type.oid of a type. */
export function typeOid(t: SqlType): number {
  if (t.kind === 'array') return t.element && t.element.kind !== 'array' ? TYPE_OIDS[t.element.kind].arrayOid : 0;
  return TYPE_OIDS[t.kind].oid;
}

/** The type for a pg_type OID, or undefined when Freshet does not know it. */
export function typeFromOid(oid: number): SqlType | undefined {
  for (const [kind, info] of Object.entries(TYPE_OIDS) as [Exclude<TypeKind, 'array'>, { oid: number; arrayOid: number }][]) {
    if (info.oid === oid) return scalar(kind);
    if (info.arrayOid === oid && oid !== 0) return arrayOf(scalar(kind));
  }
  return undefined;
}

/** Storage length as RowDescription reports it (pg_type.typlen); -1 for varlena. */
export function typeLen(t: SqlType): number {
  switch (t.kind) {
    case 'bool': case 'char': return 1;
    case 'int2': return 2;
    case 'int4': case 'float4': case 'date': case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace': return 4;
    case 'int8': case 'float8': case 'timestamp': case 'timestamptz': case 'time': return 8;
    case 'interval': case 'uuid': return 16;
    case 'name': return 64;
    case 'void': return 4;
    case 'unknown': return -2;
    default: return -1;
  }
}

export function isNumericKind(k: TypeKind): boolean {
  return k === 'int2' || k === 'int4' || k === 'int8' || k === 'float4' || k === 'float8' || k === 'numeric';
}

export function isStringKind(k: TypeKind): boolean {
  return k === 'text' || k === 'varchar' || k === 'bpchar' || k === 'name' || k === 'char' || k === 'unknown';
}

export function sameType(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array') return !!a.element && !!b.element && sameType(a.element, b.element);
  return true;
}
