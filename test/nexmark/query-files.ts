/**
 * The Nexmark query files: bench/nexmark/queries/qN.sql (Freshet's SELECT over streams person,
 * auction, bid) and bench/nexmark/postgres/qN.sql (the same result on PostgreSQL over tables). A
 * Freshet file may carry a `-- status: <reason>` line: the query does not run yet, and why; or a
 * `-- no oracle: <reason>` line: it runs (the benchmark runs it) but nothing can check its result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/freshet-server.js';

export const NEXMARK_QUERY_NUMBERS: readonly number[] = Array.from({ length: 23 }, (_, i) => i);

export interface NexmarkQuery {
  readonly name: string;
  /** Freshet's query text, comments removed. */
  readonly freshet: string;
  readonly postgres: string;
  /** The reason given by a `-- status:` line, or null when the query is expected to pass. */
  readonly status: string | null;
}

function withoutComments(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

export function readNexmarkQuery(n: number): NexmarkQuery {
  const dir = path.join(repoRoot, 'bench', 'nexmark');
  const freshetText = fs.readFileSync(path.join(dir, 'queries', `q${n}.sql`), 'utf8');
  // PostgreSQL runs Freshet's text unless the query needs another form there (windows as date_bin ...).
  const postgresFile = path.join(dir, 'postgres', `q${n}.sql`);
  const postgresText = fs.existsSync(postgresFile) ? fs.readFileSync(postgresFile, 'utf8') : freshetText;
  // `-- no oracle:` (q12's processing time): the benchmark runs it as a sink, the tests skip it.
  const status = /^--\s*(?:status|no oracle):\s*(.+)$/m.exec(freshetText)?.[1]?.trim() ?? null;
  return { name: `q${n}`, freshet: withoutComments(freshetText), postgres: withoutComments(postgresText), status };
}
