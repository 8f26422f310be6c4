/**
 * The checkpoint state backend's contract (issue 6, DESIGN.md "Operators and state"): where the
 * coordinator and the stateful operators put each checkpoint's keyed operator state and source
 * positions, and where recovery reads them back. A backend stores bytes and keeps chains of
 * incremental snapshots valid; it never interprets operator state and never drives checkpoints itself.
 */

/** Identifies one stateful operator of one running query (view or stream query). */
export interface OperatorStateRef {
  readonly queryOid: number;
  /** The operator's name, unique within its query and stable across restarts. */
  readonly operatorId: string;
}

/** A key of an operator's keyed state. A string key and a byte key are never equal, whatever their bytes. */
export type StateKey = string | Uint8Array;

export interface StateEntry {
  readonly key: StateKey;
  readonly value: Uint8Array;
}

/**
 * What an operator hands over when a barrier passes. `full`: the whole keyed state. `incremental`:
 * the keys upserted and deleted since checkpoint `baseCheckpointId` (a complete checkpoint holding
 * state for the same operator); reading folds it onto its base. A key appears at most once per write.
 */
export type OperatorStateWrite =
  | { readonly kind: 'full'; readonly entries: readonly StateEntry[] }
  | {
      readonly kind: 'incremental';
      readonly baseCheckpointId: number;
      readonly upserts: readonly StateEntry[];
      readonly deletes: readonly StateKey[];
    };

export type OperatorStateWriteKind = OperatorStateWrite['kind'];

/** Where each source was when the barrier left it: replay resumes right after these positions. */
export interface SourcePositions {
  /** Relation OID -> durable log end offset (the first offset not covered by the checkpoint). */
  readonly relationOffsets: ReadonlyMap<number, number>;
  /** Built-in source name -> its own serialised position (opaque to the backend). */
  readonly builtinPositions: ReadonlyMap<string, string>;
}

/**
 * pending: begun, not completed (after a restart it is `failed`). complete: every write is stored.
 * failed: aborted or never completed; it holds no state. damaged: was complete, but a stored blob of
 * it or of its incremental chain failed its checksum; it is never restored from. retired: pruned, but
 * kept for the operator states a newer checkpoint's incremental chain folds onto; not restorable.
 */
export type CheckpointStatus = 'pending' | 'complete' | 'failed' | 'damaged' | 'retired';

export interface OperatorStateReport extends OperatorStateRef {
  readonly kind: OperatorStateWriteKind;
  /** The checkpoint an incremental write is folded onto; null for a full write. */
  readonly baseCheckpointId: number | null;
  /** Entries of a full write, upserts of an incremental one. */
  readonly upsertCount: number;
  readonly deleteCount: number;
  /** Stored bytes of this operator's blob, framing and checksum included. */
  readonly bytes: number;
}

/** One checkpoint as `freshet_catalog.checkpoints` would show it. */
export interface CheckpointReport {
  readonly id: number;
  readonly status: CheckpointStatus;
  /** Milliseconds since the epoch, as given to `begin`. */
  readonly startedAt: number;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
  /** Stored bytes of all its blobs (operator states and source positions). */
  readonly bytes: number;
  readonly operators: readonly OperatorStateReport[];
  /** Why it failed or is damaged; null otherwise. */
  readonly failure: string | null;
}

/** A complete checkpoint, as listed for recovery. */
export interface CompleteCheckpoint {
  readonly id: number;
  readonly startedAt: number;
  readonly completedAt: number;
  readonly bytes: number;
  readonly operators: readonly OperatorStateRef[];
}

/** What recovery restores from: a complete checkpoint whose every chain verified. */
export interface RestorePoint {
  readonly checkpoint: CompleteCheckpoint;
  readonly sources: SourcePositions;
}

/** The outcome of looking for a restore point. */
export interface RestoreSearch {
  /** The newest verified complete checkpoint; null when there is none (start from the sources' beginning). */
  readonly point: RestorePoint | null;
  /** Newer checkpoints found damaged and skipped by this search, newest first (also marked `damaged`). */
  readonly skipped: readonly { readonly id: number; readonly failure: string }[];
}

/**
 * A store for checkpoints. Ids only grow. `writeOperatorState` and `recordSourcePositions` only copy
 * their input into memory (the caller may reuse or mutate its state right after); `complete` writes
 * everything of the checkpoint in one transaction, so a checkpoint is either complete with all of it
 * or absent. Async methods run one at a time, in call order.
 */
export interface CheckpointBackend {
  /** Start checkpoint `id` (greater than every id begun before), started at `startedAt` (epoch ms). */
  begin(id: number, startedAt: number): Promise<void>;
  /** Buffer one operator's state for pending checkpoint `id`; once per operator per checkpoint. */
  writeOperatorState(id: number, ref: OperatorStateRef, write: OperatorStateWrite): void;
  /** Buffer the source positions of pending checkpoint `id` (required before `complete`). */
  recordSourcePositions(id: number, positions: SourcePositions): void;
  /**
   * Store checkpoint `id` atomically and mark it complete. Rejects (and records the checkpoint as
   * failed, with why) if an incremental write's base is not a complete checkpoint holding that
   * operator, if no source positions were recorded, or if a newer checkpoint already completed.
   */
  complete(id: number): Promise<CheckpointReport>;
  /** Drop pending checkpoint `id`, recording it as failed because of `reason`. */
  abort(id: number, reason: string): Promise<void>;
  /** Complete checkpoints (not damaged ones), oldest first. Does not verify checksums. */
  listComplete(): Promise<CompleteCheckpoint[]>;
  /**
   * The newest complete checkpoint whose blobs and incremental chains all pass their checksums;
   * each newer one that fails is marked damaged, reported and skipped.
   */
  latestRestorable(): Promise<RestoreSearch>;
  /**
   * An operator's keyed state as of complete checkpoint `id` (its incremental chain folded onto the
   * last full write), in no particular order; undefined if that checkpoint holds nothing for it.
   * A checksum failure marks the checkpoint damaged and rejects with `CheckpointDamagedError`.
   */
  readOperatorState(id: number, ref: OperatorStateRef): Promise<StateEntry[] | undefined>;
  /** The source positions stored with complete checkpoint `id`. */
  readSourcePositions(id: number): Promise<SourcePositions>;
  /**
   * Keep the `retain` (>= 1) newest complete checkpoints whole, and of older ones only the operator
   * states their incremental chains need (those become `retired`); remove the rest. Failed or damaged
   * checkpoints newer than the oldest kept keep their report, not their state. Returns the ids removed
   * entirely.
   */
  prune(retain: number): Promise<number[]>;
  /** Every checkpoint still recorded, oldest first. */
  report(): Promise<CheckpointReport[]>;
  /** The highest checkpoint id ever begun here (0 if none): the next one must be greater. */
  lastCheckpointId(): Promise<number>;
  /** Problems found when opening the store (for example a corrupt file moved aside). */
  openProblems(): readonly string[];
  close(): Promise<void>;
}
