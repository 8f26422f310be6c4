/**
 * Runs the real psql binary as a subprocess for client tests: no psqlrc, no pager, C locale, stop on the
 * first error. Returns stdout, stderr and the exit code; never throws for a failing command.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';

export const PSQL_BINARY = process.env.PSQL ?? '/usr/bin/psql';

export function psqlAvailable(): boolean {
  return fs.existsSync(PSQL_BINARY);
}

export interface PsqlResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `psql -X -v ON_ERROR_STOP=1 -P pager=off <extraArgs> -c <command>` against a connection URL. */
export function runPsql(url: string, command: string, extraArgs: readonly string[] = []): Promise<PsqlResult> {
  const args = ['-X', '-v', 'ON_ERROR_STOP=1', '-P', 'pager=off', ...extraArgs, '-d', url, '-c', command];
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C', PGCONNECT_TIMEOUT: '10' };
  delete env.PGPASSWORD;
  delete env.PGOPTIONS;
  delete env.PGTZ;
  return new Promise((resolve) => {
    execFile(PSQL_BINARY, args, { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
      resolve({ stdout, stderr, code });
    });
  });
}
