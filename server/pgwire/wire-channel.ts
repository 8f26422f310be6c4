/**
 * One socket seen as a stream of frontend messages in and a buffer of backend messages out.
 * Reading is pull-based (`nextMessage`), so the protocol code (including COPY) is a plain async loop;
 * pending output is flushed whenever the reader would wait for the client, and writers await the
 * socket's drain so a slow client slows the query down instead of filling memory.
 */
import type { Socket } from 'node:net';
import { BackendWriter } from './backend-writer.js';
import { FrontendDecoder } from './frontend-decoder.js';
import type { FrontendMessage } from './frontend-messages.js';

/** Input buffered beyond this pauses the socket until the protocol loop catches up. */
const READ_HIGH_WATER = 1024 * 1024;
/** Output buffered beyond this is written out even in the middle of a result. */
export const WRITE_HIGH_WATER = 64 * 1024;
/** How long an ended socket may linger before it is destroyed. */
const CLOSE_LINGER_MS = 2000;

export class WireChannel {
  readonly writer = new BackendWriter();
  private readonly decoder: FrontendDecoder;
  private wake: (() => void) | null = null;
  private closedFlag = false;
  private ending = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly socket: Socket,
    maxMessageSize: number,
  ) {
    this.decoder = new FrontendDecoder(maxMessageSize);
    socket.on('data', (chunk: Buffer) => {
      if (this.ending) return; // discard: we are closing and only read so the peer gets no RST
      this.decoder.push(chunk);
      if (this.decoder.bufferedBytes > READ_HIGH_WATER) socket.pause();
      this.notify();
    });
    socket.on('error', () => {
      /* 'close' follows; nothing to do here but not crash */
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.notify();
      for (const listener of this.closeListeners.splice(0)) listener();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The next whole message; null once the client has gone. Throws SqlError on malformed input. */
  async nextMessage(): Promise<FrontendMessage | null> {
    for (;;) {
      if (this.closedFlag) return null;
      const msg = this.decoder.next();
      if (msg) {
        if (this.socket.isPaused() && this.decoder.bufferedBytes <= READ_HIGH_WATER) this.socket.resume();
        return msg;
      }
      if (this.socket.isPaused()) this.socket.resume();
      await this.flush();
      if (this.closedFlag) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Write out buffered messages; waits for the socket to drain when its buffer is full. */
  async flush(): Promise<void> {
    const out = this.writer.out;
    if (out.length === 0) return;
    const bytes = out.take();
    if (this.closedFlag || this.socket.destroyed || this.ending) return;
    if (this.socket.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Flush only when enough output has piled up (used inside long results). */
  async flushIfFull(): Promise<void> {
    if (this.writer.out.length >= WRITE_HIGH_WATER) await this.flush();
  }

  /** Flush what is buffered, then close our side; the socket is destroyed if the peer lingers. */
  async close(): Promise<void> {
    if (this.ending) return;
    await this.flush();
    this.ending = true;
    if (this.closedFlag) return;
    this.socket.resume();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS).unref();
  }

  /** Drop the connection at once. */
  destroy(): void {
    this.ending = true;
    this.socket.destroy();
  }
}
