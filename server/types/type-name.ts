/**
 * Resolves a type as written in SQL (the AST's TypeName) to a SqlType with PostgreSQL's typmod
 * encoding: varchar(n)/bpchar(n) -> n + 4, numeric(p,s) -> ((p << 16) | s) + 4, timestamp(p) -> p.
 */
import type { TypeName } from '../sql/ast.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { arrayOf, scalar, TYPE_OIDS, type SqlType, type TypeKind } from './sql-type.js';

const VARHDRSZ = 4;

/** Spellings that name a type kind (after the parser's canonicalisation, plus common aliases). */
const NAMES: Readonly<Record<string, Exclude<TypeKind, 'array'>>> = {
  bool: 'bool', boolean: 'bool',
  int2: 'int2', smallint: 'int2',
  int4: 'int4', int: 'int4', integer: 'int4',
  int8: 'int8', bigint: 'int8',
  float4: 'float4', real: 'float4',
  float8: 'float8', 'double precision': 'float8', float: 'float8',
  numeric: 'numeric', decimal: 'numeric',
  text: 'text',
  varchar: 'varchar', 'character varying': 'varchar',
  bpchar: 'bpchar', character: 'bpchar', char: 'bpchar',
  '"char"': 'char',
  name: 'name',
  bytea: 'bytea',
  date: 'date',
  time: 'time', 'time without time zone': 'time',
  timestamp: 'timestamp', 'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz',
  interval: 'interval',
  oid: 'oid', regclass: 'regclass', regtype: 'regtype', regproc: 'regproc', regprocedure: 'regproc', regnamespace: 'regnamespace',
  int2vector: 'int2vector', oidvector: 'oidvector',
  json: 'json', jsonb: 'jsonb', uuid: 'uuid', void: 'void', unknown: 'unknown',
};

export function typeKindByName(name: string): Exclude<TypeKind, 'array'> | undefined {
  return NAMES[name] ?? (Object.prototype.hasOwnProperty.call(TYPE_OIDS, name) ? (name as Exclude<TypeKind, 'array'>) : undefined);
}

function typmodFor(kind: Exclude<TypeKind, 'array'>, mods: readonly number[], tn: TypeName): number {
  if (mods.length === 0) return kind === 'bpchar' && (tn.name === 'char' || tn.name === 'character' || tn.name === 'bpchar') ? -1 : -1;
  const bad = (msg: string) => new SqlError(SQLSTATE.invalidParameterValue, msg, { position: tn.pos });
  switch (kind) {
    case 'varchar':
    case 'bpchar': {
      const n = mods[0]!;
      if (mods.length > 1) throw bad('invalid type modifier');
      if (n < 1) throw bad(`length for type ${kind === 'varchar' ? 'varchar' : 'char'} must be at least 1`);
      if (n > 10485760) throw bad(`length for type ${kind === 'varchar' ? 'varchar' : 'char'} cannot exceed 10485760`);
      return n + VARHDRSZ;
    }
    case 'numeric': {
      const p = mods[0]!;
      const s = mods[1] ?? 0;
      if (p < 1 || p > 1000) throw bad(`NUMERIC precision ${p} must be between 1 and 1000`);
      if (s < -1000 || s > 1000) throw bad(`NUMERIC scale ${s} must be between -1000 and 1000`);
      return ((p << 16) | (s & 0xffff)) + VARHDRSZ;
    }
    case 'timestamp':
    case 'timestamptz':
    case 'time': {
      const p = mods[0]!;
      if (p < 0) throw bad(`TIMESTAMP(${p}) precision must not be negative`);
      return Math.min(p, 6);
    }
    case 'float4':
    case 'float8':
      return -1;
    default:
      throw bad(`type modifier is not allowed for type "${tn.name}"`);
  }
}

/** The SqlType a TypeName denotes; 42704 for an unknown type. */
export function resolveTypeName(tn: TypeName): SqlType {
  if (tn.schema && tn.schema !== 'pg_catalog') {
    throw new SqlError(SQLSTATE.undefinedObject, `type "${tn.schema}.${tn.name}" does not exist`, { position: tn.pos });
  }
  let kind = typeKindByName(tn.name);
  if (!kind) throw new SqlError(SQLSTATE.undefinedObject, `type "${tn.name}" does not exist`, { position: tn.pos });
  let mods = tn.modifiers;
  // float(p): p <= 24 is real, otherwise double precision.
  if ((tn.name === 'float' || kind === 'float8') && mods.length === 1) {
    const p = mods[0]!;
    if (p < 1) throw new SqlError(SQLSTATE.invalidParameterValue, 'precision for type float must be at least 1 bit', { position: tn.pos });
    if (p > 53) throw new SqlError(SQLSTATE.invalidParameterValue, 'precision for type float must be less than 54 bits', { position: tn.pos });
    kind = p <= 24 ? 'float4' : 'float8';
    mods = [];
  }
  // char without a length is char(1) in PostgreSQL.
  if (kind === 'bpchar' && mods.length === 0 && (tn.name === 'char' || tn.name === 'character')) mods = [1];
  const base = scalar(kind, typmodFor(kind, mods, tn));
  let t: SqlType = base;
  for (let i = 0; i < tn.arrayBounds; i++) t = arrayOf(t);
  return t;
}

/** varchar(n)/bpchar(n) length limit from a typmod, or undefined. */
export function charLengthLimit(t: SqlType): number | undefined {
  return (t.kind === 'varchar' || t.kind === 'bpchar') && t.typmod >= VARHDRSZ ? t.typmod - VARHDRSZ : undefined;
}

/** numeric(p,s) precision and scale from a typmod, or undefined. */
export function numericPrecisionScale(t: SqlType): { precision: number; scale: number } | undefined {
  if (t.kind !== 'numeric' || t.typmod < VARHDRSZ) return undefined;
  const m = t.typmod - VARHDRSZ;
  return { precision: (m >> 16) & 0xffff, scale: ((m & 0xffff) << 16) >> 16 };
}
