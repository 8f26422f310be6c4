/**
 * The PostgreSQL listener: accepts TCP connections and runs one PgConnection per socket against the
 * engine. It owns the listening socket and the set of live connections (closed on shutdown); protocol
 * logic lives in connection.ts.
 */
import { createServer, type Socket } from 'node:net';
import type { Engine } from '../engine/api.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './frontend-decoder.js';
import { PgConnection } from './connection.js';

export interface PgServerOptions {
  readonly host: string;
  /** 0 picks a free port; the real one is returned. */
  readonly port: number;
  readonly engine: Engine;
  /** Largest frontend message accepted (bytes, excluding the length word); default 64 MiB. */
  readonly maxMessageSize?: number;
  /** 'password' asks for a cleartext password checked by engine.checkPassword; default 'trust'. */
  readonly auth?: 'trust' | 'password';
}

export interface PgServer {
  readonly port: number;
  /** Stop listening and drop every open connection. */
  close(): Promise<void>;
}

export async function startPgServer(opts: PgServerOptions): Promise<PgServer> {
  const sockets = new Set<Socket>();
  const connectionOptions = {
    engine: opts.engine,
    auth: opts.auth ?? 'trust',
    maxMessageSize: opts.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
  } as const;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    void new PgConnection(socket, connectionOptions).run();
  });
  server.on('error', () => {
    /* accept errors (EMFILE...) must not crash the process */
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
