/**
 * format_type(type oid, typmod): the SQL name of a type as PostgreSQL prints it ('integer',
 * 'character varying(20)', 'numeric(10,2)', 'timestamp(3) with time zone', 'text[]', '???' for an
 * unknown oid). Also the inverse for the names regtype input accepts.
 */
import { builtinTypeByName, builtinTypeByOid } from './system/builtin-types.js';

/** Interval field bits (PostgreSQL's datetime token numbers) and what a range of them prints as. */
const INTERVAL_FIELD_NAMES: ReadonlyMap<number, string> = new Map([
  [1 << 2, 'year'],
  [1 << 1, 'month'],
  [1 << 3, 'day'],
  [1 << 10, 'hour'],
  [1 << 11, 'minute'],
  [1 << 12, 'second'],
  [(1 << 2) | (1 << 1), 'year to month'],
  [(1 << 3) | (1 << 10), 'day to hour'],
  [(1 << 3) | (1 << 10) | (1 << 11), 'day to minute'],
  [(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), 'day to second'],
  [(1 << 10) | (1 << 11), 'hour to minute'],
  [(1 << 10) | (1 << 11) | (1 << 12), 'hour to second'],
  [(1 << 11) | (1 << 12), 'minute to second'],
]);
const INTERVAL_FULL_RANGE = 0x7fff;
const INTERVAL_FULL_PRECISION = 0xffff;
const VARHDRSZ = 4;
const ARRAY_SUBSCRIPT_HANDLER = 6179;

/** SQL-standard spellings of the built-in types that have one (by pg_type.typname). */
const STANDARD_NAMES: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  char: '"char"',
};

function withTypmod(typname: string, typmod: number): string {
  switch (typname) {
    case 'bpchar':
      return `character(${typmod - VARHDRSZ})`;
    case 'varchar':
      return `character varying(${typmod - VARHDRSZ})`;
    case 'numeric': {
      const t = typmod - VARHDRSZ;
      return `numeric(${(t >> 16) & 0xffff},${t & 0xffff})`;
    }
    case 'time':
      return `time(${typmod}) without time zone`;
    case 'timestamp':
      return `timestamp(${typmod}) without time zone`;
    case 'timestamptz':
      return `timestamp(${typmod}) with time zone`;
    case 'interval': {
      const fields = (typmod >> 16) & INTERVAL_FULL_RANGE;
      const precision = typmod & 0xffff;
      const fieldText = fields === INTERVAL_FULL_RANGE ? '' : ` ${INTERVAL_FIELD_NAMES.get(fields) ?? ''}`;
      const precisionText = precision === INTERVAL_FULL_PRECISION ? '' : `(${precision})`;
      return `interval${fieldText}${precisionText}`;
    }
    default:
      return withoutTypmod(typname, false);
  }
}

function withoutTypmod(typname: string, typmodGiven: boolean): string {
  switch (typname) {
    case 'bpchar':
      // bpchar with an explicit -1 is unbounded bpchar, not CHARACTER (which means character(1)).
      return typmodGiven ? 'bpchar' : 'character';
    case 'time':
      return 'time without time zone';
    case 'timestamp':
      return 'timestamp without time zone';
    case 'timestamptz':
      return 'timestamp with time zone';
    default:
      return STANDARD_NAMES[typname] ?? typname;
  }
}

/**
 * format_type's text. `typmod` null means the caller gave none (format_type(oid, NULL), regtype
 * output); a number, even -1, means it was given.
 */
export function formatType(oid: number, typmod: number | null): string {
  if (oid === 0) return '-';
  const t = builtinTypeByOid(oid);
  if (!t) return '???';
  const given = typmod !== null;
  const mod = typmod ?? -1;
  // A true array (int2vector and oidvector are arrays stored plain, and print under their own names).
  if (t.typelem !== 0 && t.typlen === -1 && t.typsubscript === ARRAY_SUBSCRIPT_HANDLER && t.typstorage !== 'p') {
    const elem = builtinTypeByOid(t.typelem);
    if (elem) return `${mod >= 0 ? withTypmod(elem.typname, mod) : withoutTypmod(elem.typname, given)}[]`;
  }
  return given && mod >= 0 ? withTypmod(t.typname, mod) : withoutTypmod(t.typname, given);
}

/** Extra spellings regtype input accepts besides typnames and format_type's output. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  boolean: 'bool',
  decimal: 'numeric',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  '"char"': 'char',
  'time without time zone': 'time',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  timetz: 'timetz',
};

/**
 * The pg_type oid named by a type name as SQL writes it ('integer', 'varchar(3)', 'text[]',
 * 'pg_catalog.int4', '_text', 'timestamp(3) with time zone', 'interval year'), or undefined.
 * Modifiers are ignored, as regtype input ignores them.
 */
export function typeOidByName(text: string): number | undefined {
  let name = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let isArray = false;
  while (name.endsWith('[]')) {
    isArray = true;
    name = name.slice(0, -2).trim();
  }
  name = name.replace(/^pg_catalog\./, '').replace(/^"pg_catalog"\./, '');
  name = name.replace(/\s*\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  if (name.startsWith('interval ')) name = 'interval';
  if (name.startsWith('"') && name.endsWith('"') && name !== '"char"') name = name.slice(1, -1);
  const typname = TYPE_ALIASES[name] ?? name;
  const t = builtinTypeByName(typname);
  if (!t) return undefined;
  if (!isArray) return t.oid;
  return t.typarray !== 0 ? t.typarray : undefined;
}
