/**
 * The default CheckpointBackend: SQLite in `checkpoints.db` under the data dir. Operator states are
 * encoded into owned buffers when handed over and written, with the source positions, in one
 * transaction at `complete`; every blob is checksummed and verified when read, and a checkpoint whose
 * blob or chain fails is marked damaged so recovery falls back to an older one. It never decides when
 * to checkpoint or what an operator's state means.
 */
import type Database from 'better-sqlite3';
import { SQLSTATE, SqlError } from '../errors.js';
import type {
  CheckpointBackend,
  CheckpointReport,
  CompleteCheckpoint,
  OperatorStateRef,
  OperatorStateReport,
  OperatorStateWrite,
  RestoreSearch,
  SourcePositions,
  StateEntry,
} from './api.js';
import { CheckpointDamagedError } from './checkpoint-errors.js';
import { planPrune } from './prune-plan.js';
import {
  CheckpointStatements,
  isCorruptionError,
  openCheckpointDatabase,
  type CheckpointRow,
  type OperatorStateMetaRow,
  type SynchronousLevel,
} from './sqlite-checkpoint-schema.js';
import {
  BlobKind,
  decodeSourcePositions,
  encodeOperatorState,
  encodeSourcePositions,
  openBlob,
  foldOperatorStates,
  type EncodedOperatorState,
  type IntactBlob,
} from './state-blob.js';

export interface SqliteCheckpointBackendOptions {
  /** 'full' (default): a completed checkpoint survives power loss. 'normal': it survives a process crash. */
  readonly synchronous?: SynchronousLevel;
  /** Simulated slow disk: wait this long before each write of `complete` (operator states, then the commit). */
  readonly writeDelayMs?: number;
  /** Completion timestamps come from here (epoch ms); tests pass a fake clock. */
  readonly now?: () => number;
}

interface PendingCheckpoint {
  readonly startedAt: number;
  readonly states: Map<string, EncodedOperatorState>;
  sources: Buffer | null;
}

/** A pending checkpoint that cannot complete: recorded as failed with this message. */
class CheckpointRejected extends SqlError {
  constructor(message: string) {
    super(SQLSTATE.objectNotInPrerequisiteState, message);
  }
}

const CRASHED = 'the process ended before the checkpoint completed';

function refKey(ref: OperatorStateRef): string {
  return `${ref.queryOid}\u0000${ref.operatorId}`;
}

function describeRef(ref: OperatorStateRef): string {
  return `operator "${ref.operatorId}" of query ${ref.queryOid}`;
}

function kindOf(kind: 'full' | 'incremental'): BlobKind {
  return kind === 'full' ? BlobKind.Full : BlobKind.Incremental;
}

export function openSqliteCheckpointBackend(dataDir: string, options: SqliteCheckpointBackendOptions = {}): SqliteCheckpointBackend {
  return new SqliteCheckpointBackend(dataDir, options);
}

