/**
 * A growable output buffer that backend messages are written into back to back: a type byte, a
 * length patched in when the message ends, then the body. `take()` hands the bytes to the socket.
 * It owns byte layout only; which messages exist is backend-writer.ts.
 */

/** Strings up to this length are tried as ASCII first. */
const SHORT_STRING = 32;

export class MessageBuffer {
  private buf: Buffer;
  private pos = 0;
  private messageStart = -1;

  constructor(initialSize = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Start a typed message; `code` is its type byte. */
  begin(code: string): this {
    this.ensure(5);
    this.buf[this.pos++] = code.charCodeAt(0);
    this.messageStart = this.pos;
    this.pos += 4;
    return this;
  }

  /** Patch the length of the message started by `begin`. */
  end(): void {
    this.putInt32(this.pos - this.messageStart, this.messageStart);
    this.messageStart = -1;
  }

  byte(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  int16(v: number): this {
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = (v >>> 8) & 0xff;
    b[this.pos + 1] = v & 0xff;
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.putInt32(v, this.pos);
    this.pos += 4;
    return this;
  }

  private putInt32(v: number, at: number): void {
    const b = this.buf;
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  cstring(s: string): this {
    const n = Buffer.byteLength(s);
    this.ensure(n + 1);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    this.buf[this.pos++] = 0;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** int32 length then the value's bytes; null writes -1. Strings are written as UTF-8. */
  lengthPrefixed(v: Uint8Array | string | null): this {
    if (v === null) return this.int32(-1);
    if (typeof v === 'string') {
      // One pass: reserve the UTF-8 worst case (3 bytes per UTF-16 unit), write, then patch the length.
      this.ensure(4 + v.length * 3);
      const start = this.pos + 4;
      const n = v.length <= SHORT_STRING ? this.writeShortAscii(v, start) : -1;
      const written = n >= 0 ? n : this.buf.write(v, start, 'utf8');
      this.putInt32(written, this.pos);
      this.pos = start + written;
      return this;
    }
    this.ensure(4 + v.length);
    this.putInt32(v.length, this.pos);
    this.buf.set(v, this.pos + 4);
    this.pos += 4 + v.length;
    return this;
  }

  /** Copy a short ASCII string byte by byte (cheaper than a Buffer.write call); -1 if not ASCII. */
  private writeShortAscii(s: string, at: number): number {
    const b = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return -1;
      b[at + i] = c;
    }
    return s.length;
  }

  /** The bytes written so far (a copy), and reset to empty. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}
