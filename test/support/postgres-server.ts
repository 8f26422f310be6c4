/**
 * Throw-away PostgreSQL 15 servers for oracle tests: `startPostgres()` runs initdb into a temp dir
 * and pg_ctl start on a free port (Unix socket in the same dir), waits until it accepts queries, and
 * `stop()` shuts it down (pg_ctl stop -m fast) and removes the dir. `sharedPostgres()` is one server
 * per mocha process; `createDatabase()` gives each test its own fresh database on it. As root the
 * server runs as user `postgres` (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freeLoopbackPort } from './free-port.js';

const run = promisify(execFile);

function findBinDir(): string {
  const fromEnv = process.env.PG_BIN ?? process.env.FRESHET_PG_BIN;
  if (fromEnv) return fromEnv;
  for (const v of ['15', '16', '17', '14']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return '/usr/lib/postgresql/15/bin';
}

export const POSTGRES_BIN_DIR = findBinDir();

export interface StartPostgresOptions {
  /** Keep fsync/synchronous_commit on, for crash tests (default: off, faster). */
  readonly durableCommits?: boolean;
}

export interface PostgresServer {
  readonly port: number;
  /** postgres://freshet@127.0.0.1:PORT/postgres (superuser `freshet`, trust auth). */
  readonly url: string;
  /** Stop (pg_ctl stop -m fast) and remove the data directory. */
  stop(): Promise<void>;
  /** Simulate a crash: pg_ctl stop -m immediate (no shutdown checkpoint). */
  crash(): Promise<void>;
  /** Start again on the same port and data directory after crash(). */
  restart(): Promise<void>;
}

/** Whether the PostgreSQL binaries are installed (tests should skip with a message when not). */
export function postgresAvailable(): boolean {
  return existsSync(join(POSTGRES_BIN_DIR, 'initdb')) && existsSync(join(POSTGRES_BIN_DIR, 'pg_ctl'));
}

const asPostgresUser = () => userInfo().uid === 0;

function pgCommand(bin: string, args: string[]): [string, string[]] {
  const file = join(POSTGRES_BIN_DIR, bin);
  return asPostgresUser() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

async function pgExec(bin: string, args: string[], timeoutMs = 90_000): Promise<void> {
  const [file, argv] = pgCommand(bin, args);
  await run(file, argv, { timeout: timeoutMs });
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (e) {
      lastError = e;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Data dirs still running, stopped synchronously if the process exits first. */
const running = new Map<string, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dataDir, dir] of running) {
      try {
        const [file, argv] = pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        execFileSync(file, argv, { stdio: 'ignore', timeout: 20_000 });
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Start a fresh PostgreSQL. Throws when the binaries are missing: check `postgresAvailable()` first
 * and `this.skip()` with a message when it is false.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  if (!postgresAvailable()) throw new Error(`PostgreSQL binaries not found in ${POSTGRES_BIN_DIR} (set PG_BIN)`);
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'freshet-pg-'));
  const dataDir = join(dir, 'data');
  if (asPostgresUser()) {
    let uid: number;
    let gid: number;
    try {
      uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('running as root but user "postgres" does not exist (useradd -r postgres)');
    }
    chownSync(dir, uid, gid);
  }
  const port = await freeLoopbackPort();
  const url = `postgres://freshet@127.0.0.1:${port}/postgres`;
  const durability = options.durableCommits ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  let up = false;
  const start = async () => {
    await pgExec('pg_ctl', [
      '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c TimeZone=UTC${durability}`, 'start',
    ]);
    up = true;
    running.set(dataDir, dir);
    await waitReady(url, 30_000);
  };
  const halt = async (mode: 'fast' | 'immediate') => {
    if (!up) return;
    up = false;
    await pgExec('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']).catch(() => undefined);
  };
  const stop = async () => {
    await halt('fast');
    running.delete(dataDir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pgExec('initdb', ['-D', dataDir, '-U', 'freshet', '--auth=trust', '-E', 'UTF8', '--locale=C', ...(options.durableCommits ? [] : ['--no-sync'])]);
    await start();
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, stop, crash: () => halt('immediate'), restart: start };
}

let shared: Promise<PostgresServer> | undefined;

/** One PostgreSQL per test process, started on first use and stopped when the process exits. */
export function sharedPostgres(): Promise<PostgresServer> {
  if (!shared) {
    shared = startPostgres();
    shared.catch(() => { shared = undefined; });
  }
  return shared;
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** (Re)create database `name` (owned by `owner`, created if missing) and return its URL. */
export async function createDatabase(server: PostgresServer, name: string, owner?: string): Promise<string> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    if (owner && owner !== 'freshet') {
      const r = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [owner]);
      if (r.rowCount === 0) await client.query(`CREATE ROLE ${quoteIdent(owner)} LOGIN SUPERUSER`);
    }
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${owner ? ` OWNER ${quoteIdent(owner)}` : ''}`);
  } finally {
    await client.end();
  }
  const u = new URL(server.url);
  u.pathname = '/' + name;
  return u.toString();
}
