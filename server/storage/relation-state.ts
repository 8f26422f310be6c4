/**
 * The in-memory side of one stored relation: a table's committed rows by key (SQLite holds the
 * durable copy), the hidden row-id and log-offset counters, and the per-key commit sequence used for
 * first-committer-wins conflict checks. Rows held here are never mutated; writers replace them.
 */
import type { Row } from '../types/datum.js';
import type { RowKey } from './api.js';

/** SQLSTATE for a write that lost to a concurrent committed write of the same key. */
export const SERIALIZATION_FAILURE = '40001';

export type StoredKind = 'table' | 'stream';

export class RelationState {
  /** Committed rows of a table by key; always empty for a stream (its state is its log). */
  readonly rows = new Map<RowKey, Row>();
  /**
   * Commit sequence number of the last committed write per key, kept only while some transaction
   * that began earlier may still commit (cleared when no transaction is open).
   */
  readonly lastWrite = new Map<RowKey, number>();

  constructor(
    readonly oid: number,
    readonly kind: StoredKind,
    /** Next hidden row id to hand out (allocation is not transactional: rollbacks leave gaps). */
    public nextRowId: number,
    /** Offset the next committed log entry gets. */
    public endOffset: number,
  ) {}
}
