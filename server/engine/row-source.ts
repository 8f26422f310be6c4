/**
 * Adapts the planner's lazy batches of rows (Iterable<Row[]>) to the RowSource that pgwire pulls
 * from, so an Execute with a row limit takes only what it needs and a later Execute resumes. While
 * a query runs long, it gives the event loop a turn every few milliseconds so other sessions are
 * served and a CancelRequest can arrive.
 */
import type { RowSource } from './api.js';
import type { Row } from '../types/datum.js';

/** How long a query may hold the event loop before it yields. */
const YIELD_EVERY_MS = 10;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class BatchedRowSource implements RowSource {
  private readonly it: Iterator<Row[]>;
  private pending: Row[] = [];
  private pendingAt = 0;
  private finished = false;

  constructor(
    batches: Iterable<Row[]>,
    private readonly checkCancel: () => void = () => {},
  ) {
    this.it = batches[Symbol.iterator]();
  }

  async fetch(max: number): Promise<{ rows: Row[]; done: boolean }> {
    const out: Row[] = [];
    const limit = max > 0 ? max : Infinity;
    let turnStarted = Date.now();
    while (out.length < limit) {
      if (this.pendingAt < this.pending.length) {
        const take = Math.min(limit - out.length, this.pending.length - this.pendingAt);
        for (let i = 0; i < take; i++) out.push(this.pending[this.pendingAt++]!);
        continue;
      }
      if (this.finished) break;
      if (Date.now() - turnStarted >= YIELD_EVERY_MS) {
        await nextTurn();
        turnStarted = Date.now();
      }
      this.checkCancel();
      const next = this.it.next();
      if (next.done) {
        this.finished = true;
        break;
      }
      this.pending = next.value;
      this.pendingAt = 0;
    }
    return { rows: out, done: this.finished && this.pendingAt >= this.pending.length };
  }

  close(): void {
    if (!this.finished) {
      this.finished = true;
      this.it.return?.();
    }
    this.pending = [];
  }
}

/** A RowSource over rows already computed (SHOW, RETURNING, EXPLAIN). */
export function rowsSource(rows: Row[]): RowSource {
  return new BatchedRowSource([rows]);
}
