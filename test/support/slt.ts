/**
 * Runs a sqllogictest file over the PostgreSQL wire protocol with the `pg` client, against any server
 * (real PostgreSQL or Freshet). Every value is compared in the server's own text form: type parsers are
 * replaced so `pg` hands back raw strings. Records run in order on one connection, so SET, BEGIN and
 * temp state carry from record to record as in a psql session.
 */
import fs from 'node:fs';
import pg from 'pg';
import { appliesTo, parseSlt, type SltRecord, type SortMode } from './slt-parser.js';

export interface SltReport {
  readonly file: string;
  readonly engine: string;
  /** Records run (statements and queries). */
  readonly executed: number;
  /** Records skipped by skipif/onlyif. */
  readonly skipped: number;
  /** Human-readable failures: file:line, the SQL, expected and actual. Empty when the file passed. */
  readonly failures: readonly string[];
}

export interface SltRunOptions {
  /** Engine name matched by `skipif` / `onlyif` lines: 'postgres' or 'freshet'. */
  readonly engine: string;
  /** Where to connect: a connection string or pg client config. */
  readonly connection: string | pg.ClientConfig;
  /** Stop collecting after this many failures. Default 25. */
  readonly maxFailures?: number;
}

/** Type parsers that return every value as the exact text the server sent. */
const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** A pg client that returns raw text values (what the slt runner and other text-level tests compare). */
export function rawTextClient(connection: string | pg.ClientConfig): pg.Client {
  const config: pg.ClientConfig = typeof connection === 'string' ? { connectionString: connection } : { ...connection };
  return new pg.Client({ ...config, types: RAW_TEXT_TYPES });
}

interface ServerError {
  code: string;
  message: string;
}

