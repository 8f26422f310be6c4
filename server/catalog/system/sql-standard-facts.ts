/**
 * What information_schema.columns says about a column's type: the SQL-standard data_type name and
 * the length / precision / scale fields, derived from the SqlType and its typmod the way
 * PostgreSQL's information_schema derives them from atttypmod.
 */
import type { SqlType } from '../../types/sql-type.js';
import { builtinTypeOf, standardTypeName } from './column-facts.js';

export interface StandardTypeFacts {
  readonly dataType: string;
  readonly udtName: string;
  readonly characterMaximumLength: number | null;
  readonly characterOctetLength: number | null;
  readonly numericPrecision: number | null;
  readonly numericPrecisionRadix: number | null;
  readonly numericScale: number | null;
  readonly datetimePrecision: number | null;
}

/** UTF8 takes at most 4 bytes a character; an unlimited string is capped at 1 GB. */
const MAX_BYTES_PER_CHAR = 4;
const UNLIMITED_OCTETS = 1073741824;
const VARHDRSZ = 4;

export function standardTypeFacts(t: SqlType): StandardTypeFacts {
  const none = { characterMaximumLength: null, characterOctetLength: null, numericPrecision: null, numericPrecisionRadix: null, numericScale: null, datetimePrecision: null };
  const base = { dataType: standardTypeName(t), udtName: builtinTypeOf(t)?.typname ?? t.kind };
  switch (t.kind) {
    case 'varchar':
    case 'bpchar': {
      const length = t.typmod >= VARHDRSZ ? t.typmod - VARHDRSZ : null;
      return { ...base, ...none, characterMaximumLength: length, characterOctetLength: length === null ? UNLIMITED_OCTETS : length * MAX_BYTES_PER_CHAR };
    }
    case 'text':
      return { ...base, ...none, characterOctetLength: UNLIMITED_OCTETS };
    case 'int2':
      return { ...base, ...none, numericPrecision: 16, numericPrecisionRadix: 2, numericScale: 0 };
    case 'int4':
      return { ...base, ...none, numericPrecision: 32, numericPrecisionRadix: 2, numericScale: 0 };
    case 'int8':
      return { ...base, ...none, numericPrecision: 64, numericPrecisionRadix: 2, numericScale: 0 };
    case 'float4':
      return { ...base, ...none, numericPrecision: 24, numericPrecisionRadix: 2 };
    case 'float8':
      return { ...base, ...none, numericPrecision: 53, numericPrecisionRadix: 2 };
    case 'numeric':
      if (t.typmod < VARHDRSZ) return { ...base, ...none, numericPrecisionRadix: 10 };
      return {
        ...base,
        ...none,
        numericPrecision: ((t.typmod - VARHDRSZ) >> 16) & 0xffff,
        numericPrecisionRadix: 10,
        numericScale: (t.typmod - VARHDRSZ) & 0xffff,
      };
    case 'date':
      return { ...base, ...none, datetimePrecision: 0 };
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'interval':
      return { ...base, ...none, datetimePrecision: t.typmod >= 0 ? t.typmod & 0xffff : 6 };
    default:
      return { ...base, ...none };
  }
}
