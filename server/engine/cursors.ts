/**
 * A session's cursors (DECLARE / FETCH / CLOSE): over a query, rows come from its lazily run plan;
 * over a SUBSCRIBE, from the subscription's queue, waiting for the next epoch when it is empty.
 * Cursors without HOLD close when their transaction ends, as in PostgreSQL.
 */
import type { Subscription } from '../dynamic-table/subscription.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../types/datum.js';
import type { FieldDescription, RowSource } from './api.js';

export type CursorSource =
  | { readonly kind: 'query'; readonly rows: RowSource }
  | { readonly kind: 'subscription'; readonly subscription: Subscription };

export interface Cursor {
  readonly name: string;
  readonly hold: boolean;
  readonly fields: readonly FieldDescription[];
  readonly source: CursorSource;
}

export class CursorRegistry {
  private readonly cursors = new Map<string, Cursor>();

  declare(cursor: Cursor): void {
    if (this.cursors.has(cursor.name)) {
      closeSource(cursor.source);
      throw new SqlError(SQLSTATE.duplicateCursor, `cursor "${cursor.name}" already exists`);
    }
    this.cursors.set(cursor.name, cursor);
  }

  get(name: string): Cursor {
    const c = this.cursors.get(name);
    if (!c) throw new SqlError(SQLSTATE.invalidCursorName, `cursor "${name}" does not exist`);
    return c;
  }

  async fetch(name: string, count: number | 'all', timeoutMs: number | undefined, cancelled: () => boolean): Promise<Row[]> {
    const c = this.get(name);
    const max = count === 'all' ? 0 : count;
    if (count === 0) return [];
    switch (c.source.kind) {
      case 'query':
        return (await c.source.rows.fetch(max)).rows;
      case 'subscription': {
        const rows = await c.source.subscription.next(max, timeoutMs, cancelled);
        if (cancelled()) throw new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');
        return rows;
      }
      default: {
        const never: never = c.source;
        return never;
      }
    }
  }

  close(name: string | 'all'): void {
    if (name === 'all') {
      for (const c of this.cursors.values()) closeSource(c.source);
      this.cursors.clear();
      return;
    }
    const c = this.get(name);
    closeSource(c.source);
    this.cursors.delete(name);
  }

  /** At the end of a transaction: cursors without HOLD go. */
  endOfTransaction(): void {
    for (const [name, c] of this.cursors) {
      if (c.hold) continue;
      closeSource(c.source);
      this.cursors.delete(name);
    }
  }
}

function closeSource(source: CursorSource): void {
  switch (source.kind) {
    case 'query':
      source.rows.close();
      return;
    case 'subscription':
      source.subscription.close();
      return;
    default: {
      const never: never = source;
      return never;
    }
  }
}
