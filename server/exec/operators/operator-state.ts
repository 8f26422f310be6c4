/**
 * The checkpoint contract of a stateful operator (issue 6): how its keyed state leaves it when a
 * checkpoint barrier has passed (all of it, or only what changed since the previous snapshot) and
 * how a fresh operator takes it back on recovery. Values are rows of datums in the row codec's bytes,
 * so every datum kind survives exactly; the backend (server/checkpoint) stores and folds the entries.
 */
import type { StateEntry, StateKey } from '../../checkpoint/api.js';
import { decodeRow, encodeRow } from '../../storage/row-codec.js';
import type { Datum } from '../../types/datum.js';
import { SqlError, SQLSTATE } from '../../errors.js';

export type { StateEntry, StateKey };

/** What changed in an operator's keyed state: keys to (re)write and keys gone. A key appears once. */
export interface StateDelta {
  readonly upserts: StateEntry[];
  readonly deletes: StateKey[];
}

/**
 * A snapshot whose values are not all encoded yet: `pending` entries hold immutable copies of the
 * datums (rows are never mutated, numbers are copied), encoded later off the barrier's path, so the
 * pause a checkpoint puts into the stream is the copy, not the encoding.
 */
export interface CapturedState {
  readonly ready: StateEntry[];
  readonly pending: { readonly key: StateKey; readonly values: Datum[] }[];
  readonly deletes: StateKey[];
}

/** Encodes a capture's pending entries: the StateDelta `snapshotState` gives. */
export function encodeCaptured(c: CapturedState): StateDelta {
  const upserts = c.ready.slice();
  for (const p of c.pending) upserts.push({ key: p.key, value: encodeStateValue(p.values) });
  return { upserts, deletes: c.deletes };
}

/**
 * An operator that keeps state between epochs. `snapshotState` and `restoreState` are only called
 * between epochs: after a barrier has passed the operator and before the next message reaches it.
 */
export interface StatefulOperator {
  /** Rows or groups held (freshet_watermarks.state_rows). */
  stateRows(): number;
  /**
   * The state to store for a checkpoint, then forgets which keys changed. `full`: every entry
   * (deletes empty). Otherwise the entries written and the keys removed since the last call; folded
   * onto the previous snapshots in order they give exactly what a full snapshot gives now.
   */
  snapshotState(full: boolean): StateDelta;
  /**
   * Loads a state a snapshot (or a chain of them, folded) gave, into an operator built from the same
   * plan that has seen no message yet. Afterwards it behaves exactly as the operator snapshotted did.
   */
  restoreState(entries: Iterable<StateEntry>): void;
  /**
   * Optional: the same snapshot as `snapshotState`, with the encoding of big entries left pending
   * (`encodeCaptured` gives exactly what `snapshotState` would have). The checkpoint runtime prefers it.
   */
  captureState?(full: boolean): CapturedState;
}

/** The key of operator-wide values (watermark progress, counters), apart from every per-key entry. */
export const META_KEY = '';

/** An entry's value: datums (nested arrays allowed) in the row codec's format. */
export function encodeStateValue(values: readonly Datum[]): Uint8Array {
  return encodeRow(values);
}

export function decodeStateValue(value: Uint8Array): Datum[] {
  return decodeRow(value);
}

/** A state key as a Map key: strings as they are, bytes as `\u0000` + hex (never equal to a string key). */
export function stateKeyId(key: StateKey): string {
  return typeof key === 'string' ? key : '\u0000' + Buffer.from(key).toString('hex');
}

/**
 * Folds snapshot deltas, oldest first, into the entries a full snapshot would hold (what the backend
 * does when it reads a chain back). For tests and for restoring from in-memory deltas.
 */
export function foldStateDeltas(deltas: Iterable<StateDelta>): StateEntry[] {
  const byKey = new Map<string, StateEntry>();
  for (const d of deltas) {
    for (const k of d.deletes) byKey.delete(stateKeyId(k));
    for (const e of d.upserts) byKey.set(stateKeyId(e.key), e);
  }
  return [...byKey.values()];
}

/**
 * Keys changed since the last snapshot, for incremental snapshots: an operator marks a key when it
 * changes that key's state (or removes it); `snapshot` then asks, per marked key, whether it still exists.
 */
export class DirtyKeys<K> {
  private keys = new Set<K>();

  mark(key: K): void {
    this.keys.add(key);
  }

  /** Takes the marked keys and starts a new set. */
  take(): Set<K> {
    const taken = this.keys;
    this.keys = new Set<K>();
    return taken;
  }

  clear(): void {
    this.keys.clear();
  }

  get size(): number {
    return this.keys.size;
  }
}

/**
 * The keyed part of most snapshots: every unit of `units` when `full`, else the units marked in
 * `dirty` since the last snapshot (still held: written; gone: deleted), into `out`. Takes the marks.
 */
export function snapshotUnits<K, V>(
  units: ReadonlyMap<K, V>,
  dirty: DirtyKeys<K>,
  full: boolean,
  stateKey: (key: K) => StateKey,
  value: (unit: V, key: K) => Uint8Array,
  out: StateDelta,
): void {
  const marked = dirty.take();
  if (full) {
    for (const [key, unit] of units) out.upserts.push({ key: stateKey(key), value: value(unit, key) });
    return;
  }
  for (const key of marked) {
    const unit = units.get(key);
    if (unit !== undefined) out.upserts.push({ key: stateKey(key), value: value(unit, key) });
    else out.deletes.push(stateKey(key));
  }
}

/**
 * Walks a restored state: each entry but META goes, decoded, to `unit`; returns META's values
 * (undefined when there is none).
 */
export function restoreUnits(entries: Iterable<StateEntry>, unit: (values: Datum[], key: StateKey) => void): Datum[] | undefined {
  let meta: Datum[] | undefined;
  for (const { key, value } of entries) {
    if (key === META_KEY) meta = decodeStateValue(value);
    else unit(decodeStateValue(value), key);
  }
  return meta;
}

/**
 * Checks that a checkpoint's META starts with the operator's shape (what both must agree on);
 * returns what follows the shape. Throws for a state taken by a differently built operator.
 */
export function checkStateShape(operator: string, meta: Datum[] | undefined, shape: readonly Datum[], exact: boolean): Datum[] {
  if (!meta || (exact && meta.length !== shape.length) || meta.length < shape.length || shape.some((v, i) => v !== meta[i])) {
    throw new SqlError(SQLSTATE.internalError, `${operator} checkpoint was taken by a different ${operator} (${String(meta)} vs ${String(shape)})`);
  }
  return meta.slice(shape.length);
}
