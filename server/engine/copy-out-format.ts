/**
 * Formats result rows as COPY TO lines: PostgreSQL's text format (tab-separated, \N for NULL,
 * backslash escapes) or CSV (quoted where needed, empty unquoted field for NULL, optional header).
 */
import type { Datum, Row } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import { formatText, type TextFormatContext } from '../types/text-io.js';

export interface CopyOutOptions {
  readonly format: 'text' | 'csv';
  readonly delimiter: string;
  readonly nullString: string;
}

export function copyOutOptions(format: 'text' | 'csv', delimiter?: string, nullString?: string): CopyOutOptions {
  return { format, delimiter: delimiter ?? (format === 'csv' ? ',' : '\t'), nullString: nullString ?? (format === 'csv' ? '' : '\\N') };
}

function escapeText(s: string, delimiter: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += delimiter === '\t' ? '\\t' : ch; break;
      default: out += ch === delimiter ? `\\${ch}` : ch;
    }
  }
  return out;
}

function quoteCsv(s: string, o: CopyOutOptions): string {
  const needs = s === '' || s === o.nullString || s.includes(o.delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r');
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

export function copyLine(row: Row, types: readonly SqlType[], o: CopyOutOptions, ctx: TextFormatContext): string {
  const parts = row.map((v: Datum, i) => {
    if (v === null) return o.nullString;
    const text = formatText(v, types[i]!, ctx);
    return o.format === 'csv' ? quoteCsv(text, o) : escapeText(text, o.delimiter);
  });
  return parts.join(o.delimiter) + '\n';
}

export function copyHeader(names: readonly string[], o: CopyOutOptions): string {
  return names.map((n) => (o.format === 'csv' ? quoteCsv(n, o) : escapeText(n, o.delimiter))).join(o.delimiter) + '\n';
}