export class SqliteCheckpointBackend implements CheckpointBackend {
  private readonly db: Database.Database;
  private readonly sql: CheckpointStatements;
  private readonly problems: readonly string[];
  private readonly writeDelayMs: number;
  private readonly now: () => number;
  private readonly pending = new Map<number, PendingCheckpoint>();
  private lastBegun: number;
  /** Async operations run one at a time: `complete` holds a transaction open across its delays. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, options: SqliteCheckpointBackendOptions = {}) {
    const opened = openCheckpointDatabase(dataDir, options.synchronous ?? 'full');
    this.db = opened.db;
    this.problems = opened.problems;
    this.sql = new CheckpointStatements(this.db);
    this.writeDelayMs = options.writeDelayMs ?? 0;
    this.now = options.now ?? Date.now;
    this.sql.failLeftoverPending.run(CRASHED);
    this.lastBegun = this.sql.lastId.get()?.value ?? 0;
  }

  private serially<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private pendingCheckpoint(id: number): PendingCheckpoint {
    const p = this.pending.get(id);
    if (p === undefined) throw new Error(`checkpoint ${id} is not pending (never begun, or already completed or aborted)`);
    return p;
  }

  begin(id: number, startedAt: number): Promise<void> {
    if (!Number.isSafeInteger(id) || id <= this.lastBegun) {
      return Promise.reject(new Error(`checkpoint id ${id} must be an integer greater than ${this.lastBegun}`));
    }
    if (!Number.isFinite(startedAt)) return Promise.reject(new Error(`checkpoint ${id}: start time ${startedAt} is not a time`));
    this.lastBegun = id;
    this.pending.set(id, { startedAt, states: new Map(), sources: null });
    return this.serially(() => {
      this.db.transaction(() => {
        this.sql.insertPending.run(id, Math.round(startedAt));
        this.sql.setLastId.run(id);
      })();
    });
  }

  writeOperatorState(id: number, ref: OperatorStateRef, write: OperatorStateWrite): void {
    const p = this.pendingCheckpoint(id);
    const key = refKey(ref);
    if (p.states.has(key)) throw new Error(`checkpoint ${id}: ${describeRef(ref)} already wrote its state`);
    p.states.set(key, encodeOperatorState(id, ref, write));
  }

  recordSourcePositions(id: number, positions: SourcePositions): void {
    const p = this.pendingCheckpoint(id);
    if (p.sources !== null) throw new Error(`checkpoint ${id}: source positions already recorded`);
    p.sources = encodeSourcePositions(id, positions);
  }

  complete(id: number): Promise<CheckpointReport> {
    let p: PendingCheckpoint;
    try {
      p = this.pendingCheckpoint(id);
    } catch (e) {
      return Promise.reject(e);
    }
    this.pending.delete(id);
    return this.serially(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        await this.storePending(id, p);
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        const reason = e instanceof CheckpointRejected ? e.message : `could not be stored: ${(e as Error).message}`;
        this.sql.markFailed.run(reason, id);
        throw e;
      }
      return this.reportOf(this.sql.checkpoint.get(id)!, this.sql.operatorMetaOf.all(id));
    });
  }

  /** Inside complete's transaction: validate, then write every state and mark the checkpoint complete. */
  private async storePending(id: number, p: PendingCheckpoint): Promise<void> {
    const newest = this.sql.newestCompleteId.get()?.id ?? null;
    if (newest !== null && newest > id) throw new CheckpointRejected(`checkpoint ${id} was subsumed: checkpoint ${newest} completed first`);
    if (p.sources === null) throw new CheckpointRejected(`checkpoint ${id} has no source positions`);
    let bytes = p.sources.length;
    for (const state of p.states.values()) {
      if (state.baseCheckpointId !== null) this.checkBase(id, state.ref, state.baseCheckpointId);
      await this.slowDisk();
      this.sql.insertOperatorState.run(
        id,
        state.ref.queryOid,
        state.ref.operatorId,
        state.kind,
        state.baseCheckpointId,
        state.upsertCount,
        state.deleteCount,
        state.blob.length,
        state.blob,
      );
      bytes += state.blob.length;
    }
    await this.slowDisk();
    const marked = this.sql.markComplete.run(this.now(), p.states.size, bytes, p.sources, id);
    if (marked.changes !== 1) throw new CheckpointRejected(`checkpoint ${id} is no longer pending`);
  }

  private checkBase(id: number, ref: OperatorStateRef, baseId: number): void {
    const base = this.sql.checkpoint.get(baseId);
    if (base === undefined || base.status !== 'complete') {
      const what = base === undefined ? 'does not exist (pruned or never begun)' : `is ${base.status}`;
      throw new CheckpointRejected(`checkpoint ${id}: ${describeRef(ref)} is incremental on checkpoint ${baseId}, which ${what}`);
    }
    if (this.sql.hasState.get(baseId, ref.queryOid, ref.operatorId) === undefined) {
      throw new CheckpointRejected(`checkpoint ${id}: ${describeRef(ref)} is incremental on checkpoint ${baseId}, which holds no state for it`);
    }
  }

  private slowDisk(): Promise<void> | undefined {
    if (this.writeDelayMs <= 0) return undefined;
    return new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
  }

  abort(id: number, reason: string): Promise<void> {
    if (!this.pending.delete(id)) return Promise.reject(new Error(`checkpoint ${id} is not pending`));
    return this.serially(() => {
      this.sql.markFailed.run(reason, id);
    });
  }

  listComplete(): Promise<CompleteCheckpoint[]> {
    return this.serially(() => {
      const operators = this.operatorsByCheckpoint();
      const out: CompleteCheckpoint[] = [];
      for (const row of this.sql.allCheckpoints.all()) {
        if (row.status !== 'complete') continue;
        const refs = (operators.get(row.id) ?? []).map((m) => ({ queryOid: m.query_oid, operatorId: m.operator_id }));
        out.push({ id: row.id, startedAt: row.started_at, completedAt: row.completed_at!, bytes: row.bytes, operators: refs });
      }
      return out;
    });
  }

