/**
 * What a checkpoint holds of one running query (issue 6): each checkpoint unit's state (operators in
 * build order, then a view's rows) and a `progress` unit saying where the query was: its epoch, the
 * log offsets it had read per input relation, its counters, and a fingerprint of its definition and
 * operators, so a state is only ever restored into the same query shape.
 */
import type { RelationDef } from '../catalog/model.js';
import type { StateEntry } from '../checkpoint/api.js';
import { decodeStateValue, encodeStateValue, META_KEY, type CapturedState } from '../exec/operators/operator-state.js';
import type { CheckpointUnit } from './continuous-query.js';

/** Bumped whenever any operator's state encoding changes: older checkpoints are then not restored. */
export const STATE_FORMAT_VERSION = 1;

/** The unit id of a query's progress entry (never an operator's id, which holds a ':'). */
export const PROGRESS_UNIT = 'progress';

export interface QueryProgress {
  readonly epoch: number;
  /** Per base relation read: the next log offset to read. */
  readonly offsets: ReadonlyMap<number, number>;
  readonly lateRows: number;
  /** Rows a blackhole sink has received. */
  readonly sinkRows: number;
  readonly fingerprint: string;
  /** Derived streams: the end offset of the stream's own log (its output) at the checkpoint; else -1. */
  readonly outputEnd: number;
}

/**
 * One query's part of a checkpoint: its units' changes since `base` (or everything when base is
 * null), some values still to encode (CapturedState.pending).
 */
export interface CapturedQuery {
  readonly oid: number;
  /** The complete checkpoint the deltas are relative to; null: full state. */
  readonly base: number | null;
  readonly units: readonly { readonly id: string; readonly captured: CapturedState }[];
}

/** A query's state as read back from a complete checkpoint. */
export interface RestoredQuery {
  readonly checkpointId: number;
  /** Unit id -> its folded entries (the progress unit included). */
  readonly states: ReadonlyMap<string, readonly StateEntry[]>;
}

export function queryFingerprint(rel: RelationDef, units: readonly CheckpointUnit[]): string {
  return `v${STATE_FORMAT_VERSION}|${rel.definition ?? ''}|${units.map((u) => u.id).join(',')}`;
}

export function encodeProgress(p: QueryProgress): StateEntry {
  const offsets: number[] = [];
  for (const [oid, off] of p.offsets) offsets.push(oid, off);
  return { key: META_KEY, value: encodeStateValue([p.epoch, p.lateRows, p.sinkRows, p.fingerprint, offsets, p.outputEnd]) };
}

export function decodeProgress(entries: readonly StateEntry[] | undefined): QueryProgress | undefined {
  const entry = entries?.find((e) => e.key === META_KEY);
  if (!entry) return undefined;
  const [epoch, lateRows, sinkRows, fingerprint, flat, outputEnd] = decodeStateValue(entry.value);
  if (typeof epoch !== 'number' || typeof lateRows !== 'number' || typeof sinkRows !== 'number' || typeof fingerprint !== 'string' || !Array.isArray(flat)) {
    return undefined;
  }
  const offsets = new Map<number, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) offsets.set(flat[i] as number, flat[i + 1] as number);
  return { epoch, offsets, lateRows, sinkRows, fingerprint, outputEnd: typeof outputEnd === 'number' ? outputEnd : -1 };
}

/**
 * A derived stream's output progress, as committed with its output rows (Store.recordQueryProgress):
 * the log offsets it has read, and the built-in sources' positions (`src:` + generator key).
 */
export function encodeOutputProgress(offsets: ReadonlyMap<number, number>, sources?: ReadonlyMap<string, string>): string {
  const pairs: [number | string, number][] = [...offsets];
  for (const [key, pos] of sources ?? []) pairs.push([`src:${key}`, Number(pos)]);
  return JSON.stringify(pairs);
}

/** A derived stream's committed output progress: log offsets by relation, and generator positions by key. */
export interface OutputProgress {
  readonly offsets: Map<number, number>;
  readonly sources: Map<string, number>;
}

export function decodeOutputProgress(text: string | undefined): OutputProgress | undefined {
  if (text === undefined) return undefined;
  let pairs: unknown;
  try {
    pairs = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(pairs)) return undefined;
  const out: OutputProgress = { offsets: new Map(), sources: new Map() };
  for (const p of pairs) {
    if (!Array.isArray(p) || typeof p[1] !== 'number') continue;
    if (typeof p[0] === 'number') out.offsets.set(p[0], p[1]);
    else if (typeof p[0] === 'string' && p[0].startsWith('src:')) out.sources.set(p[0].slice(4), p[1]);
  }
  return out;
}
