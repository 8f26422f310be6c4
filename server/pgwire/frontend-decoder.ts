/**
 * Incremental decoder of frontend messages: push socket chunks in, pull whole messages out with
 * `next()`. Handles input split at any byte and many messages per chunk. It starts in the startup
 * phase (untyped packets) and switches to typed messages after the StartupMessage.
 * Malformed input throws a SqlError (08P01 / 0A000); the decoder is then broken for good.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  type DescribeTarget,
  type FrontendMessage,
} from './frontend-messages.js';

export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
/** A startup packet is small; refusing big ones bounds what an unauthenticated client can make us buffer. */
const MAX_STARTUP_PACKET = 10_000;

function protocolError(message: string): SqlError {
  return new SqlError(SQLSTATE.protocolViolation, message, { severity: 'FATAL' });
}

/** Bounds-checked reads over one message body. */
class BodyReader {
  private pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw protocolError(`invalid ${this.what} message format`);
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw protocolError(`invalid string in ${this.what} message`);
    const v = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return v;
  }
  rest(): Buffer {
    const v = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return v;
  }
  atEnd(): boolean {
    return this.pos === this.buf.length;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw protocolError(`invalid ${this.what} message format`);
  }
}

export class FrontendDecoder {
  /** Unconsumed bytes start at head[offset]; later chunks wait in `pending` until needed. */
  private head: Buffer = Buffer.alloc(0);
  private offset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private startupPhase = true;
  private broken: SqlError | null = null;

  constructor(private readonly maxMessageSize: number = DEFAULT_MAX_MESSAGE_SIZE) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.pending.push(buf);
    this.pendingBytes += buf.length;
  }

  /** Bytes received but not yet returned as messages. */
  get bufferedBytes(): number {
    return this.head.length - this.offset + this.pendingBytes;
  }

  /** The next whole message, or null when more bytes are needed. Throws on malformed input. */
  next(): FrontendMessage | null {
    if (this.broken) throw this.broken;
    try {
      return this.startupPhase ? this.nextStartup() : this.nextTyped();
    } catch (e) {
      this.broken = e instanceof SqlError ? e : protocolError(String(e));
      throw this.broken;
    }
  }

  /** Make at least n unread bytes contiguous in head; false when fewer than n have arrived. */
  private ensure(n: number): boolean {
    const inHead = this.head.length - this.offset;
    if (inHead >= n) return true;
    if (inHead + this.pendingBytes < n) return false;
    this.head = Buffer.concat([this.head.subarray(this.offset), ...this.pending]);
    this.offset = 0;
    this.pending = [];
    this.pendingBytes = 0;
    return true;
  }

  private checkLength(length: number, minimum: number, maximum = this.maxMessageSize): void {
    if (length < minimum || length - 4 > maximum) {
      throw protocolError(`invalid message length ${length}`);
    }
  }

  private nextStartup(): FrontendMessage | null {
    if (!this.ensure(4)) return null;
    const length = this.head.readInt32BE(this.offset);
    this.checkLength(length, 8, Math.min(this.maxMessageSize, MAX_STARTUP_PACKET));
    if (!this.ensure(length)) return null;
    const body = this.head.subarray(this.offset + 4, this.offset + length);
    this.offset += length;
    const r = new BodyReader(body, 'startup packet');
    const code = r.int32();
    if (code === SSL_REQUEST_CODE) {
      r.end();
      return { kind: 'sslRequest' };
    }
    if (code === GSSENC_REQUEST_CODE) {
      r.end();
      return { kind: 'gssEncRequest' };
    }
    if (code === CANCEL_REQUEST_CODE) {
      const processId = r.int32();
      const secretKey = r.int32();
      r.end();
      return { kind: 'cancelRequest', processId, secretKey };
    }
    if (code >>> 16 !== 3) {
      throw new SqlError(
        SQLSTATE.featureNotSupported,
        `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0`,
        { severity: 'FATAL' },
      );
    }
    const parameters: Record<string, string> = {};
    for (;;) {
      const key = r.cstring();
      if (key === '') break;
      parameters[key] = r.cstring();
    }
    r.end();
    this.startupPhase = false;
    return { kind: 'startup', protocolVersion: code, parameters };
  }

  private nextTyped(): FrontendMessage | null {
    if (!this.ensure(5)) return null;
    const type = this.head[this.offset]!;
    if (!KNOWN_TYPES.has(type)) {
      throw protocolError(`invalid frontend message type ${type}`);
    }
    const length = this.head.readInt32BE(this.offset + 1);
    this.checkLength(length, 4);
    if (!this.ensure(length + 1)) return null;
    const body = this.head.subarray(this.offset + 5, this.offset + 1 + length);
    this.offset += length + 1;
    return decodeTyped(type, body);
  }
}