function asServerError(err: unknown): ServerError | null {
  if (!(err instanceof Error)) return null;
  const code: unknown = (err as unknown as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? { code, message: err.message } : null;
}

/** Formats one value the sqllogictest way for a column of the given type letter; returns an error text if the value does not fit. */
export function formatValue(value: unknown, typeLetter: string): { text: string } | { error: string } {
  if (value === null || value === undefined) return { text: 'NULL' };
  const s = String(value);
  switch (typeLetter) {
    case 'I':
      if (!/^-?\d+$/.test(s)) return { error: `column typed I holds ${JSON.stringify(s)}, not an integer` };
      return { text: s };
    case 'R': {
      if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return { text: s };
      const n = Number(s);
      if (!Number.isFinite(n)) return { error: `column typed R holds ${JSON.stringify(s)}, not a number` };
      const fixed = n.toFixed(3);
      return { text: fixed === '-0.000' ? '0.000' : fixed };
    }
    default:
      return { text: s === '' ? '(empty)' : s };
  }
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

function showRows(rows: readonly string[]): string {
  return rows.length === 0 ? '    (no rows)' : indent(rows.join('\n'));
}

function sortRows(rows: readonly string[], mode: SortMode): string[] {
  switch (mode) {
    case 'nosort':
      return [...rows];
    case 'rowsort':
      return [...rows].sort();
    case 'valuesort':
      return rows.flatMap((r) => r.split(' ')).sort();
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown sort mode ${String(unreachable)}`);
    }
  }
}

/** Runs every record of an .slt file that applies to `opts.engine`. Never throws for SQL mismatches: they land in `failures`. */
export async function runSltFile(file: string, opts: SltRunOptions): Promise<SltReport> {
  const records = parseSlt(fs.readFileSync(file, 'utf8'), file);
  const maxFailures = opts.maxFailures ?? 25;
  const failures: string[] = [];
  const labels = new Map<string, { line: number; rows: string[] }>();
  let executed = 0;
  let skipped = 0;

  const client = rawTextClient(opts.connection);
  // A server that drops the connection emits 'error' on the client; keep it from crashing mocha.
  let connectionLost: Error | null = null;
  client.on('error', (err) => { connectionLost = err; });
  try {
    await client.connect();
  } catch (err) {
    return { file, engine: opts.engine, executed, skipped, failures: [`${file}: cannot connect to ${opts.engine}: ${(err as Error).message}`] };
  }

  const where = (record: SltRecord): string => `${file}:${record.line} [${opts.engine}]`;
  const fail = (record: SltRecord, sql: string, what: string): void => {
    failures.push(`${where(record)}\n  SQL:\n${indent(sql)}\n${what}`);
  };

  try {
    for (const record of records) {
      if (failures.length >= maxFailures) {
        failures.push(`${file}: stopped after ${maxFailures} failures`);
        break;
      }
      if (!appliesTo(record.conditions, opts.engine)) {
        skipped++;
        continue;
      }
      if (record.kind === 'halt') break;
      executed++;
      let result: pg.QueryResult<unknown[]> | null = null;
      let error: unknown = null;
      try {
        const raw = await client.query({ text: record.sql, rowMode: 'array' } as pg.QueryArrayConfig);
        // A multi-statement string yields one result per statement: the last one is the answer.
        result = (Array.isArray(raw) ? raw[raw.length - 1] : raw) as pg.QueryResult<unknown[]>;
      } catch (err) {
        error = err;
      }
      const serverError = error === null ? null : asServerError(error);
      if (error !== null && serverError === null) {
        // Not an ErrorResponse (connection lost, protocol confusion): the session cannot be trusted any more.
        const lost = connectionLost === null ? '' : ` (connection: ${(connectionLost as Error).message})`;
        fail(record, record.sql, `  client error, not a server error: ${error instanceof Error ? error.message : String(error)}${lost}\n  (rest of the file not run)`);
        break;
      }
      const errorText = serverError === null ? '' : `${serverError.code} ${serverError.message}`;

      switch (record.kind) {
        case 'statement':
        case 'queryError': {
          if (record.expectedError === null) {
            if (serverError !== null) fail(record, record.sql, `  expected: success\n  actual error: ${errorText}`);
          } else if (serverError === null) {
            fail(record, record.sql, `  expected error matching /${record.expectedError.source}/\n  actual: success`);
          } else if (!record.expectedError.test(errorText)) {
            fail(record, record.sql, `  expected error matching /${record.expectedError.source}/\n  actual error: ${errorText}`);
          }
          break;
        }
        case 'query': {
          if (serverError !== null) {
            fail(record, record.sql, `  expected rows:\n${showRows(record.expectedRows)}\n  actual error: ${errorText}`);
            break;
          }
          const fields = result?.fields ?? [];
          if (fields.length !== record.types.length) {
            fail(record, record.sql, `  query declares ${record.types.length} column(s) (${record.types}) but the result has ${fields.length}`);
            break;
          }
          const actualRows: string[] = [];
          const formatErrors: string[] = [];
          for (const row of result?.rows ?? []) {
            const cells: string[] = [];
            for (let c = 0; c < fields.length; c++) {
              const f = formatValue(row[c], record.types[c]!);
              if ('error' in f) {
                formatErrors.push(f.error);
                cells.push(String(row[c]));
              } else {
                cells.push(f.text);
              }
            }
            actualRows.push(cells.join(' '));
          }
          const expected = sortRows(record.expectedRows, record.sortMode);
          const actual = sortRows(actualRows, record.sortMode);
          if (formatErrors.length > 0) {
            fail(record, record.sql, `  ${formatErrors[0]}\n  actual rows:\n${showRows(actual)}`);
          } else if (expected.join('\n') !== actual.join('\n')) {
            fail(record, record.sql, `  expected (${record.sortMode}):\n${showRows(expected)}\n  actual:\n${showRows(actual)}`);
          } else if (record.label !== null) {
            const earlier = labels.get(record.label);
            if (earlier === undefined) labels.set(record.label, { line: record.line, rows: actual });
            else if (earlier.rows.join('\n') !== actual.join('\n')) {
              fail(record, record.sql, `  label ${record.label} differs from line ${earlier.line}:\n${showRows(earlier.rows)}\n  actual:\n${showRows(actual)}`);
            }
          }
          break;
        }
        default: {
          const unreachable: never = record;
          throw new Error(`unhandled record ${JSON.stringify(unreachable)}`);
        }
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return { file, engine: opts.engine, executed, skipped, failures };
}
