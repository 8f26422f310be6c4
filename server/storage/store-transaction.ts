/**
 * A write transaction of the SQLite store: an overlay of this transaction's own writes over the
 * committed in-memory rows, plus the changelog entries those writes produce, in order. Nothing here
 * touches SQLite or the committed state; `commit()` hands everything to the store in one step.
 */
import type { RelationDef } from '../catalog/model.js';
import { Op } from '../dynamic-table/changelog-op.js';
import { SQLSTATE, SqlError } from '../errors.js';
import type { Row } from '../types/datum.js';
import type { KeyedRow, LogEntry, RowKey, WriteTransaction } from './api.js';
import type { RelationState } from './relation-state.js';

/** One relation's writes inside a transaction. */
export class PendingRelation {
  /** Final value per written key: the new row, or null when deleted. Tables only. */
  readonly overlay = new Map<RowKey, Row | null>();
  /** Changelog entries in the order the writes happened; for a table, `keys` holds each entry's key. */
  readonly ops: Op[] = [];
  readonly rows: Row[] = [];
  readonly keys: RowKey[] = [];

  constructor(
    readonly def: RelationDef,
    /** The relation's state object when the transaction first wrote it (a drop replaces it). */
    readonly state: RelationState,
  ) {}

  /** A table's entry, under the key it applies to. */
  logKeyed(op: Op, key: RowKey, row: Row): void {
    this.ops.push(op);
    this.rows.push(row);
    this.keys.push(key);
  }

  /** A stream's entry (a stream's rows have no key). */
  logAppend(row: Row): void {
    this.ops.push(Op.Insert);
    this.rows.push(row);
  }
}

/** What a transaction needs from its store. */
export interface TransactionHost {
  /** The relation's state, created (durably) if the relation has no storage yet. */
  ensureRelation(rel: RelationDef): RelationState;
  committedState(oid: number): RelationState | undefined;
  readCommittedLog(oid: number, fromOffset: number): Iterable<LogEntry>;
  /** Durably apply the transaction; throws (leaving nothing behind) on conflict or failure. */
  commitTransaction(tx: StoreTransaction): Map<number, number>;
  endTransaction(tx: StoreTransaction): void;
}

export class StoreTransaction implements WriteTransaction {
  readonly pending = new Map<number, PendingRelation>();
  /** Query progress to write with this transaction (recordQueryProgress). */
  readonly progress = new Map<number, string>();
  private done = false;

  constructor(
    private readonly host: TransactionHost,
    /** The store's commit sequence number when this transaction began. */
    readonly startSeq: number,
  ) {}

  private assertActive(): void {
    if (this.done) throw new SqlError(SQLSTATE.invalidTransactionState, 'storage transaction already ended');
  }

  private pendingFor(rel: RelationDef): PendingRelation {
    let p = this.pending.get(rel.oid);
    if (p === undefined) {
      p = new PendingRelation(rel, this.host.ensureRelation(rel));
      this.pending.set(rel.oid, p);
    }
    return p;
  }

  private tableFor(rel: RelationDef, what: string): PendingRelation {
    const p = this.pendingFor(rel);
    if (p.state.kind !== 'table') {
      throw new SqlError(SQLSTATE.wrongObjectType, `cannot ${what} rows of stream "${rel.name}": streams are append-only`);
    }
    return p;
  }

  get(rel: RelationDef, key: RowKey): Row | undefined {
    this.assertActive();
    const p = this.pending.get(rel.oid);
    if (p !== undefined) {
      const own = p.overlay.get(key);
      if (own !== undefined) return own ?? undefined;
    }
    return this.host.committedState(rel.oid)?.rows.get(key);
  }

  *scan(rel: RelationDef): Iterable<KeyedRow> {
    this.assertActive();
    const state = this.host.committedState(rel.oid);
    const p = this.pending.get(rel.oid);
    if (rel.kind === 'stream' || state?.kind === 'stream') {
      // Stream rows are keyed by their log offset; own appends by the offset they would get now.
      let offset = state?.endOffset ?? 0;
      if (state !== undefined) {
        for (const e of this.host.readCommittedLog(rel.oid, 0)) yield { key: String(e.offset), row: e.row };
      }
      if (p !== undefined) for (const row of p.rows) yield { key: String(offset++), row };
      return;
    }
    const committed = state === undefined ? [] : Array.from(state.rows);
    for (const [key, row] of committed) {
      if (p === undefined || !p.overlay.has(key)) yield { key, row };
    }
    if (p !== undefined) {
      for (const [key, row] of p.overlay) if (row !== null) yield { key, row };
    }
  }

  put(rel: RelationDef, key: RowKey | null, row: Row): RowKey {
    this.assertActive();
    const p = this.tableFor(rel, 'put');
    const k = key ?? String(p.state.nextRowId++);
    const old = key === null ? undefined : this.get(rel, k);
    if (old === undefined) {
      p.logKeyed(Op.Insert, k, row);
    } else {
      p.logKeyed(Op.UpdateBefore, k, old);
      p.logKeyed(Op.UpdateAfter, k, row);
    }
    p.overlay.set(k, row);
    return k;
  }

  delete(rel: RelationDef, key: RowKey): Row | undefined {
    this.assertActive();
    const old = this.get(rel, key);
    if (old === undefined) return undefined;
    const p = this.tableFor(rel, 'delete');
    p.logKeyed(Op.Delete, key, old);
    p.overlay.set(key, null);
    return old;
  }

  append(rel: RelationDef, row: Row): void {
    this.assertActive();
    const p = this.pendingFor(rel);
    if (p.state.kind !== 'stream') {
      throw new SqlError(SQLSTATE.wrongObjectType, `cannot append to "${rel.name}": it is not a stream`);
    }
    p.logAppend(row);
  }

  recordQueryProgress(queryOid: number, progress: string): void {
    this.assertActive();
    this.progress.set(queryOid, progress);
  }

  commit(): Map<number, number> {
    this.assertActive();
    this.done = true;
    try {
      return this.host.commitTransaction(this);
    } finally {
      this.host.endTransaction(this);
    }
  }

  rollback(): void {
    if (this.done) return;
    this.done = true;
    this.host.endTransaction(this);
  }
}
