/**
 * Starts a Freshet server (`node bin/freshet.js standalone`) as a child process for tests: free loopback
 * port, temp data dir (or a given one, for restart tests), waits for the "listening on" line with a timeout.
 * Owns the child process: stop() sends SIGTERM and waits for exit; kill9() simulates a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort } from './free-port.js';

export interface FreshetServer {
  port: number;
  /** postgres://freshet@127.0.0.1:PORT/freshet */
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then wait for exit (SIGKILL after a grace period). Removes a temp data dir it created. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; keeps the data dir so a restart can reuse it. */
  kill9(): Promise<void>;
}

export interface StartFreshetOptions {
  /** Reuse this data dir (it is then never removed by stop()). Default: a fresh temp dir. */
  dataDir?: string;
  extraArgs?: string[];
  /** How long to wait for the "listening on" line. Default 20 s. */
  startTimeoutMs?: number;
}

/** Repository root: this file compiles to dist/test/support/, so three levels up. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const GRACEFUL_STOP_MS = 10_000;
const OUTPUT_KEPT = 64 * 1024;

export async function startFreshet(opts: StartFreshetOptions = {}): Promise<FreshetServer> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-test-'));
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await spawnAndWait(port, dataDir, ownsDataDir, opts);
    } catch (err) {
      lastError = err as Error;
      // Only a lost race for the port is worth a retry.
      if (!/EADDRINUSE/.test(lastError.message)) break;
    }
  }
  if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  throw lastError ?? new Error('Freshet did not start');
}

function spawnAndWait(port: number, dataDir: string, ownsDataDir: boolean, opts: StartFreshetOptions): Promise<FreshetServer> {
  const args = [path.join(repoRoot, 'bin', 'freshet.js'), 'standalone', '--host', '127.0.0.1', '--port', String(port),
    '--data-dir', dataDir, ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept for failure messages: the last OUTPUT_KEPT characters of stdout and stderr together.
  let output = '';
  const record = (d: string): void => {
    output += d;
    if (output.length > 2 * OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  let stdoutUntilListening = '';
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', record);

  const waitForExit = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    if (exited) return;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exitPromise.then(() => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), graceMs); }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  };

  const server: FreshetServer = {
    port,
    url: `postgres://freshet@127.0.0.1:${port}/freshet`,
    dataDir,
    process: child,
    output: () => output,
    stop: async () => {
      await waitForExit('SIGTERM', GRACEFUL_STOP_MS);
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    kill9: async () => {
      await waitForExit('SIGKILL', GRACEFUL_STOP_MS);
    },
  };

  const timeoutMs = opts.startTimeoutMs ?? 20_000;
  return new Promise<FreshetServer>((resolve, reject) => {
    let settled = false;
    const marker = `listening on 127.0.0.1:${port}`;
    const timer = setTimeout(() => fail(new Error(`Freshet did not print "${marker}" within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      err.message += `\n--- freshet output ---\n${output}`;
      reject(err);
    }
    child.stdout!.on('data', (d: string) => {
      record(d);
      if (settled) return;
      stdoutUntilListening += d;
      if (stdoutUntilListening.includes(marker)) {
        settled = true;
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.once('error', (err) => fail(err));
    child.once('exit', (code, signal) => fail(new Error(`Freshet exited before listening (code ${code}, signal ${signal})`)));
  });
}
