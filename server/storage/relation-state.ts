/**
 * The in-memory side of one stored relation: a table's committed rows by key (durably: SQLite's folded
 * rows plus the log after them), the hidden row-id and log-offset counters, the keys not yet folded,
 * and the per-key commit sequence used for first-committer-wins conflict checks. Rows held here are
 * never mutated; writers replace them.
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
  /** Keys of a table written since the last fold pass took its keys (state-fold.ts). */
  readonly unfolded = new Set<RowKey>();

  constructor(
    readonly oid: number,
    readonly kind: StoredKind,
    /** Next hidden row id to hand out (allocation is not transactional: rollbacks leave gaps). */
    public nextRowId: number,
    /** Offset the next committed log entry gets. */
    public endOffset: number,
    /** relation_state holds this table's rows as of this log offset (always 0 for a stream). */
    public foldedOffset: number,
  ) {}
}
