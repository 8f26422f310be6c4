/**
 * Chooses text or binary per column and per parameter (Bind's format codes) and converts between
 * Datums and wire bytes: text through types/text-io.ts, binary through binary-codec.ts.
 * Encoders are built once per result so the per-row loop only calls them.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { FieldDescription } from '../engine/api.js';
import type { Datum } from '../types/datum.js';
import { typeLen, typeOid, type SqlType } from '../types/sql-type.js';
import { formatText, parseText, type TextFormatContext } from '../types/text-io.js';
import type { FormatCode, RowDescriptionField } from './backend-writer.js';
import { decodeBinary, encodeBinary } from './binary-codec.js';

/** Bind's rule: no codes = all text, one code = all columns, else one code per column. */
export function formatsFor(codes: readonly number[], count: number): FormatCode[] {
  if (codes.length !== 0 && codes.length !== 1 && codes.length !== count) {
    throw new SqlError(SQLSTATE.protocolViolation, `bind message has ${codes.length} format codes but ${count} values`);
  }
  const out = new Array<FormatCode>(count);
  for (let i = 0; i < count; i++) out[i] = (codes.length === 0 ? 0 : codes.length === 1 ? codes[0] : codes[i]) as FormatCode;
  return out;
}

export function describeFields(fields: readonly FieldDescription[], formats: readonly FormatCode[] | null): RowDescriptionField[] {
  return fields.map((f, i) => ({
    name: f.name,
    tableOid: f.tableOid,
    columnAttr: f.columnAttr,
    typeOid: typeOid(f.type),
    typeLen: typeLen(f.type),
    typmod: f.type.typmod,
    format: formats ? formats[i]! : 0,
  }));
}

export type ColumnEncoder = (value: Datum) => string | Uint8Array | null;

export function columnEncoders(
  fields: readonly FieldDescription[],
  formats: readonly FormatCode[],
  ctx: () => TextFormatContext,
): ColumnEncoder[] {
  return fields.map((f, i) => {
    const type = f.type;
    if (formats[i] === 1) return (v: Datum) => (v === null ? null : encodeBinary(v, type));
    return (v: Datum) => (v === null ? null : formatText(v, type, ctx()));
  });
}

/** Decode Bind parameters into Datums of the statement's parameter types. */
export function decodeParams(
  params: readonly (Uint8Array | null)[],
  formatCodes: readonly number[],
  types: readonly SqlType[],
  ctx: TextFormatContext,
): Datum[] {
  const formats = formatsFor(formatCodes, params.length);
  return params.map((raw, i) => {
    if (raw === null) return null;
    const type = types[i]!;
    if (formats[i] === 1) return decodeBinary(raw, type);
    const text = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8');
    return parseText(text, type, ctx);
  });
}
