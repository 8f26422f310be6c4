/** The pgwire server over real sockets: node-postgres for ordinary use, hand-made messages for the rest. */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import type { CommandCompleteMessage, DataRowMessage, DatabaseError, ParameterStatusMessage, ReadyForQueryMessage, RowDescriptionMessage } from 'pg-protocol/dist/messages.js';
import { decodeBinary, encodeBinary } from '../../server/pgwire/binary-codec.js';
import { startPgServer, type PgServer } from '../../server/pgwire/server.js';
import { Interval } from '../../server/types/datum.js';
import { T, arrayOf, typeOid } from '../../server/types/sql-type.js';
import { FakeEngine, waitUntil } from './fake-engine.js';
import { RawClient } from './raw-client.js';

describe('pgwire server', () => {
  let engine: FakeEngine;
  let server: PgServer;
  const clients: pg.Client[] = [];
  const raws: RawClient[] = [];

  async function client(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'tester', database: 'db', ...extra });
    c.on('error', () => {});
    clients.push(c);
    await c.connect();
    return c;
  }

  async function raw(): Promise<RawClient> {
    const r = await RawClient.ready(server.port);
    raws.push(r);
    return r;
  }

  beforeEach(async () => {
    engine = new FakeEngine();
    server = await startPgServer({ host: '127.0.0.1', port: 0, engine });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => {});
    for (const r of raws.splice(0)) r.destroy();
    await server.close();
  });

  it('starts a session and answers a simple query', async () => {
    const c = await client({ application_name: 'mocha' });
    assert.ok(server.port > 0);
    const r = await c.query('SELECT 7');
    assert.deepEqual(r.rows, [{ n: 7 }]);
    assert.equal(r.command, 'SELECT');
    assert.equal(r.rowCount, 1);
    assert.equal(r.fields[0]!.dataTypeID, 23);
    const session = engine.sessions[0]!;
    assert.equal(session.startup.user, 'tester');
    assert.equal(session.startup.database, 'db');
    assert.equal(session.startup.parameters['application_name'], 'mocha');
  });

  it('sends startup ParameterStatus, BackendKeyData and ReadyForQuery', async () => {
    const r = await RawClient.connect(server.port);
    raws.push(r);
    r.send(serialize.startup({ user: 'tester' }));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), [
      'authenticationOk', 'parameterStatus', 'parameterStatus', 'parameterStatus', 'parameterStatus', 'backendKeyData', 'readyForQuery',
    ]);
    const tz = r.messages.find((m) => m.name === 'parameterStatus' && (m as ParameterStatusMessage).parameterName === 'TimeZone');
    assert.equal((tz as ParameterStatusMessage).parameterValue, 'UTC');
    assert.equal(engine.sessions[0]!.startup.database, 'tester', 'database defaults to the user name');
  });

  it('runs several statements in one query string', async () => {
    const c = await client();
    const results = (await c.query('SELECT 1; INSERT; GEN 3')) as unknown as pg.QueryResult[];
    assert.equal(results.length, 3);
    assert.deepEqual(results[0]!.rows, [{ n: 1 }]);
    assert.equal(results[1]!.command, 'INSERT');
    assert.deepEqual(results[2]!.rows.map((row) => row.i), [1, 2, 3]);
  });

  it('answers an empty or comment-only query with EmptyQueryResponse', async () => {
    const r = await raw();
    r.send(serialize.query(''));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['emptyQuery', 'readyForQuery']);
    r.clear();
    r.send(serialize.query('  -- nothing here\n ; ;'));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['emptyQuery', 'readyForQuery']);
    r.clear();
    r.send(serialize.query('NOTHING'));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['emptyQuery', 'readyForQuery']);
  });

  it('stops a query string at the first error and reports its position in the whole string', async () => {
    const r = await raw();
    r.send(serialize.query('SELECT 1; BADCOL; SELECT 3'));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['rowDescription', 'dataRow', 'commandComplete', 'error', 'readyForQuery']);
    const e = r.messages[3] as DatabaseError;
    assert.equal(e.code, '42703');
    assert.equal(e.severity, 'ERROR');
    assert.equal(e.position, String('SELECT 1; '.length + 8));
    const c = await client();
    await assert.rejects(c.query('SELECT 1;  BOGUS'), (err: DatabaseError) => err.code === '42601' && err.position === '12');
    assert.deepEqual((await c.query('SELECT 5')).rows, [{ n: 5 }], 'the connection is still usable');
  });

  it('turns an internal bug into XX000 without dropping the connection', async () => {
    const c = await client();
    await assert.rejects(c.query('CRASH'), (err: DatabaseError) => err.code === 'XX000');
    assert.deepEqual((await c.query('SELECT 2')).rows, [{ n: 2 }]);
  });

  it('reports transaction status and fails the block after an error', async () => {
    const r = await raw();
    r.send(serialize.query('BEGIN'));
    assert.equal(((await r.waitFor('readyForQuery')) as ReadyForQueryMessage).status, 'T');
    r.send(serialize.query('FAIL'));
    assert.equal(((await r.waitFor('readyForQuery', 2)) as ReadyForQueryMessage).status, 'E');
    assert.equal((r.messages.find((m) => m.name === 'error') as DatabaseError).code, '22012');
    r.send(serialize.query('SELECT 1'));
    await r.waitFor('readyForQuery', 3);
    assert.equal((r.messages.filter((m) => m.name === 'error')[1] as DatabaseError).code, '25P02');
    r.send(serialize.query('COMMIT'));
    assert.equal(((await r.waitFor('readyForQuery', 4)) as ReadyForQueryMessage).status, 'I');
    assert.equal((r.messages.filter((m) => m.name === 'commandComplete').at(-1) as CommandCompleteMessage).text, 'ROLLBACK');
  });

  it('sends ParameterStatus for parameters a statement changed', async () => {
    const r = await raw();
    r.send(serialize.query('SET application_name app2; SELECT 1'));
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['commandComplete', 'parameterStatus', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    const ps = r.messages[1] as ParameterStatusMessage;
    assert.deepEqual([ps.parameterName, ps.parameterValue], ['application_name', 'app2']);
  });

  it('runs extended queries with text parameters through node-postgres', async () => {
    const c = await client();
    const r = await c.query('ECHO $1 $2 $3', ['hello', null, 'wörld']);
    assert.deepEqual(r.rows, [{ p1: 'hello', p2: null, p3: 'wörld' }]);
    assert.deepEqual(engine.sessions[0]!.lastParams, ['hello', null, 'wörld']);
    // A named prepared statement, reused.
    const named = { name: 'echo1', text: 'ECHO $1', values: ['a'] };
    assert.deepEqual((await c.query(named)).rows, [{ p1: 'a' }]);
    assert.deepEqual((await c.query({ ...named, values: ['b'] })).rows, [{ p1: 'b' }]);
  });

  it('decodes typed text parameters and describes statements and portals', async () => {
    const r = await raw();
    r.send(
      serialize.parse({ name: 'st', text: 'ECHO $1 $2', types: [23, 25] }),
      serialize.describe({ type: 'S', name: 'st' }),
      serialize.bind({ portal: 'pt', statement: 'st', values: ['42', 'hi'] }),
      serialize.describe({ type: 'P', name: 'pt' }),
      serialize.execute({ portal: 'pt' }),
      serialize.sync(),
    );
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), [
      'parseComplete', 'parameterDescription', 'rowDescription', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery',
    ]);
    const pd = r.messages[1] as unknown as { dataTypeIDs: number[] };
    assert.deepEqual(pd.dataTypeIDs, [23, 25]);
    const rd = r.messages[4] as RowDescriptionMessage;
    assert.deepEqual(rd.fields.map((f) => [f.name, f.dataTypeID, f.dataTypeSize, f.format]), [['p1', 23, 4, 'text'], ['p2', 25, -1, 'text']]);
    assert.deepEqual((r.messages[5] as DataRowMessage).fields, ['42', 'hi']);
    assert.deepEqual(engine.sessions[0]!.lastParams, [42, 'hi']);
    // Statements with no result describe as NoData.
    r.clear();
    r.send(serialize.parse({ text: 'INSERT' }), serialize.describe({ type: 'S' }), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['parseComplete', 'parameterDescription', 'noData', 'readyForQuery']);
  });

  it('decodes binary parameters and encodes binary results', async () => {
    const types = [T.int2, T.int4, T.int8, T.float8, T.numeric, T.bool, T.text, T.bytea, T.date, T.timestamptz, T.interval, T.uuid, arrayOf(T.int4)];
    const values = [
      -7, 123456, 2n ** 62n, 2.5, new Decimal('-1234.5678'), true, 'ünïcode', new Uint8Array([0, 1, 254]), 19000,
      1_700_000_000_000_000, new Interval(1, 2, 3), '0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7', [1, null, 3],
    ];
    const r = await raw();
    r.send(
      serialize.parse({ text: 'ECHO', types: types.map(typeOid) }),
      serialize.bind({ values: values.map((v, i) => encodeBinary(v, types[i]!)), binary: true }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    );
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    const received = engine.sessions[0]!.lastParams;
    assert.equal(received[2], 2n ** 62n);
    assert.ok((received[4] as Decimal).equals(new Decimal('-1234.5678')));
    assert.deepEqual(received[12], [1, null, 3]);
    const rd = r.messages[2] as RowDescriptionMessage;
    assert.ok(rd.fields.every((f) => f.format === 'binary'));
    const decoded = r.lastDataRowBytes().map((f, i) => decodeBinary(f!, types[i]!));
    assert.deepEqual(decoded, values);
  });

  it('suspends a portal at the row limit and resumes it', async () => {
    const r = await raw();
    r.send(
      serialize.parse({ text: 'GEN 5' }),
      serialize.bind({ portal: 'cur' }),
      serialize.execute({ portal: 'cur', rows: 2 }),
      serialize.flush(),
    );
    await r.waitFor('portalSuspended');
    assert.deepEqual(r.names(), ['parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended']);
    r.clear();
    r.send(serialize.execute({ portal: 'cur', rows: 2 }), serialize.execute({ portal: 'cur', rows: 2 }), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['dataRow', 'dataRow', 'portalSuspended', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.deepEqual((r.messages[3] as DataRowMessage).fields, ['5', 'row 5']);
    assert.equal((r.messages[4] as CommandCompleteMessage).text, 'SELECT 5');
    const source = engine.sessions[0]!.lastSource!;
    assert.deepEqual(source.fetchSizes, [2, 2, 2]);
    assert.ok(source.closed);
    // After Sync outside a transaction the portal is gone.
    r.clear();
    r.send(serialize.execute({ portal: 'cur' }), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.equal((r.messages[0] as DatabaseError).code, '34000');
  });

  it('skips messages after an extended-protocol error until Sync', async () => {
    const r = await raw();
    r.send(
      serialize.parse({ text: 'BOGUS' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.query('SELECT 1'),
      serialize.sync(),
      serialize.parse({ text: 'SELECT 9' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    );
    await r.waitFor('readyForQuery', 2);
    assert.deepEqual(r.names(), ['error', 'readyForQuery', 'parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.equal((r.messages[0] as DatabaseError).code, '42601');
    assert.deepEqual((r.messages[4] as DataRowMessage).fields, ['9']);
  });

  it('rejects duplicate named statements and unknown statements and portals', async () => {
    const r = await raw();
    r.send(serialize.parse({ name: 'a', text: 'SELECT 1' }), serialize.parse({ name: 'a', text: 'SELECT 2' }), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['parseComplete', 'error', 'readyForQuery']);
    assert.equal((r.messages[1] as DatabaseError).code, '42P05');
    r.clear();
    r.send(serialize.bind({ statement: 'zz' }), serialize.sync(), serialize.describe({ type: 'P', name: 'zz' }), serialize.sync());
    await r.waitFor('readyForQuery', 2);
    assert.deepEqual(r.messages.filter((m) => m.name === 'error').map((m) => (m as DatabaseError).code), ['26000', '34000']);
    // Close then re-Parse a named statement; unnamed statements are simply replaced.
    r.clear();
    r.send(
      serialize.close({ type: 'S', name: 'a' }),
      serialize.parse({ name: 'a', text: 'SELECT 3' }),
      serialize.parse({ text: 'SELECT 4' }),
      serialize.parse({ text: 'SELECT 5' }),
      serialize.bind({ statement: 'a' }),
      serialize.execute({}),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    );
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), [
      'closeComplete', 'parseComplete', 'parseComplete', 'parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery',
    ]);
    assert.deepEqual(r.messages.filter((m) => m.name === 'dataRow').map((m) => (m as DataRowMessage).fields[0]), ['3', '5']);
  });

  it('checks the Bind parameter count', async () => {
    const r = await raw();
    r.send(serialize.parse({ text: 'ECHO $1 $2' }), serialize.bind({ values: ['x'] }), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.equal((r.messages[1] as DatabaseError).code, '08P01');
    assert.match((r.messages[1] as DatabaseError).message, /supplies 1 parameters, but unnamed prepared statement requires 2/);
  });

  it('feeds COPY FROM STDIN data to the sink', async () => {
    const r = await raw();
    r.send(serialize.query('COPY'));
    const response = (await r.waitFor('copyInResponse')) as unknown as { binary: boolean; columnTypes: number[] };
    assert.equal(response.binary, false);
    assert.deepEqual(response.columnTypes, [0, 0]);
    r.send(serialize.copyData(Buffer.from('1\tone\n2\t')), serialize.copyData(Buffer.from('two\n3\tthree\n')), serialize.copyDone());
    await r.waitFor('readyForQuery');
    assert.equal((r.messages.find((m) => m.name === 'commandComplete') as CommandCompleteMessage).text, 'COPY 3');
    const copy = engine.copies[0]!;
    assert.equal(Buffer.concat(copy.chunks).toString(), '1\tone\n2\ttwo\n3\tthree\n');
    assert.ok(copy.finished);
  });

  it('aborts COPY on CopyFail with 57014 and on bad data, ignoring the rest of the stream', async () => {
    const r = await raw();
    r.send(serialize.query('COPY'));
    await r.waitFor('copyInResponse');
    r.send(serialize.copyData(Buffer.from('1\tone\n')), serialize.copyFail('user said stop'));
    await r.waitFor('readyForQuery');
    const e = r.messages.find((m) => m.name === 'error') as DatabaseError;
    assert.equal(e.code, '57014');
    assert.match(e.message, /user said stop/);
    assert.equal(engine.copies[0]!.aborted, 'user said stop');
    r.clear();
    r.send(serialize.query('COPY'));
    await r.waitFor('copyInResponse');
    r.send(serialize.copyData(Buffer.from('BAD\n')), serialize.copyData(Buffer.from('late\n')), serialize.copyDone(), serialize.query('SELECT 1'));
    await r.waitFor('readyForQuery', 2);
    assert.deepEqual(r.names(), ['copyInResponse', 'error', 'readyForQuery', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.equal((r.messages[1] as DatabaseError).code, '22P04');
    assert.ok(engine.copies[1]!.aborted);
  });

  it('runs COPY from the extended protocol', async () => {
    const r = await raw();
    // A Sync sent during COPY is ignored (as PostgreSQL does), so the client syncs again after CopyDone.
    r.send(serialize.parse({ text: 'COPY' }), serialize.bind({}), serialize.execute({}), serialize.sync());
    await r.waitFor('copyInResponse');
    r.send(serialize.copyData(Buffer.from('1\ta\n')), serialize.copyDone(), serialize.sync());
    await r.waitFor('readyForQuery');
    assert.deepEqual(r.names(), ['parseComplete', 'bindComplete', 'copyInResponse', 'commandComplete', 'readyForQuery']);
  });

  it('streams a large result and a large COPY message', async () => {
    const c = await client();
    const r = await c.query('GEN 100000');
    assert.equal(r.rowCount, 100000);
    assert.deepEqual(r.rows[99999], { i: 100000, label: 'row 100000' });
    const raw1 = await raw();
    raw1.send(serialize.query('COPY'));
    await raw1.waitFor('copyInResponse');
    const big = Buffer.from('7\tseven\n'.repeat(400_000)); // 3.2 MB in one CopyData
    raw1.send(serialize.copyData(big), serialize.copyDone());
    await raw1.waitFor('readyForQuery');
    assert.equal((raw1.messages.find((m) => m.name === 'commandComplete') as CommandCompleteMessage).text, 'COPY 400000');
    assert.equal(Buffer.concat(engine.copies[0]!.chunks).length, big.length);
  });

  it('drops the unnamed statement on a simple Query', async () => {
    const r = await raw();
    r.send(serialize.parse({ text: 'SELECT 1' }), serialize.sync(), serialize.query('SELECT 2'), serialize.bind({}), serialize.sync());
    await r.waitFor('readyForQuery', 3);
    assert.equal((r.messages.find((m) => m.name === 'error') as DatabaseError).code, '26000');
  });

  it('cancels a running query from another connection', async () => {
    const c = await client();
    const pending = c.query('SLEEP').then(
      () => assert.fail('SLEEP should have been cancelled'),
      (e: DatabaseError) => e,
    );
    const session = engine.sessions[0]!;
    await waitUntil(() => session.sleeping, 5000, 'the query to start');
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    // A wrong secret is ignored.
    const wrong = await RawClient.connect(server.port);
    wrong.send(serialize.cancel(processID, secretKey ^ 1));
    await wrong.waitClosed();
    assert.equal(session.cancelCount, 0);
    const canceller = await RawClient.connect(server.port);
    canceller.send(serialize.cancel(processID, secretKey));
    await canceller.waitClosed();
    assert.equal((await pending).code, '57014');
    assert.equal(session.cancelCount, 1);
    assert.deepEqual((await c.query('SELECT 1')).rows, [{ n: 1 }]);
  });

  it('refuses SSL and GSS encryption with N and continues the startup', async () => {
    const r = await RawClient.connect(server.port);
    raws.push(r);
    r.expectRawBytes(2);
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    const gss = Buffer.from(ssl);
    gss.writeInt32BE(80877104, 4);
    r.send(ssl);
    await r.until(() => r.rawPrefix.length === 1, 'SSL answer');
    r.send(gss);
    await r.until(() => r.rawPrefix.length === 2, 'GSS answer');
    assert.deepEqual(r.rawPrefix, [0x4e, 0x4e]);
    r.send(serialize.startup({ user: 'tester' }), serialize.query('SELECT 4'));
    await r.waitFor('readyForQuery', 2);
    assert.deepEqual((r.messages.find((m) => m.name === 'dataRow') as DataRowMessage).fields, ['4']);
  });

  it('closes the session on Terminate', async () => {
    const c = await client();
    await c.end();
    await waitUntil(() => engine.sessions[0]!.closed, 5000, 'session close');
  });

  it('reports a FATAL error when the engine refuses the session', async () => {
    await assert.rejects(client({ database: 'nodb' }), (err: DatabaseError) => err.code === '3D000' && err.severity === 'FATAL');
  });

  describe('with password authentication', () => {
    let pwServer: PgServer;
    beforeEach(async () => {
      pwServer = await startPgServer({ host: '127.0.0.1', port: 0, engine, auth: 'password' });
    });
    afterEach(() => pwServer.close());

    it('accepts the right cleartext password and rejects a wrong one', async () => {
      const good = new pg.Client({ host: '127.0.0.1', port: pwServer.port, user: 'alice', password: 'secret', database: 'db' });
      await good.connect();
      assert.deepEqual((await good.query('SELECT 3')).rows, [{ n: 3 }]);
      await good.end();
      const bad = new pg.Client({ host: '127.0.0.1', port: pwServer.port, user: 'alice', password: 'nope', database: 'db' });
      bad.on('error', () => {});
      await assert.rejects(bad.connect(), (err: DatabaseError) => err.code === '28P01');
      assert.equal(engine.sessions.length, 1, 'no session for a failed login');
    });
  });
});
