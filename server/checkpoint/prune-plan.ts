/**
 * Which checkpoint state a prune removes. It keeps the `retain` newest complete checkpoints whole, and
 * of older checkpoints only the operator states that a kept checkpoint's incremental chains fold onto
 * (such a checkpoint is `retired`: kept for its chain links, no longer restorable). Pure planning over
 * recorded metadata; the backend executes the plan. It must never drop a blob a kept chain needs.
 */
import type { CheckpointStatus } from './api.js';

export interface CheckpointRecord {
  readonly id: number;
  readonly status: CheckpointStatus;
}

/** One stored operator state: which checkpoint holds it and which one it folds onto. */
export interface OperatorStateLink {
  readonly checkpointId: number;
  readonly queryOid: number;
  readonly operatorId: string;
  readonly baseCheckpointId: number | null;
}

export interface PrunePlan {
  /** Checkpoints whose record and every state are removed. */
  readonly removeEntirely: readonly number[];
  /** Complete checkpoints that stop being restorable; only their needed states stay. */
  readonly retire: readonly number[];
  /** States (of checkpoints not removed entirely) whose blob is dropped; their report row stays. */
  readonly dropStates: readonly OperatorStateLink[];
  /** Checkpoints (not removed entirely) whose source positions blob is dropped. */
  readonly dropSources: readonly number[];
}

function linkKey(checkpointId: number, queryOid: number, operatorId: string): string {
  return `${checkpointId}\u0000${queryOid}\u0000${operatorId}`;
}

export function planPrune(checkpoints: readonly CheckpointRecord[], links: readonly OperatorStateLink[], retain: number): PrunePlan {
  if (!Number.isInteger(retain) || retain < 1) throw new RangeError(`prune: retain must be a positive integer, got ${retain}`);
  const complete = checkpoints.filter((c) => c.status === 'complete').map((c) => c.id);
  complete.sort((a, b) => b - a);
  const retained = new Set(complete.slice(0, retain));

  const byKey = new Map<string, OperatorStateLink>();
  const byCheckpoint = new Map<number, OperatorStateLink[]>();
  for (const link of links) {
    byKey.set(linkKey(link.checkpointId, link.queryOid, link.operatorId), link);
    let list = byCheckpoint.get(link.checkpointId);
    if (list === undefined) byCheckpoint.set(link.checkpointId, (list = []));
    list.push(link);
  }

  // Every link of every chain of a retained checkpoint, per operator: a chain never crosses operators.
  const neededLinks = new Set<string>();
  for (const id of retained) {
    for (const link of byCheckpoint.get(id) ?? []) {
      for (let at: OperatorStateLink | undefined = link; at !== undefined; ) {
        neededLinks.add(linkKey(at.checkpointId, at.queryOid, at.operatorId));
        at = at.baseCheckpointId === null ? undefined : byKey.get(linkKey(at.baseCheckpointId, at.queryOid, at.operatorId));
      }
    }
  }

  // With nothing retained, failed and damaged records stay: they are the only report of what went wrong.
  const oldestRetained = retained.size === 0 ? -Infinity : Math.min(...retained);
  const removeEntirely: number[] = [];
  const retire: number[] = [];
  const dropStates: OperatorStateLink[] = [];
  const dropSources: number[] = [];
  for (const c of checkpoints) {
    if (retained.has(c.id) || c.status === 'pending') continue;
    const own = byCheckpoint.get(c.id) ?? [];
    const unneeded = own.filter((l) => !neededLinks.has(linkKey(l.checkpointId, l.queryOid, l.operatorId)));
    if (unneeded.length === own.length && c.id < oldestRetained) {
      removeEntirely.push(c.id);
      continue;
    }
    if (c.status === 'complete' && c.id < oldestRetained) retire.push(c.id);
    if (c.status === 'complete' && c.id > oldestRetained) continue; // cannot happen: newer complete ones are retained
    dropStates.push(...unneeded);
    dropSources.push(c.id);
  }
  return { removeEntirely, retire, dropStates, dropSources };
}
