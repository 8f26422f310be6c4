/**
 * How a SQL value is held in JavaScript. Every layer (storage, operators, pgwire codecs) uses these
 * representations and no others, so a value never needs converting between layers.
 *
 *   NULL                          null
 *   bool                          boolean
 *   int2, int4, oid, reg*         number (an integer)
 *   int8                          bigint
 *   float4, float8                number
 *   numeric                       Decimal (decimal.js, see numeric.ts), NaN as Decimal NaN
 *   text, varchar, bpchar, name,
 *   char, json, jsonb, uuid       string (json/jsonb hold their text form; uuid lower-case)
 *   bytea                         Uint8Array
 *   date                          number: days since 1970-01-01 (±Infinity for 'infinity')
 *   time                          number: microseconds since midnight
 *   timestamp, timestamptz        number: microseconds since 1970-01-01 00:00 UTC (±Infinity)
 *   interval                      Interval {months, days, micros}
 *   arrays, int2vector, oidvector Datum[] (one dimension; elements in the element's representation)
 */
import type { Decimal } from 'decimal.js';
export type { Decimal };

export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: number,
  ) {}
}

export type Datum = null | boolean | number | bigint | string | Decimal | Uint8Array | Interval | Datum[];

/** A row as operators and codecs see it outside a chunk: one datum per column. */
export type Row = Datum[];