const KNOWN_TYPES = new Set([...'QPBDECHSXdcfp'].map((c) => c.charCodeAt(0)));

function target(r: BodyReader, what: string): DescribeTarget {
  const t = r.byte();
  if (t === 0x53) return 'S';
  if (t === 0x50) return 'P';
  throw protocolError(`invalid ${what} message subtype ${t}`);
}

function formatCodes(r: BodyReader): number[] {
  const n = r.int16();
  if (n < 0) throw protocolError('invalid format code count');
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = r.int16();
    if (c !== 0 && c !== 1) throw protocolError(`invalid format code ${c}`);
    codes[i] = c;
  }
  return codes;
}

function decodeTyped(type: number, body: Buffer): FrontendMessage {
  switch (String.fromCharCode(type)) {
    case 'Q': {
      const r = new BodyReader(body, 'Query');
      const sql = r.cstring();
      r.end();
      return { kind: 'query', sql };
    }
    case 'P': {
      const r = new BodyReader(body, 'Parse');
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.int16();
      if (n < 0) throw protocolError('invalid parameter count in Parse message');
      const paramTypeOids = new Array<number>(n);
      for (let i = 0; i < n; i++) paramTypeOids[i] = r.uint32();
      r.end();
      return { kind: 'parse', name, sql, paramTypeOids };
    }
    case 'B': {
      const r = new BodyReader(body, 'Bind');
      const portal = r.cstring();
      const statement = r.cstring();
      const paramFormats = formatCodes(r);
      const n = r.int16();
      if (n < 0) throw protocolError('invalid parameter count in Bind message');
      const params = new Array<Uint8Array | null>(n);
      for (let i = 0; i < n; i++) {
        const len = r.int32();
        if (len < -1) throw protocolError(`invalid parameter length ${len} in Bind message`);
        params[i] = len === -1 ? null : r.bytes(len);
      }
      const resultFormats = formatCodes(r);
      r.end();
      return { kind: 'bind', portal, statement, paramFormats, params, resultFormats };
    }
    case 'D': {
      const r = new BodyReader(body, 'Describe');
      const t = target(r, 'Describe');
      const name = r.cstring();
      r.end();
      return { kind: 'describe', target: t, name };
    }
    case 'E': {
      const r = new BodyReader(body, 'Execute');
      const portal = r.cstring();
      const maxRows = r.int32();
      r.end();
      return { kind: 'execute', portal, maxRows };
    }
    case 'C': {
      const r = new BodyReader(body, 'Close');
      const t = target(r, 'Close');
      const name = r.cstring();
      r.end();
      return { kind: 'close', target: t, name };
    }
    case 'H':
      return { kind: 'flush' };
    case 'S':
      return { kind: 'sync' };
    case 'X':
      return { kind: 'terminate' };
    case 'd':
      return { kind: 'copyData', data: body };
    case 'c':
      return { kind: 'copyDone' };
    case 'f': {
      const r = new BodyReader(body, 'CopyFail');
      const message = r.cstring();
      r.end();
      return { kind: 'copyFail', message };
    }
    case 'p': {
      const r = new BodyReader(body, 'PasswordMessage');
      const password = r.cstring();
      r.end();
      return { kind: 'password', password };
    }
    default:
      throw protocolError(`invalid frontend message type ${type}`);
  }
}
