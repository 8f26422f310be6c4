/**
 * `freshet standalone`: the whole system in one process — the durable store and catalog under the
 * data dir, the engine, and the PostgreSQL wire server. Prints one `listening on HOST:PORT` line
 * when clients can connect, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StandaloneOptions } from './cli.js';
import { FreshetEngine } from './engine/freshet-engine.js';
import { startPgServer } from './pgwire/server.js';

export interface RunningServer {
  readonly port: number;
  readonly engine: FreshetEngine;
  stop(): Promise<void>;
}

/** Starts the server; resolves once it listens. Used by the CLI and by in-process tests. */
export async function runStandalone(opts: StandaloneOptions): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const engine = await FreshetEngine.open(dataDir, {
    password: opts.password,
    checkpointIntervalMs: opts.checkpointIntervalMs,
    checkpointRetain: opts.checkpointRetain,
    checkpointWriteDelayMs: opts.checkpointWriteDelayMs,
  });
  let pg;
  try {
    pg = await startPgServer({ host: opts.host, port: opts.port, engine, maxMessageSize: opts.maxMessageSize, auth: opts.auth });
  } catch (e) {
    await engine.close();
    throw e;
  }
  const server = pg;
  let stopped = false;
  return {
    port: server.port,
    engine,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.close();
      await engine.close();
    },
  };
}

export async function startStandalone(opts: StandaloneOptions): Promise<void> {
  const running = await runStandalone(opts);
  process.stdout.write(`freshet standalone listening on ${opts.host}:${running.port} (data dir ${resolve(opts.dataDir)})\n`);
  const shutdown = (signal: string) => {
    process.stdout.write(`freshet: ${signal}, shutting down\n`);
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`freshet: error while shutting down: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
