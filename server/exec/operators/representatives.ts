/**
 * The row shown for a group of SQL-equal rows (DISTINCT, UNION): equal rows can print differently
 * (3 and 3.00), and the one shown must be one still present. Tracks, per key, the spellings present
 * with their counts, in arrival order; the first present is the representative, and when it changes
 * the operator emits an update pair (or an insert/delete when the group appears/empties).
 */
import { ChunkBuilder } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Row } from '../../types/datum.js';
import { exactKeyOf } from '../row-key.js';

interface Group {
  readonly spellings: Map<string, { row: Row; count: number }>;
  /** The row downstream holds for this key, or null. */
  shown: Row | null;
  shownKey: string | null;
}

export class Representatives {
  private readonly groups = new Map<string, Group>();

  /** Applies one row (sign +1/-1) under `key` and appends any change of the shown row to `out`. */
  apply(key: string, row: Row, sign: number, out: ChunkBuilder): void {
    let g = this.groups.get(key);
    if (!g) {
      g = { spellings: new Map(), shown: null, shownKey: null };
      this.groups.set(key, g);
    }
    const exact = exactKeyOf(row);
    const s = g.spellings.get(exact);
    if (s) {
      s.count += sign;
      if (s.count <= 0) g.spellings.delete(exact);
    } else if (sign > 0) {
      g.spellings.set(exact, { row, count: sign });
    }
    let nextKey: string | null = null;
    let next: Row | null = null;
    for (const [k, v] of g.spellings) {
      nextKey = k;
      next = v.row;
      break;
    }
    if (nextKey === g.shownKey) return;
    if (g.shown && next) {
      out.append(Op.UpdateBefore, g.shown);
      out.append(Op.UpdateAfter, next);
    } else if (g.shown) {
      out.append(Op.Delete, g.shown);
    } else if (next) {
      out.append(Op.Insert, next);
    }
    g.shown = next;
    g.shownKey = nextKey;
    if (!next) this.groups.delete(key);
  }
}
