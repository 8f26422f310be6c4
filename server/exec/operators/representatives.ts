/**
 * The row shown for a group of SQL-equal rows (DISTINCT, UNION): equal rows can print differently
 * (3 and 3.00), and the one shown must be one still present. Tracks, per key, the spellings present
 * with their counts, in arrival order; the first present is the representative, and when it changes
 * the operator emits an update pair (or an insert/delete when the group appears/empties).
 * For checkpoints it saves one entry per group (its spellings in order) and marks groups it changes.
 */
import { ChunkBuilder } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import { exactKeyOf } from '../row-key.js';
import { decodeStateValue, DirtyKeys, encodeStateValue, type StateDelta, type StateEntry, type StateKey } from './operator-state.js';

interface Group {
  readonly spellings: Map<string, { row: Row; count: number }>;
  /** The row downstream holds for this key, or null. */
  shown: Row | null;
  shownKey: string | null;
}

/** The first character of every state key a Representatives writes (never META_KEY, which is ''). */
const GROUP_KEY_PREFIX = 'g';

export class Representatives {
  private readonly groups = new Map<string, Group>();
  /** Groups changed since the last snapshot. */
  private readonly dirty = new DirtyKeys<string>();
  /**
   * Whether changes are marked: from the first snapshot or restored group on. Before that the next
   * snapshot writes every group anyway (a batch run, never snapshotted, pays nothing).
   */
  private tracksChanges = false;

  /** Applies one row (sign +1/-1) under `key` and appends any change of the shown row to `out`. */
  apply(key: string, row: Row, sign: number, out: ChunkBuilder): void {
    if (this.tracksChanges) this.dirty.mark(key);
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

  /** Groups held (each is one row downstream). */
  get size(): number {
    return this.groups.size;
  }

  /** Whether a state key is one of the group entries `snapshotGroups` writes. */
  static ownsKey(key: StateKey): boolean {
    return typeof key === 'string' && key.charCodeAt(0) === GROUP_KEY_PREFIX.charCodeAt(0);
  }

  /**
   * The group entries changed since the last call (every group with `full`), keyed 'g' + group key;
   * the caller adds its own operator-wide entries. Value: [group key, row, count, row, count, ...]
   * with the spellings in arrival order (the first is the one shown). Before changes are tracked it
   * writes every group: right for a first snapshot, and after a restore that brought no group (the
   * snapshots restored from hold no group key, so there is nothing to delete).
   */
  snapshotGroups(full: boolean): StateDelta {
    const upserts: StateEntry[] = [];
    const deletes: StateKey[] = [];
    const changed = this.dirty.take();
    if (full || !this.tracksChanges) {
      this.tracksChanges = true;
      for (const [key, g] of this.groups) upserts.push(this.groupEntry(key, g));
    } else {
      for (const key of changed) {
        const g = this.groups.get(key);
        if (g) upserts.push(this.groupEntry(key, g));
        else deletes.push(GROUP_KEY_PREFIX + key);
      }
    }
    return { upserts, deletes };
  }

  private groupEntry(key: string, g: Group): StateEntry {
    const values: Datum[] = [key];
    for (const s of g.spellings.values()) values.push(s.row, s.count);
    return { key: GROUP_KEY_PREFIX + key, value: encodeStateValue(values) };
  }

  /** Loads one entry `snapshotGroups` wrote (ownsKey(entry.key)), into a Representatives that has seen no row. */
  restoreGroup(entry: StateEntry): void {
    this.tracksChanges = true;
    const values = decodeStateValue(entry.value);
    const key = values[0] as string;
    const g: Group = { spellings: new Map(), shown: null, shownKey: null };
    for (let i = 1; i < values.length; i += 2) {
      const row = values[i] as Row;
      const exact = exactKeyOf(row);
      g.spellings.set(exact, { row, count: values[i + 1] as number });
      if (g.shown === null) {
        // After every apply the shown row is the first spelling present.
        g.shown = row;
        g.shownKey = exact;
      }
    }
    if (g.shown !== null) this.groups.set(key, g);
  }
}
