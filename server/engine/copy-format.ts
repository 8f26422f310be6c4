/**
 * Parsers for COPY FROM STDIN data in PostgreSQL's text format (tab-separated, \N for NULL,
 * backslash escapes) and CSV format (quotes, doubled quote escapes, optional header, NULL as an
 * unquoted empty field by default). Input arrives in arbitrary pieces; rows come out whole.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export interface CopyFormatOptions {
  readonly format: 'text' | 'csv';
  readonly delimiter: string;
  readonly nullString: string;
  readonly header: boolean;
  readonly quote: string;
  readonly escape: string;
}

export function copyOptions(o: {
  format: 'text' | 'csv';
  delimiter?: string;
  null?: string;
  header: boolean;
  quote?: string;
  escape?: string;
}): CopyFormatOptions {
  const csv = o.format === 'csv';
  const quote = o.quote ?? '"';
  const opts = {
    format: o.format,
    delimiter: o.delimiter ?? (csv ? ',' : '\t'),
    nullString: o.null ?? (csv ? '' : '\\N'),
    header: o.header,
    quote,
    escape: o.escape ?? quote,
  };
  if (opts.delimiter.length !== 1) throw new SqlError(SQLSTATE.featureNotSupported, 'COPY delimiter must be a single one-byte character');
  if (!csv && o.header) throw new SqlError(SQLSTATE.featureNotSupported, 'COPY HEADER available only in CSV mode');
  return opts;
}

/** Splits a COPY data stream into rows of fields (null for NULL), across arbitrary chunk borders. */
export class CopyRowParser {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private headerSkipped = false;
  private line = 0;

  constructor(private readonly opts: CopyFormatOptions) {}

  /** Feed bytes; returns the complete rows they finish. */
  push(data: Uint8Array): (string | null)[][] {
    this.buffer += this.decoder.decode(data, { stream: true });
    return this.drain(false);
  }

  /** End of data: returns the last rows (a final line without a newline counts). */
  end(): (string | null)[][] {
    this.buffer += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): (string | null)[][] {
    const rows: (string | null)[][] = [];
    for (;;) {
      const r = this.opts.format === 'csv' ? this.nextCsvRecord(final) : this.nextTextRecord(final);
      if (r === undefined) break;
      this.line++;
      if (r === 'endMarker') {
        this.buffer = '';
        break;
      }
      if (this.opts.header && !this.headerSkipped) {
        this.headerSkipped = true;
        continue;
      }
      rows.push(r);
    }
    return rows;
  }

  private nextTextRecord(final: boolean): (string | null)[] | 'endMarker' | undefined {
    let nl = this.buffer.indexOf('\n');
    let lineText: string;
    if (nl < 0) {
      if (!final || this.buffer.length === 0) return undefined;
      lineText = this.buffer;
      this.buffer = '';
    } else {
      lineText = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
    }
    if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
    if (lineText === '\\.') return 'endMarker';
    const out: (string | null)[] = [];
    for (const raw of lineText.split(this.opts.delimiter)) {
      out.push(raw === this.opts.nullString ? null : unescapeText(raw, this.line + 1));
    }
    return out;
  }

  private nextCsvRecord(final: boolean): (string | null)[] | 'endMarker' | undefined {
    const { delimiter, quote, escape, nullString } = this.opts;
    const s = this.buffer;
    const fields: (string | null)[] = [];
    let i = 0;
    let field = '';
    let quoted = false;
    let inQuotes = false;
    let anyQuoted = false;
    const finishField = () => {
      fields.push(!anyQuoted && field === nullString ? null : field);
      field = '';
      anyQuoted = false;
      quoted = false;
    };
    if (s.startsWith('\\.\n') || (final && s === '\\.') || s.startsWith('\\.\r\n')) {
      this.buffer = '';
      return 'endMarker';
    }
    while (i < s.length) {
      const ch = s[i]!;
      if (inQuotes) {
        if (ch === escape && escape !== quote && s[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        if (ch === quote) {
          if (escape === quote && s[i + 1] === quote) {
            field += quote;
            i += 2;
            continue;
          }
          if (i + 1 >= s.length && !final) return undefined; // cannot tell yet if a quote follows
          inQuotes = false;
          i++;
          continue;
        }
        field += ch;
        i++;
        continue;
      }
      if (ch === quote) {
        inQuotes = true;
        quoted = true;
        anyQuoted = true;
        i++;
        continue;
      }
      if (ch === delimiter) {
        finishField();
        i++;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        finishField();
        i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
        if (ch === '\r' && i >= s.length && !final) {
          // a lone \r at the end of the buffer may be followed by \n; harmless either way
        }
        this.buffer = s.slice(i);
        return fields;
      }
      field += ch;
      i++;
    }
    if (!final) return undefined;
    if (inQuotes) throw new SqlError(SQLSTATE.badCopyFileFormat, 'unterminated CSV quoted field');
    if (s.length === 0) return undefined;
    void quoted;
    finishField();
    this.buffer = '';
    return fields;
  }
}

function unescapeText(raw: string, line: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = raw[++i];
    switch (n) {
      case undefined:
        throw new SqlError(SQLSTATE.badCopyFileFormat, `end-of-copy marker corrupt (line ${line})`);
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += 'x';
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(raw.slice(i))!;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else out += n;
    }
  }
  return out;
}
