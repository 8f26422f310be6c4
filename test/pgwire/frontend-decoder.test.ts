/** FrontendDecoder: every message kind decodes, identically for any split of the input, and bad input is 08P01. */
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { SqlError } from '../../server/errors.js';
import { FrontendDecoder } from '../../server/pgwire/frontend-decoder.js';
import type { FrontendMessage } from '../../server/pgwire/frontend-messages.js';

function typed(code: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function untyped(code: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(8 + rest.length, 0);
  b.writeInt32BE(code, 4);
  return Buffer.concat([b, rest]);
}

/** Messages and the bytes a client sends for them, in one valid session order. */
const startupPhase: [Buffer, FrontendMessage][] = [
  [untyped(80877103), { kind: 'sslRequest' }],
  [untyped(80877104), { kind: 'gssEncRequest' }],
  [
    serialize.startup({ user: 'bob', database: 'shop', application_name: 'psql' }),
    { kind: 'startup', protocolVersion: 196608, parameters: { user: 'bob', database: 'shop', application_name: 'psql', client_encoding: 'UTF8' } },
  ],
];

const typedPhase: [Buffer, FrontendMessage][] = [
  [serialize.query('select 1; -- ü'), { kind: 'query', sql: 'select 1; -- ü' }],
  [
    serialize.parse({ name: 's1', text: 'select $1, $2', types: [23, 3000000000] }),
    { kind: 'parse', name: 's1', sql: 'select $1, $2', paramTypeOids: [23, 3000000000] },
  ],
  [
    serialize.bind({ portal: 'p1', statement: 's1', values: ['42', null, Buffer.from([1, 2, 3])], binary: true }),
    {
      kind: 'bind',
      portal: 'p1',
      statement: 's1',
      paramFormats: [0, 0, 1],
      params: [Buffer.from('42'), null, Buffer.from([1, 2, 3])],
      resultFormats: [1],
    },
  ],
  [serialize.describe({ type: 'S', name: 's1' }), { kind: 'describe', target: 'S', name: 's1' }],
  [serialize.describe({ type: 'P', name: '' }), { kind: 'describe', target: 'P', name: '' }],
  [serialize.execute({ portal: 'p1', rows: 10 }), { kind: 'execute', portal: 'p1', maxRows: 10 }],
  [serialize.close({ type: 'P', name: 'p1' }), { kind: 'close', target: 'P', name: 'p1' }],
  [serialize.close({ type: 'S', name: 's1' }), { kind: 'close', target: 'S', name: 's1' }],
  [serialize.flush(), { kind: 'flush' }],
  [serialize.sync(), { kind: 'sync' }],
  [serialize.copyData(Buffer.from('1\tone\n')), { kind: 'copyData', data: Buffer.from('1\tone\n') }],
  [serialize.copyData(Buffer.alloc(0)), { kind: 'copyData', data: Buffer.alloc(0) }],
  [serialize.copyDone(), { kind: 'copyDone' }],
  [serialize.copyFail('client gave up'), { kind: 'copyFail', message: 'client gave up' }],
  [serialize.password('hunter2'), { kind: 'password', password: 'hunter2' }],
  [serialize.end(), { kind: 'terminate' }],
];

const all = [...startupPhase, ...typedPhase];
const stream = Buffer.concat(all.map(([b]) => b));
const expected = all.map(([, m]) => m);

function drain(d: FrontendDecoder, out: FrontendMessage[]): void {
  for (let m = d.next(); m; m = d.next()) out.push(m);
}

/** Buffers compare by bytes, whatever their class (Buffer vs Uint8Array view). */
function normalise(messages: FrontendMessage[]): unknown {
  return JSON.parse(JSON.stringify(messages, (_k, v) => (v && v.type === 'Buffer' ? [...v.data] : v)));
}

function decodeAll(chunks: Buffer[], max?: number): FrontendMessage[] {
  const d = new FrontendDecoder(max);
  const out: FrontendMessage[] = [];
  for (const c of chunks) {
    d.push(c);
    drain(d, out);
  }
  assert.equal(d.bufferedBytes, 0);
  return out;
}

function expectProtocolError(bytes: Buffer[], code = '08P01', max?: number): SqlError {
  const d = new FrontendDecoder(max);
  try {
    for (const b of bytes) {
      d.push(b);
      while (d.next());
    }
  } catch (e) {
    assert.ok(e instanceof SqlError, String(e));
    assert.equal(e.code, code);
    assert.throws(() => d.next(), /./, 'a broken decoder stays broken');
    return e;
  }
  assert.fail('expected a protocol error');
}

describe('pgwire FrontendDecoder', () => {
  it('decodes every frontend message kind in one buffer', () => {
    assert.deepEqual(normalise(decodeAll([stream])), normalise(expected));
    assert.equal(new Set(expected.map((m) => m.kind)).size, 16, 'all 17 kinds but cancelRequest (tested alone)');
  });

  it('decodes identically when the input is split at every byte boundary', () => {
    const want = normalise(expected);
    for (let i = 0; i <= stream.length; i++) {
      const got = decodeAll([stream.subarray(0, i), stream.subarray(i)]);
      assert.deepEqual(normalise(got), want, `split at ${i}`);
    }
    for (let i = 1; i < stream.length; i += 7) {
      for (let j = i; j < stream.length; j += 13) {
        const got = decodeAll([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]);
        assert.deepEqual(normalise(got), want, `split at ${i} and ${j}`);
      }
    }
  });

  it('decodes byte by byte', () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    assert.deepEqual(normalise(decodeAll(bytes)), normalise(expected));
  });

  it('decodes a CancelRequest at any split', () => {
    const b = serialize.cancel(1234, -99);
    for (let i = 0; i <= b.length; i++) {
      assert.deepEqual(decodeAll([b.subarray(0, i), b.subarray(i)]), [{ kind: 'cancelRequest', processId: 1234, secretKey: -99 }]);
    }
  });

  it('treats an unknown type byte as 08P01', () => {
    const start = serialize.startup({ user: 'u' });
    expectProtocolError([start, typed('Z')]);
    expectProtocolError([start, serialize.sync(), Buffer.from([0xff, 0, 0, 0, 4])]);
  });

  it('rejects lengths under 4 and over the limit', () => {
    const start = serialize.startup({ user: 'u' });
    const short = Buffer.from([0x51, 0, 0, 0, 3]);
    expectProtocolError([start, short]);
    const big = serialize.query('x'.repeat(200));
    expectProtocolError([start, big], '08P01', 100);
    assert.equal(decodeAll([start, big], 300).length, 2);
    // Oversized startup packet, and one shorter than its fixed fields.
    const hugeStartup = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0]);
    expectProtocolError([hugeStartup]);
    expectProtocolError([Buffer.from([0, 0, 0, 4])]);
  });

  it('rejects the length error as soon as the header arrives, before the body', () => {
    const d = new FrontendDecoder(64);
    d.push(serialize.startup({ user: 'u' }));
    assert.equal(d.next()?.kind, 'startup');
    d.push(Buffer.from([0x51, 0, 0x10, 0, 0])); // 1 MiB announced, no body sent
    assert.throws(() => d.next(), (e: unknown) => e instanceof SqlError && e.code === '08P01');
  });

  it('rejects malformed bodies and unsupported protocol versions', () => {
    const start = serialize.startup({ user: 'u' });
    // Bind that announces 2 parameters but carries one.
    const body = Buffer.from([0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0x41]);
    expectProtocolError([start, typed('B', body)]);
    // Query without its terminating NUL.
    expectProtocolError([start, typed('Q', Buffer.from('select'))]);
    // Describe of an unknown target.
    expectProtocolError([start, typed('D', Buffer.from([0x58, 0]))]);
    // Protocol 2.0.
    expectProtocolError([untyped(0x00020000, Buffer.from('user\0u\0\0'))], '0A000');
  });
});
