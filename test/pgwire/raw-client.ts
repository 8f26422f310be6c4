/**
 * A hand-driven protocol client for tests: writes bytes (usually from pg-protocol's `serialize`),
 * parses every backend message with pg-protocol's Parser, and lets a test wait for a message or
 * for the server to close the socket.
 */
import net from 'node:net';
import { serialize } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';

export class RawClient {
  readonly messages: BackendMessage[] = [];
  closed = false;
  /** Raw bytes received before the parser takes over (the SSLRequest answer). */
  readonly rawPrefix: number[] = [];
  private rawBytesWanted = 0;
  /** Every backend message as raw bytes too (pg-protocol decodes binary fields as UTF-8, losing bytes). */
  readonly rawMessages: { code: string; body: Buffer }[] = [];
  private rawPending: Buffer = Buffer.alloc(0);
  private readonly parser = new Parser();
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      let data = chunk;
      while (this.rawBytesWanted > 0 && data.length > 0) {
        this.rawPrefix.push(data[0]!);
        data = data.subarray(1);
        this.rawBytesWanted--;
      }
      if (data.length > 0) {
        this.parser.parse(data, (m) => this.messages.push(m));
        this.frameRaw(data);
      }
      this.notify();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connect and complete startup (trust auth); resolves after the first ReadyForQuery. */
  static async ready(port: number, params: Record<string, string> = { user: 'tester', database: 'db' }): Promise<RawClient> {
    const c = await RawClient.connect(port);
    c.send(serialize.startup(params));
    await c.waitFor('readyForQuery');
    c.clear();
    return c;
  }

  private frameRaw(data: Buffer): void {
    this.rawPending = Buffer.concat([this.rawPending, data]);
    while (this.rawPending.length >= 5) {
      const length = this.rawPending.readInt32BE(1);
      if (this.rawPending.length < length + 1) break;
      this.rawMessages.push({ code: String.fromCharCode(this.rawPending[0]!), body: this.rawPending.subarray(5, length + 1) });
      this.rawPending = this.rawPending.subarray(length + 1);
    }
  }

  /** The fields of the last DataRow received, as bytes. */
  lastDataRowBytes(): (Buffer | null)[] {
    const row = this.rawMessages.filter((m) => m.code === 'D').at(-1);
    if (!row) throw new Error('no DataRow received');
    const fields: (Buffer | null)[] = [];
    let pos = 2;
    for (let i = 0; i < row.body.readInt16BE(0); i++) {
      const len = row.body.readInt32BE(pos);
      pos += 4;
      fields.push(len < 0 ? null : row.body.subarray(pos, pos + len));
      pos += Math.max(len, 0);
    }
    return fields;
  }

  expectRawBytes(n: number): void {
    this.rawBytesWanted += n;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(...buffers: Buffer[]): void {
    this.socket.write(Buffer.concat(buffers));
  }

  clear(): void {
    this.messages.length = 0;
  }

  names(): string[] {
    return this.messages.map((m) => m.name);
  }

  async until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.names().join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Wait until `count` messages named `name` have arrived; returns the last of them. */
  async waitFor(name: string, count = 1): Promise<BackendMessage> {
    await this.until(() => this.messages.filter((m) => m.name === name).length >= count, `${count} x ${name}`);
    return this.messages.filter((m) => m.name === name)[count - 1]!;
  }

  async waitClosed(): Promise<void> {
    await this.until(() => this.closed, 'server to close the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
