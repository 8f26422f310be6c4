/**
 * A long query is cancelled by a CancelRequest (57014) and the session stays usable; while it runs,
 * another session is still served.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';

function sendCancel(port: number, pid: number, secret: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const msg = Buffer.alloc(16);
      msg.writeInt32BE(16, 0);
      msg.writeInt32BE(80877102, 4);
      msg.writeInt32BE(pid, 8);
      msg.writeInt32BE(secret, 12);
      socket.end(msg);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe('cancelling a running query', function () {
  this.timeout(60_000);
  let server: FreshetServer;
  before(async () => {
    server = await startFreshet();
  });
  after(async () => {
    await server.stop();
  });

  it('stops a long aggregate with 57014, serves others meanwhile, and leaves the session usable', async () => {
    const a = new pg.Client({ connectionString: server.url });
    const b = new pg.Client({ connectionString: server.url });
    await a.connect();
    await b.connect();
    try {
      const { processID, secretKey } = a as unknown as { processID: number; secretKey: number };
      let settled = false;
      const long = a.query('SELECT count(*) FROM generate_series(1, 200000000) g WHERE g % 7 = 3').then(
        () => { settled = true; return undefined; },
        (e: unknown) => { settled = true; return e; },
      );
      // The other session is answered while the long query runs.
      const other = await b.query('SELECT 41 + 1 AS n');
      assert.equal(other.rows[0].n, 42);
      assert.equal(settled, false, 'the long query finished before it could be cancelled');
      await sendCancel(server.port, processID, secretKey);
      await waitUntil(() => settled, 20_000);
      const e = (await long) as { code?: string; message?: string } | undefined;
      assert.equal(e?.code, '57014', `expected a cancellation, got ${JSON.stringify(e)}`);
      assert.match(e?.message ?? '', /canceling statement due to user request/);
      const after = await a.query('SELECT 1 AS one');
      assert.equal(after.rows[0].one, 1);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
