/**
 * Hostile and broken clients: garbage, truncation, unknown types, oversized messages, clients that
 * vanish mid-query or mid-COPY. Each must cost only its own connection: a healthy connection opened
 * earlier keeps working afterwards, and the engine session of the broken one is closed.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import type { DatabaseError } from 'pg-protocol/dist/messages.js';
import { startPgServer, type PgServer } from '../../server/pgwire/server.js';
import { FakeEngine, waitUntil } from './fake-engine.js';
import { RawClient } from './raw-client.js';

const MAX_MESSAGE = 4096;

describe('pgwire server under bad input', () => {
  let engine: FakeEngine;
  let server: PgServer;
  let healthy: pg.Client;
  let checks = 0;

  before(async () => {
    engine = new FakeEngine();
    server = await startPgServer({ host: '127.0.0.1', port: 0, engine, maxMessageSize: MAX_MESSAGE });
    healthy = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'healthy', database: 'db' });
    await healthy.connect();
  });

  after(async () => {
    await healthy.end();
    await server.close();
  });

  afterEach(async () => {
    checks++;
    const r = await healthy.query(`SELECT ${checks}`);
    assert.deepEqual(r.rows, [{ n: checks }], 'the healthy connection still works');
    assert.equal(engine.sessions[0]!.closed, false);
  });

  function lastSession() {
    return engine.sessions.at(-1)!;
  }

  async function expectFatalThenClose(r: RawClient, code = '08P01'): Promise<void> {
    await r.waitClosed();
    const e = r.messages.find((m) => m.name === 'error') as DatabaseError | undefined;
    assert.ok(e, `expected an ErrorResponse, got ${r.names().join(',')}`);
    assert.equal(e.code, code);
    assert.equal(e.severity, 'FATAL');
  }

  it('closes a connection that sends garbage instead of a startup packet', async () => {
    const r = await RawClient.connect(server.port);
    r.send(Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
    await expectFatalThenClose(r);
  });

  it('closes a connection that sends an unknown message type, and closes its session', async () => {
    const r = await RawClient.ready(server.port);
    const session = lastSession();
    r.send(Buffer.from([0x5a, 0, 0, 0, 4]));
    await expectFatalThenClose(r);
    await waitUntil(() => session.closed, 5000, 'session close');
  });

  it('refuses a startup packet without a user, and an oversized startup packet', async () => {
    const r = await RawClient.connect(server.port);
    r.send(serialize.startup({ database: 'db' }));
    await expectFatalThenClose(r, '28000');
    const r2 = await RawClient.connect(server.port);
    r2.send(serialize.startup({ user: 'u', options: 'x'.repeat(20_000) }));
    await expectFatalThenClose(r2);
  });

  it('closes a connection whose message length is under 4', async () => {
    const r = await RawClient.ready(server.port);
    r.send(Buffer.from([0x51, 0, 0, 0, 2]));
    await expectFatalThenClose(r);
  });

  it('rejects a message over the size limit, even before its body arrives', async () => {
    const r = await RawClient.ready(server.port);
    r.send(serialize.query('x'.repeat(MAX_MESSAGE + 10)));
    await expectFatalThenClose(r);
    const r2 = await RawClient.ready(server.port);
    r2.send(Buffer.from([0x51, 0x40, 0, 0, 0])); // announces 1 GiB, sends nothing more
    await expectFatalThenClose(r2);
  });

  it('copes with a truncated message followed by close', async () => {
    const r = await RawClient.ready(server.port);
    const session = lastSession();
    const parse = serialize.parse({ text: 'SELECT 1' });
    r.send(parse.subarray(0, parse.length - 3));
    r.socket.end();
    await waitUntil(() => session.closed, 5000, 'session close');
    // Truncated inside the startup packet, too.
    const r2 = await RawClient.connect(server.port);
    r2.send(serialize.startup({ user: 'x' }).subarray(0, 10));
    r2.socket.end();
    await r2.waitClosed();
  });

  it('survives a client vanishing mid-query', async () => {
    const r = await RawClient.ready(server.port);
    const session = lastSession();
    r.send(serialize.query('SLEEP'));
    await waitUntil(() => session.sleeping, 5000, 'the query to start');
    r.destroy();
    await waitUntil(() => session.closed, 5000, 'session close');
  });

  it('survives a client vanishing while a large result streams', async () => {
    const r = await RawClient.ready(server.port);
    const session = lastSession();
    r.send(serialize.query('GEN 300000'));
    await r.waitFor('dataRow');
    r.destroy();
    await waitUntil(() => session.closed, 10000, 'session close');
  });

  it('aborts the COPY of a client that vanishes mid-COPY', async () => {
    const r = await RawClient.ready(server.port);
    const session = lastSession();
    const copiesBefore = engine.copies.length;
    r.send(serialize.query('COPY'));
    await r.waitFor('copyInResponse');
    r.send(serialize.copyData(Buffer.from('1\tpartial')));
    r.destroy();
    await waitUntil(() => session.closed, 5000, 'session close');
    assert.ok(engine.copies[copiesBefore]!.aborted);
  });

  it('answers an unexpected message in the middle of COPY with an error and recovers', async () => {
    const r = await RawClient.ready(server.port);
    r.send(serialize.query('COPY'));
    await r.waitFor('copyInResponse');
    r.send(serialize.parse({ text: 'SELECT 1' }), serialize.query('SELECT 8'));
    await r.waitFor('readyForQuery', 2);
    assert.equal((r.messages.find((m) => m.name === 'error') as DatabaseError).code, '08P01');
    assert.ok(r.names().includes('dataRow'));
    r.destroy();
  });

  it('never crashes on random bytes after startup', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        const r = await RawClient.ready(server.port);
        r.send(Buffer.from(bytes));
        r.socket.end();
        await r.waitClosed();
      }),
      { numRuns: 40 },
    );
  });
});
