/**
 * Reading a relation's durable log back from SQLite: the batches (one per commit) that cover a range of
 * offsets, a page of batches per query, decoded one at a time. Used by readLog, stream scans and the
 * replay of unfolded table changes at open. It reads only; offsets beyond `end` are never returned.
 */
import { decodeLogBatch, type LogBatchEntries } from './log-batch.js';
import type { StoreStatements } from './sqlite-schema.js';

/** Batches per SQLite query while paging through a log. */
const BATCHES_PER_PAGE = 16;

export interface DecodedLogBatch {
  /** Offset of the batch's first entry. */
  readonly from: number;
  readonly entries: LogBatchEntries;
}

/**
 * The batches holding offsets `from` .. `end - 1`, in offset order. The first may start before
 * `from` (a commit's batch is read whole); callers skip the entries they did not ask for.
 */
export function* readLogBatches(stmts: StoreStatements, relOid: number, from: number, end: number): Iterable<DecodedLogBatch> {
  if (from >= end) return;
  let next = stmts.logBatchStart.get(relOid, from)?.off ?? from;
  while (next < end) {
    const page = stmts.logPage.all(relOid, next, end, BATCHES_PER_PAGE);
    if (page.length === 0) return;
    for (const b of page) yield { from: b.off, entries: decodeLogBatch(b.entries) };
    const last = page[page.length - 1]!;
    next = last.off + last.n;
  }
}
