/**
 * pgJDBC against Freshet and PostgreSQL 15: compiles java/FreshetJdbcCheck.java with javac into a temp
 * dir, runs it with the system pgJDBC jar against both servers, and requires the same printed lines.
 * The PostgreSQL run is also checked against concrete expectations so the oracle itself is pinned.
 * Skipped (with the reason printed) when javac, java or the jar is missing; CI installs all three.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, sharedPostgres } from '../support/postgres-server.js';
import { repoRoot, startFreshet, type FreshetServer } from '../support/freshet-server.js';

const execFileAsync = promisify(execFile);
const JDBC_JAR = process.env.PGJDBC_JAR ?? '/usr/share/java/postgresql.jar';
const SOURCE = path.join(repoRoot, 'test', 'clients', 'java', 'FreshetJdbcCheck.java');
const SUBSCRIBE_SOURCE = path.join(repoRoot, 'test', 'clients', 'java', 'FreshetSubscribeCheck.java');

function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir !== '' && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function missingPrerequisite(): string | null {
  if (onPath('javac') === null) return 'javac not found on PATH (apt-get install default-jdk-headless)';
  if (onPath('java') === null) return 'java not found on PATH (apt-get install default-jre-headless)';
  if (!fs.existsSync(JDBC_JAR)) return `${JDBC_JAR} missing (apt-get install libpostgresql-jdbc-java)`;
  return null;
}

/** Runs the check program; resolves to its stdout lines, or fails with its stderr. */
async function runCheck(classDir: string, jdbcUrl: string, user: string, program = 'FreshetJdbcCheck'): Promise<string[]> {
  try {
    const { stdout } = await execFileAsync('java', ['-Duser.timezone=UTC', '-Xshare:auto', '-cp',
      `${JDBC_JAR}${path.delimiter}${classDir}`, program, jdbcUrl, user], { timeout: 60_000 });
    return stdout.trimEnd().split('\n');
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${program} failed against ${jdbcUrl}: ${e.message}\n--- stdout ---\n${e.stdout ?? ''}\n--- stderr ---\n${e.stderr ?? ''}`);
  }
}

describe('pgJDBC client', function () {
  this.timeout(120_000);
  let classDir = '';
  let oracleLines: string[] = [];
  let freshet: FreshetServer | null = null;

  before(async function () {
    const missing = missingPrerequisite();
    if (missing !== null) {
      console.warn(`    skipping pgJDBC tests: ${missing}`);
      this.skip();
    }
    classDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-jdbc-'));
    await execFileAsync('javac', ['-d', classDir, SOURCE, SUBSCRIBE_SOURCE], { timeout: 60_000 });
    const pgServer = await sharedPostgres();
    const url = new URL(await createDatabase(pgServer, 'jdbc_check', 'freshet'));
    oracleLines = await runCheck(classDir, `jdbc:postgresql://127.0.0.1:${url.port}/jdbc_check`, 'freshet');
  });

  after(async () => {
    if (freshet !== null) await freshet.stop();
    if (classDir !== '') fs.rmSync(classDir, { recursive: true, force: true });
  });

  it('PostgreSQL prints the expected lines (checks the oracle itself)', () => {
    const expectedSubset = [
      'product PostgreSQL 15',
      'insert 7 count 1',
      'batch 3 [1, 1, 1]',
      'duplicate sqlstate 23505',
      'log a b c committed',
      'rsmeta 3 price type=2 typename=numeric precision=10 scale=2 class=java.math.BigDecimal',
      'row 7 | item 7 | 8.75 | 2024-01-07 10:00:00.5 | false | 70000000000',
      'row 8 | nulls | null | null | null | null',
      'table public.jdbc_items TABLE',
      'table public.jdbc_log TABLE',
      'column 1 id type=4 typename=int4 size=10 digits=0 nullable=0 is_nullable=NO',
      'column 3 price type=2 typename=numeric size=10 digits=2 nullable=1 is_nullable=YES',
      'column 4 added type=93 typename=timestamp size=29 digits=6 nullable=1 is_nullable=YES',
      'pk jdbc_items id seq=1 name=jdbc_items_pkey',
      'done',
    ];
    for (const line of expectedSubset) assert.ok(oracleLines.includes(line), `missing "${line}" in:\n${oracleLines.join('\n')}`);
  });

  it('Freshet prints the same lines as PostgreSQL', async () => {
    freshet = await startFreshet();
    const lines = await runCheck(classDir, `jdbc:postgresql://127.0.0.1:${freshet.port}/freshet`, 'freshet');
    assert.deepEqual(lines, oracleLines);
  });

  it('consumes a SUBSCRIBE through a cursor (Freshet only)', async () => {
    freshet ??= await startFreshet();
    const lines = await runCheck(classDir, `jdbc:postgresql://127.0.0.1:${freshet.port}/freshet`, 'freshet', 'FreshetSubscribeCheck');
    assert.deepEqual(lines, ['+I 12', 'progress', '-U 12', '+U 17', 'progress', 'columns epoch:int8 progress:bool op:text total:int8']);
  });
});