  latestRestorable(): Promise<RestoreSearch> {
    return this.serially(() => {
      const skipped: { id: number; failure: string }[] = [];
      const verified = new Set<string>();
      for (const { id } of this.sql.completeIdsNewestFirst.all()) {
        const checked = this.verifyCheckpoint(id, verified);
        if (checked.kind === 'intact') {
          const row = this.sql.checkpoint.get(id)!;
          const operators = this.sql.operatorMetaOf.all(id).map((m) => ({ queryOid: m.query_oid, operatorId: m.operator_id }));
          const checkpoint = { id, startedAt: row.started_at, completedAt: row.completed_at!, bytes: row.bytes, operators };
          return { point: { checkpoint, sources: checked.sources }, skipped };
        }
        this.sql.markDamaged.run(checked.failure, id);
        skipped.push({ id, failure: checked.failure });
      }
      return { point: null, skipped };
    });
  }

  /** Checks every blob checkpoint `id` needs (its own and its chains'); `verified` caches blobs already checked. */
  private verifyCheckpoint(
    id: number,
    verified: Set<string>,
  ): { kind: 'intact'; sources: SourcePositions } | { kind: 'damaged'; failure: string } {
    try {
      const sources = this.decodeSources(id);
      if (typeof sources === 'string') return { kind: 'damaged', failure: sources };
      const row = this.sql.checkpoint.get(id)!;
      const metas = this.sql.operatorMetaOf.all(id);
      if (metas.length !== row.operator_count) {
        return { kind: 'damaged', failure: `${metas.length} operator states stored, ${row.operator_count} recorded at completion` };
      }
      for (const m of metas) {
        const ref = { queryOid: m.query_oid, operatorId: m.operator_id };
        for (let at: number | null = id; at !== null; ) {
          const key = `${at}\u0000${refKey(ref)}`;
          const blob = this.sql.stateBlob.get(at, ref.queryOid, ref.operatorId);
          if (blob === undefined) return { kind: 'damaged', failure: `${describeRef(ref)}: chain link checkpoint ${at} is missing` };
          if (!verified.has(key)) {
            const opened = openBlob(blob.state, { kind: kindOf(blob.kind), checkpointId: at, ...ref });
            if (opened.kind === 'damaged') return { kind: 'damaged', failure: `${describeRef(ref)} in checkpoint ${at}: ${opened.failure}` };
            if ((opened.header.baseCheckpointId || null) !== blob.base_id) {
              return { kind: 'damaged', failure: `${describeRef(ref)} in checkpoint ${at}: blob base does not match its record` };
            }
            verified.add(key);
          }
          at = blob.base_id;
        }
      }
      return { kind: 'intact', sources };
    } catch (e) {
      if (!isCorruptionError(e)) throw e;
      return { kind: 'damaged', failure: `SQLite reports corruption: ${(e as Error).message}` };
    }
  }

  /** The decoded source positions of checkpoint `id`, or why they cannot be read. */
  private decodeSources(id: number): SourcePositions | string {
    const row = this.sql.sources.get(id);
    const opened = openBlob(row?.sources ?? null, { kind: BlobKind.Sources, checkpointId: id, queryOid: 0, operatorId: '' });
    if (opened.kind === 'damaged') return `source positions: ${opened.failure}`;
    try {
      return decodeSourcePositions(opened);
    } catch (e) {
      return `source positions: ${(e as Error).message}`;
    }
  }

  readOperatorState(id: number, ref: OperatorStateRef): Promise<StateEntry[] | undefined> {
    return this.serially(() => {
      this.requireReadable(id);
      if (this.sql.hasState.get(id, ref.queryOid, ref.operatorId) === undefined) return undefined;
      const folded = this.foldChain(id, ref);
      if (typeof folded === 'string') throw this.damage(id, folded);
      return folded;
    });
  }

