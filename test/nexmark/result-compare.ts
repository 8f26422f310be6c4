/**
 * Multiset comparison of two query results in text form, for the Nexmark oracle. Numeric columns
 * are compared by value (PostgreSQL's avg and division pick their own scale; 1.50 equals 1.5), every
 * other value by its exact PostgreSQL text. A difference is described by the rows only one side has.
 */
import { Decimal } from 'decimal.js';
import type { TextResult } from './freshet-side.js';

const NUMERIC_OID = 1700;
const SHOWN_ROWS = 8;

function rowKeys(result: TextResult, numericColumns: ReadonlySet<number>): string[] {
  return result.rows.map((row) =>
    JSON.stringify(row.map((v, i) => (v !== null && numericColumns.has(i) && v !== 'NaN' ? new Decimal(v).toString() : v))),
  );
}

function counts(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Rows (with multiplicity) in `a` beyond those in `b`. */
function excess(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of a) for (let i = b.get(k) ?? 0; i < n; i++) out.push(k);
  return out.sort();
}

/**
 * Null when `actual` (Freshet) equals `expected` (PostgreSQL) as multisets of rows, else a message
 * naming the differing rows. `postgresTypeOids` are the expected result's column types.
 */
export function compareResults(actual: TextResult, expected: TextResult, postgresTypeOids: readonly number[]): string | null {
  if (actual.columns.length !== expected.columns.length) {
    return `Freshet returns ${actual.columns.length} columns (${actual.columns.join(', ')}), PostgreSQL ${expected.columns.length} (${expected.columns.join(', ')})`;
  }
  const numeric = new Set<number>();
  postgresTypeOids.forEach((oid, i) => { if (oid === NUMERIC_OID) numeric.add(i); });
  const a = counts(rowKeys(actual, numeric));
  const e = counts(rowKeys(expected, numeric));
  const onlyFreshet = excess(a, e);
  const onlyPostgres = excess(e, a);
  if (onlyFreshet.length === 0 && onlyPostgres.length === 0) return null;
  const show = (rows: string[]) => rows.slice(0, SHOWN_ROWS).map((r) => `    ${r}`).join('\n') + (rows.length > SHOWN_ROWS ? `\n    ... ${rows.length - SHOWN_ROWS} more` : '');
  return [
    `Freshet has ${actual.rows.length} rows, PostgreSQL ${expected.rows.length} (columns ${expected.columns.join(', ')})`,
    `  only in Freshet (${onlyFreshet.length}):`, show(onlyFreshet),
    `  only in PostgreSQL (${onlyPostgres.length}):`, show(onlyPostgres),
  ].join('\n');
}
