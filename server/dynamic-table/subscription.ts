/**
 * Subscription: a push query's output as a queue of rows. Each row is (epoch, progress, op, ...the
 * query's columns): the snapshot as +I rows, then every change with its op, and after each epoch a
 * progress row (progress = true, op and columns NULL) saying the output is complete up to that
 * epoch. Readers take rows with `next`, waiting (up to a timeout) when none are queued. A committed
 * subscription holds each epoch's rows back until `release` says a completed checkpoint covers it.
 */
import type { Datum, Row } from '../types/datum.js';
import { OP_TEXT } from './changelog-op.js';
import type { ChangelogChunk } from './chunk.js';

export class Subscription {
  private queue: Row[] = [];
  private head = 0;
  private waiter: (() => void) | null = null;
  private closed = false;
  /** Committed subscriptions: epochs not yet covered by a checkpoint, oldest first. */
  private readonly held: { epoch: number; rows: Row[] }[] = [];

  constructor(
    private readonly width: number,
    private readonly withSnapshot: boolean,
    private readonly withProgress: boolean,
    private readonly onClose: () => void,
    /** Set for a committed subscription: the newest epoch a completed checkpoint covers. */
    private committedUpTo?: number,
  ) {}

  /** One epoch of the query's output (the first is the snapshot). */
  epoch(changes: ChangelogChunk, epoch: number, isSnapshot: boolean): void {
    if (this.closed) return;
    if (this.committedUpTo !== undefined && epoch > this.committedUpTo) {
      const queue = this.queue;
      this.queue = [];
      const head = this.head;
      this.head = 0;
      this.enqueue(changes, epoch, isSnapshot);
      this.held.push({ epoch, rows: this.queue });
      this.queue = queue;
      this.head = head;
      return;
    }
    this.enqueue(changes, epoch, isSnapshot);
    this.wake();
  }

  /** A checkpoint covering every epoch up to `epoch` completed: held epochs up to it go out. */
  release(epoch: number): void {
    if (this.committedUpTo === undefined || epoch <= this.committedUpTo) return;
    this.committedUpTo = epoch;
    let released = false;
    while (this.held.length > 0 && this.held[0]!.epoch <= epoch) {
      for (const row of this.held.shift()!.rows) this.queue.push(row);
      released = true;
    }
    if (released) this.wake();
  }

  private enqueue(changes: ChangelogChunk, epoch: number, isSnapshot: boolean): void {
    const e = BigInt(epoch);
    if (!isSnapshot || this.withSnapshot) {
      for (let i = 0; i < changes.length; i++) {
        if (changes.visibility !== null && !changes.visibility[i]) continue;
        const row: Datum[] = [e, false, OP_TEXT[changes.ops[i]!]!];
        for (let c = 0; c < this.width; c++) row.push(changes.columns[c]![i]!);
        this.queue.push(row);
      }
    }
    if (this.withProgress) {
      const row: Datum[] = [e, true, null];
      for (let c = 0; c < this.width; c++) row.push(null);
      this.queue.push(row);
    }
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /**
   * Up to `max` rows (all queued when max <= 0). With none queued it waits for the next epoch, or
   * until `timeoutMs` passes (then returns none), or until the subscription is closed.
   */
  async next(max: number, timeoutMs: number | undefined, cancelled: () => boolean): Promise<Row[]> {
    if (this.pending === 0 && !this.closed && timeoutMs !== 0) await this.waitForRows(timeoutMs, cancelled);
    const take = max > 0 ? Math.min(max, this.pending) : this.pending;
    const out = this.queue.slice(this.head, this.head + take);
    this.head += take;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Resolves on the next epoch, on timeout, on close, or soon after `cancelled()` turns true. */
  private waitForRows(timeoutMs: number | undefined, cancelled: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        clearInterval(poll);
        if (this.waiter === finish) this.waiter = null;
        resolve();
      };
      const poll = setInterval(() => {
        if (cancelled()) finish();
      }, 20);
      if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
      this.waiter = finish;
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.wake();
    this.onClose();
  }
}