  /** Folds the chain ending at checkpoint `id` onto its last full write; a string says what is damaged. */
  private foldChain(id: number, ref: OperatorStateRef): StateEntry[] | string {
    try {
      const chain: IntactBlob[] = [];
      for (let at: number | null = id; at !== null; ) {
        const blob = this.sql.stateBlob.get(at, ref.queryOid, ref.operatorId);
        if (blob === undefined) return `${describeRef(ref)}: chain link checkpoint ${at} is missing`;
        const opened = openBlob(blob.state, { kind: kindOf(blob.kind), checkpointId: at, ...ref });
        if (opened.kind === 'damaged') return `${describeRef(ref)} in checkpoint ${at}: ${opened.failure}`;
        if ((opened.header.baseCheckpointId || null) !== blob.base_id) {
          return `${describeRef(ref)} in checkpoint ${at}: blob base does not match its record`;
        }
        chain.push(opened);
        at = blob.base_id;
      }
      try {
        return foldOperatorStates(chain[chain.length - 1]!, chain.slice(0, -1).reverse());
      } catch (e) {
        return `${describeRef(ref)} in the chain of checkpoint ${id}: ${(e as Error).message}`;
      }
    } catch (e) {
      if (!isCorruptionError(e)) throw e;
      return `SQLite reports corruption: ${(e as Error).message}`;
    }
  }

  readSourcePositions(id: number): Promise<SourcePositions> {
    return this.serially(() => {
      this.requireReadable(id);
      const sources = this.decodeSources(id);
      if (typeof sources === 'string') throw this.damage(id, sources);
      return sources;
    });
  }

  private requireReadable(id: number): void {
    const row = this.sql.checkpoint.get(id);
    if (row?.status === 'damaged') throw new CheckpointDamagedError(id, row.failure ?? 'damaged');
    if (row?.status !== 'complete') throw new Error(`checkpoint ${id} is not a complete checkpoint (${row?.status ?? 'absent'})`);
  }

  private damage(id: number, failure: string): CheckpointDamagedError {
    this.sql.markDamaged.run(failure, id);
    return new CheckpointDamagedError(id, failure);
  }

  prune(retain: number): Promise<number[]> {
    return this.serially(() => {
      const links = this.sql.allOperatorMeta.all().map((m) => ({
        checkpointId: m.checkpoint_id,
        queryOid: m.query_oid,
        operatorId: m.operator_id,
        baseCheckpointId: m.base_id,
      }));
      const plan = planPrune(this.sql.allCheckpoints.all(), links, retain);
      this.db.transaction(() => {
        for (const id of plan.removeEntirely) {
          this.sql.deleteOperatorStates.run(id);
          this.sql.deleteCheckpoint.run(id);
        }
        for (const id of plan.retire) this.sql.markRetired.run(id);
        for (const l of plan.dropStates) this.sql.dropStateBlob.run(l.checkpointId, l.queryOid, l.operatorId);
        for (const id of plan.dropSources) this.sql.dropSourcesBlob.run(id);
      })();
      return [...plan.removeEntirely];
    });
  }

  report(): Promise<CheckpointReport[]> {
    return this.serially(() => {
      const operators = this.operatorsByCheckpoint();
      return this.sql.allCheckpoints.all().map((row) => this.reportOf(row, operators.get(row.id) ?? []));
    });
  }

  private operatorsByCheckpoint(): Map<number, OperatorStateMetaRow[]> {
    const byCheckpoint = new Map<number, OperatorStateMetaRow[]>();
    for (const m of this.sql.allOperatorMeta.all()) {
      let list = byCheckpoint.get(m.checkpoint_id);
      if (list === undefined) byCheckpoint.set(m.checkpoint_id, (list = []));
      list.push(m);
    }
    return byCheckpoint;
  }

  private reportOf(row: CheckpointRow, metas: readonly OperatorStateMetaRow[]): CheckpointReport {
    const operators: OperatorStateReport[] = metas.map((m) => ({
      queryOid: m.query_oid,
      operatorId: m.operator_id,
      kind: m.kind,
      baseCheckpointId: m.base_id,
      upsertCount: m.upsert_count,
      deleteCount: m.delete_count,
      bytes: m.bytes,
    }));
    return {
      id: row.id,
      status: row.status,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      durationMs: row.completed_at === null ? null : row.completed_at - row.started_at,
      bytes: row.bytes,
      operators,
      failure: row.failure,
    };
  }

  lastCheckpointId(): Promise<number> {
    return Promise.resolve(this.lastBegun);
  }

  openProblems(): readonly string[] {
    return this.problems;
  }

  /** Checkpoints still pending are dropped (after reopening they are reported failed, as after a crash). */
  close(): Promise<void> {
    return this.serially(() => {
      if (this.db.open) this.db.close();
    });
  }
}
