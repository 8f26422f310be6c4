/**
 * PostgreSQL text I/O for every type: `formatText` produces exactly what PostgreSQL's output function
 * prints (t/f, ISO dates, numeric scale kept, intervals in postgres style), `parseText` accepts what
 * its input function accepts. PROVISIONAL: replaced by the full implementation.
 */
import { err } from '../errors.js';
import type { Datum } from './datum.js';
import type { SqlType } from './sql-type.js';

export interface TextFormatContext {
  /** Session TimeZone setting (IANA name or UTC offset); timestamptz is shown in it. */
  readonly timeZone: string;
}

export const DEFAULT_TEXT_CONTEXT: TextFormatContext = { timeZone: 'UTC' };

/** The text form of a non-null datum of `type`. */
export function formatText(value: Datum, type: SqlType, _ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): string {
  if (value === null) throw err.internal('formatText called with NULL');
  if (type.kind === 'bool') return value ? 't' : 'f';
  return String(value);
}

/** Parse the text form of `type` (as a literal cast or COPY/text parameter would). */
export function parseText(text: string, type: SqlType, _ctx: TextFormatContext = DEFAULT_TEXT_CONTEXT): Datum {
  switch (type.kind) {
    case 'int2':
    case 'int4': {
      const n = Number(text.trim());
      if (!Number.isInteger(n)) throw err.invalidText(type.kind === 'int2' ? 'smallint' : 'integer', text);
      return n;
    }
    default:
      return text;
  }
}
