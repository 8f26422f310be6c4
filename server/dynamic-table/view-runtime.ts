/**
 * The running continuous queries of one process: materialized views (result kept in memory) and
 * derived streams (`CREATE STREAM s AS`, result appended to s's durable log). Each starts with a
 * backfill (its inputs' current rows as one epoch) and then, after every commit, receives the
 * changes committed to its inputs, read back from the durable log by offset (DESIGN.md: sources
 * replay from the log), or the epoch changes of the views it reads. Queries advance in creation
 * order, so a query always sees its upstream views' and streams' changes of the same commit.
 *
 * Checkpoints (issue 6): between epochs every query is at a consistent point, so `captureCheckpoint`
 * snapshots each query's operators (incrementally after the first) with the log offsets it has read.
 * On start, `start` with a restored state skips the backfill; `finishRecovery` then replays every
 * restored query's inputs from its offsets. A derived stream commits its output together with the
 * input offsets it covers, so recovery replays up to there without appending again (exactly once).
 */
import type { RelationDef } from '../catalog/model.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import type { ExecContext } from '../plan/context.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { CommittedChanges, Store } from '../storage/api.js';
import { Op, OP_TEXT, opSign, parseOp } from './changelog-op.js';
import { exactKeyOf } from '../exec/row-key.js';
import { ChangelogSink } from './changelog-sink.js';
import { ChangelogChunk, ChunkBuilder } from './chunk.js';
import type { Datum } from '../types/datum.js';
import type { CapturedState } from '../exec/operators/operator-state.js';
import { ContinuousQuery, type CheckpointUnit } from './continuous-query.js';
import {
  decodeOutputProgress,
  decodeProgress,
  encodeOutputProgress,
  encodeProgress,
  PROGRESS_UNIT,
  queryFingerprint,
  type CapturedQuery,
  type RestoredQuery,
} from './query-checkpoint.js';
import { MaterializedState } from './materialized-state.js';
import { StreamWatermarks } from './stream-watermarks.js';
import type { CatalogReader } from '../catalog/model.js';

const LOG_CHUNK_ROWS = 1024;

interface RunningQuery {
  readonly rel: RelationDef;
  readonly query: ContinuousQuery;
  /** Next log offset to read, per base relation (tables and streams) the query reads. */
  readonly offsets: Map<number, number>;
  /** Oids of the materialized views it reads. */
  readonly upstreamViews: Set<number>;
  /** The changes of the last epoch, for views downstream. */
  lastEpoch: ChangelogChunk | null;
  /** The watermark last sent into the query, per watermarked stream it reads. */
  readonly sentWatermarks: Map<number, { time: number; idle: boolean }>;
  /** Set when maintaining the query failed; reads report it. */
  failure: SqlError | null;
  /** The checkpoint state units (undefined: the query cannot be checkpointed) and their fingerprint. */
  readonly units: CheckpointUnit[] | undefined;
  readonly fingerprint: string;
  /** The complete checkpoint its next snapshot is relative to; null: the next one is full. */
  checkpointBase: number | null;
  /** Derived streams: the epoch's output is not appended (recovery replaying what was already appended). */
  suppressOutput: boolean;
  /** Derived streams: output is committed with the input offsets it covers. */
  readonly recordsProgress: boolean;
  /**
   * A derived stream restored behind output it had appended (reading views or built-in sources,
   * which the committed input offsets do not cover): the catch-up epoch's output is appended less
   * what its log holds from this offset on, so nothing is appended twice.
   */
  dedupeFrom: number | undefined;
  /**
   * A derived stream over built-in sources restored behind output it had appended: its epochs' output
   * is not appended again until the sources have regenerated past these positions (its committed progress).
   */
  suppressUntilSources: Map<string, number> | undefined;
  /** Started in recovery to replay its inputs' logs from offset 0 (no checkpoint held it): it has seen no barrier yet. */
  fromLogStart: boolean;
}

export interface StartOptions {
  /**
   * Derived streams only: append the backfill epoch's rows to the stream. False on a restart, where
   * the stream already holds them (the query's state is rebuilt silently).
   */
  readonly emitBackfill: boolean;
  /** Derived streams only: the output carries an `op` column (the query is not append-only). */
  readonly withOpColumn: boolean;
  /** EMIT ON WINDOW CLOSE (the catalog's flag of the view or stream). */
  readonly emitOnWindowClose?: boolean;
  /** Sinks (CREATE SINK ... connector 'blackhole'): the output is counted and dropped. */
  readonly discardOutput?: boolean;
}

export class ViewRuntime {
  private readonly running = new Map<number, RunningQuery>();
  /** While recovering (after `beginRecovery`): the queries restored so far, to catch up in `finishRecovery`. */
  private recovering: Set<number> | undefined;
  private epoch = 0;
  /** Changes committed since the last afterCommit, per relation, handed over by the store. */
  private committed = new Map<number, CommittedChanges[]>();
  /** Subscriptions are keyed by negative ids, apart from relation oids. */
  private nextSubscriptionId = -1;
  readonly watermarks: StreamWatermarks;
  /** The newest epoch a completed checkpoint covers (committed SUBSCRIBE output goes up to it). */
  committedEpoch = 0;
  private readonly committedListeners = new Set<(epoch: number) => void>();
  /** Rows each blackhole sink has received. */
  readonly sinkRows = new Map<number, number>();
  /** Connector sources (rows generated, not stored): set by the engine. */
  sources:
    | { isSource(rel: RelationDef): boolean; scan(rel: RelationDef): Iterable<ChangelogChunk>; positions(): Map<string, string> }
    | undefined;

  constructor(private readonly store: Store, catalog: CatalogReader) {
    this.watermarks = new StreamWatermarks(store, catalog);
    store.onCommitted = (changes) => {
      this.watermarks.observe(changes);
      if (this.running.size === 0) return;
      for (const c of changes) {
        const list = this.committed.get(c.relOid);
        if (list) list.push(c);
        else this.committed.set(c.relOid, [c]);
      }
    };
  }

  /**
   * The changes of `relOid` in [from, end) as chunks: from what the store handed over at commit when
   * it covers that range exactly, else read back from the durable log.
   */
  private changesOf(relOid: number, from: number, end: number, width: number): Iterable<ChangelogChunk> {
    const handed = this.committed.get(relOid);
    if (handed && handed[0]!.from === from) {
      let next = from;
      let contiguous = true;
      for (const c of handed) {
        if (c.from !== next) contiguous = false;
        next = c.from + c.ops.length;
      }
      if (contiguous && next === end) return handedChunks(handed, width);
    }
    return logChunks(this.store, relOid, from, end, width);
  }

  /**
   * Starts maintaining `rel` (a materialized view or derived stream) with `plan`. With `restored`
   * (recovery, between beginRecovery and finishRecovery): its state comes from the checkpoint instead
   * of a backfill when the state fits the query; returns whether it did.
   */
  start(rel: RelationDef, plan: LogicalPlan, ctx: ExecContext, opts: StartOptions = { emitBackfill: true, withOpColumn: false }, restored?: RestoredQuery): boolean {
    const width = plan.schema.length;
    const emitOnWindowClose = opts.emitOnWindowClose ?? rel.emitOnWindowClose ?? false;
    const derived = rel.kind !== 'materializedView' && !opts.discardOutput && rel.oid > 0;
    const make = (restoring: boolean): ContinuousQuery => {
      const sink = rel.kind === 'materializedView' ? new MaterializedState(width) : new ChangelogSink(width);
      return new ContinuousQuery(plan, ctx, sink, { emitOnWindowClose, restoring });
    };
    const onEpoch = (entry: RunningQuery, changes: ChangelogChunk, _epoch: number, isSnapshot: boolean): void => {
      if (rel.kind === 'materializedView') return;
      if (opts.discardOutput) this.sinkRows.set(rel.oid, (this.sinkRows.get(rel.oid) ?? 0) + changes.length);
      else if (entry.suppressOutput) return;
      else if (entry.suppressUntilSources !== undefined) {
        // Epochs of events generated again after a restore: their output is in the log already.
        const now = this.sources?.positions() ?? new Map<string, string>();
        let behind = false;
        let reached = true;
        for (const [key, target] of entry.suppressUntilSources) {
          const pos = Number(now.get(key) ?? 0);
          if (pos <= target) behind = true;
          if (pos < target) reached = false;
        }
        if (reached) entry.suppressUntilSources = undefined;
        if (behind) return;
        this.appendToStream(rel, changes, opts.withOpColumn, entry.offsets);
      } else if (entry.dedupeFrom !== undefined) {
        const from = entry.dedupeFrom;
        entry.dedupeFrom = undefined;
        this.appendToStream(rel, withoutAppended(changes, this.appendedSince(rel, from, opts.withOpColumn)), opts.withOpColumn, entry.offsets);
      } else if (!isSnapshot || opts.emitBackfill) this.appendToStream(rel, changes, opts.withOpColumn, entry.recordsProgress ? entry.offsets : undefined);
    };
    if (restored && this.recovering) {
      const query = make(true);
      if (this.restoreQuery(rel, query, restored, derived, onEpoch)) return true;
    }
    // A derived stream that committed output before: replay its inputs' logs from the start, without
    // appending what its committed progress says is there, rather than lose the epochs in between.
    const resumeOutput = this.recovering !== undefined && derived && !opts.emitBackfill ? decodeOutputProgress(this.store.queryProgress(rel.oid)) : undefined;
    this.startQuery(rel, make(false), onEpoch, derived, resumeOutput !== undefined);
    return false;
  }

  /** Restores a query from a checkpoint's state, if the state is of this query shape and its upstream views were restored too. */
  private restoreQuery(
    rel: RelationDef,
    query: ContinuousQuery,
    restored: RestoredQuery,
    derived: boolean,
    onEpoch: (entry: RunningQuery, changes: ChangelogChunk, epoch: number, isSnapshot: boolean) => void,
  ): boolean {
    const units = query.checkpointUnits();
    if (!units) return false;
    const fingerprint = queryFingerprint(rel, units);
    const progress = decodeProgress(restored.states.get(PROGRESS_UNIT));
    if (!progress || progress.fingerprint !== fingerprint) return false;
    const entry = this.newEntry(rel, query, units, fingerprint, derived);
    for (const input of query.inputs) {
      if (input.kind === 'materializedView') {
        if (!this.recovering?.has(input.oid)) return false;
        entry.upstreamViews.add(input.oid);
      } else if (!this.sources?.isSource(input)) {
        const off = progress.offsets.get(input.oid);
        if (off === undefined || off > this.store.endOffset(input.oid)) return false;
        entry.offsets.set(input.oid, off);
      }
    }
    try {
      for (const u of units) u.state.restoreState(restored.states.get(u.id) ?? []);
    } catch (e) {
      // A state this build cannot take back: the query is rebuilt from its inputs instead.
      process.emitWarning(`"${rel.name}" not restored from checkpoint ${restored.checkpointId}: ${e instanceof Error ? e.message : String(e)}`, { code: 'FRESHET_RESTORE' });
      return false;
    }
    query.metrics.lateRows = progress.lateRows;
    if (progress.sinkRows > 0) this.sinkRows.set(rel.oid, progress.sinkRows);
    this.epoch = Math.max(this.epoch, progress.epoch);
    this.committedEpoch = Math.max(this.committedEpoch, progress.epoch);
    const readsViews = query.inputs.some((r) => r.kind === 'materializedView');
    const readsSources = query.inputs.some((r) => this.sources?.isSource(r));
    if (derived && progress.outputEnd >= 0 && this.store.endOffset(rel.oid) > progress.outputEnd) {
      if (readsSources && !readsViews) {
        // The generators resume at the checkpoint's positions and regenerate the same batches.
        const target = decodeOutputProgress(this.store.queryProgress(rel.oid))?.sources;
        if (target && target.size > 0) entry.suppressUntilSources = target;
      } else if (readsViews && !readsSources) {
        entry.dedupeFrom = progress.outputEnd;
      }
    }
    entry.checkpointBase = restored.checkpointId;
    query.sink.onEpoch = (changes, epoch) => {
      entry.lastEpoch = changes;
      onEpoch(entry, changes, epoch, false);
    };
    this.running.set(rel.oid, entry);
    this.recovering!.add(rel.oid);
    return true;
  }

  private newEntry(rel: RelationDef, query: ContinuousQuery, units: CheckpointUnit[] | undefined, fingerprint: string, derived: boolean): RunningQuery {
    return {
      rel, query, offsets: new Map(), upstreamViews: new Set(), lastEpoch: null, failure: null, sentWatermarks: new Map(),
      units, fingerprint, checkpointBase: null, suppressOutput: false, recordsProgress: derived, dedupeFrom: undefined, suppressUntilSources: undefined, fromLogStart: false,
    };
  }

  /**
   * Starts a query from its inputs. `replayLog`: instead of a backfill of the inputs' current rows,
   * the query reads every base input's log from offset 0 in recovery's catch-up (a derived stream
   * resuming its output exactly where its committed progress says).
   */
  private startQuery(
    rel: RelationDef,
    query: ContinuousQuery,
    onEpoch: (entry: RunningQuery, changes: ChangelogChunk, epoch: number, isSnapshot: boolean) => void,
    derived: boolean,
    replayLog = false,
  ): void {
    const sink = query.sink;
    const units = rel.oid > 0 ? query.checkpointUnits() : undefined;
    const entry = this.newEntry(rel, query, units, units ? queryFingerprint(rel, units) : '', derived);
    let backfilling = true;
    sink.onEpoch = (changes, epoch) => {
      entry.lastEpoch = changes;
      onEpoch(entry, changes, epoch, backfilling);
    };
    if (replayLog && query.inputs.every((r) => r.kind !== 'materializedView' && !this.sources?.isSource(r))) {
      for (const input of query.inputs) entry.offsets.set(input.oid, 0);
      entry.fromLogStart = true;
      backfilling = false;
      this.running.set(rel.oid, entry);
      this.recovering!.add(rel.oid);
      return;
    }
    const seen = new Set<number>();
    for (const input of query.inputs) {
      if (seen.has(input.oid)) continue;
      seen.add(input.oid);
      if (input.kind === 'materializedView') {
        const up = this.running.get(input.oid);
        if (!up || !(up.query.sink instanceof MaterializedState)) {
          throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, `materialized view "${input.name}" is not running`);
        }
        entry.upstreamViews.add(input.oid);
        for (const chunk of up.query.sink.scan(LOG_CHUNK_ROWS)) query.deliver(input.oid, chunk);
      } else {
        entry.offsets.set(input.oid, this.store.endOffset(input.oid));
        const rows = this.sources?.isSource(input) ? this.sources.scan(input) : this.store.scan(input, LOG_CHUNK_ROWS);
        for (const chunk of rows) query.deliver(input.oid, chunk);
      }
    }
    this.sendWatermarks(entry);
    query.barrier(this.epoch);
    backfilling = false;
    this.running.set(rel.oid, entry);
  }

  /**
   * Starts a push query for a SUBSCRIBE: its snapshot and every later epoch go to `subscription`.
   * Returns the handle that stops it. Subscriptions run after the views that exist when they start.
   */
  subscribe(plan: LogicalPlan, ctx: ExecContext, subscription: (changes: ChangelogChunk, epoch: number, isSnapshot: boolean) => void): () => void {
    const id = this.nextSubscriptionId--;
    const rel: RelationDef = { oid: id, schema: 'pg_temp', name: `subscription ${-id}`, kind: 'stream', columns: [], primaryKey: [], options: {} };
    const query = new ContinuousQuery(plan, ctx, new ChangelogSink(plan.schema.length));
    this.startQuery(rel, query, (_entry, changes, epoch, isSnapshot) => subscription(changes, epoch, isSnapshot), false);
    return () => this.stop(id);
  }

  /** Recovery begins: queries started with a restored state are caught up by `finishRecovery`. */
  beginRecovery(): void {
    this.recovering = new Set();
  }

  /**
   * Recovery ends: each derived stream restored behind its committed output first replays, without
   * appending, up to where that output reaches; then one epoch replays every restored query's inputs
   * from its offsets to the end of the log. Returns the oids restored.
   */
  finishRecovery(): number[] {
    const restored = [...(this.recovering ?? [])];
    this.recovering = undefined;
    for (const oid of restored) {
      const entry = this.running.get(oid);
      if (!entry || !entry.recordsProgress || entry.upstreamViews.size > 0) continue;
      const covered = decodeOutputProgress(this.store.queryProgress(oid))?.offsets;
      if (!covered) continue;
      let replayed = false;
      try {
        for (const [relOid, from] of entry.offsets) {
          const to = Math.min(covered.get(relOid) ?? from, this.store.endOffset(relOid));
          if (to <= from) continue;
          const width = entry.query.inputs.find((r) => r.oid === relOid)!.columns.length;
          for (const chunk of this.changesOf(relOid, from, to, width)) entry.query.deliver(relOid, chunk);
          entry.offsets.set(relOid, to);
          replayed = true;
        }
        // A query replaying from the start gets its first barrier here even with nothing to replay: what
        // that barrier emits (an ungrouped aggregate's row over no rows) was appended when it was created.
        if (replayed || entry.fromLogStart) {
          entry.suppressOutput = true;
          entry.query.barrier(++this.epoch);
        }
      } catch (e) {
        entry.failure = toSqlError(e);
      } finally {
        entry.suppressOutput = false;
      }
    }
    this.runEpoch(undefined);
    // A stream whose catch-up produced no output at all: what it appended after the checkpoint is
    // undone (its output now equals what it was at the checkpoint).
    for (const oid of restored) {
      const entry = this.running.get(oid);
      if (!entry || entry.dedupeFrom === undefined || entry.failure) continue;
      const empty = new ChunkBuilder(entry.query.sink.width).build();
      entry.query.sink.onEpoch?.(empty, this.epoch);
    }
    return restored;
  }

  /**
   * A checkpoint's share of the queries, taken between epochs: every running query that can be
   * checkpointed (not a subscription, not failed) gives its units' state, full when it has no base
   * checkpoint yet, else what changed since; plus its progress. Also the log offsets read per relation.
   */
  captureCheckpoint(): { queries: CapturedQuery[]; relationOffsets: Map<number, number>; epoch: number } {
    const queries: CapturedQuery[] = [];
    const relationOffsets = new Map<number, number>();
    for (const [oid, entry] of this.running) {
      if (oid < 0 || entry.failure || !entry.units) continue;
      const full = entry.checkpointBase === null;
      const units: { id: string; captured: CapturedState }[] = [];
      for (const u of entry.units) {
        let captured = u.state.captureState?.(full);
        if (!captured) {
          const delta = u.state.snapshotState(full);
          captured = { ready: delta.upserts, pending: [], deletes: delta.deletes };
        }
        units.push({ id: u.id, captured });
      }
      const progress = encodeProgress({
        epoch: this.epoch,
        offsets: entry.offsets,
        lateRows: entry.query.metrics.lateRows,
        sinkRows: this.sinkRows.get(oid) ?? 0,
        fingerprint: entry.fingerprint,
        outputEnd: entry.recordsProgress ? this.store.endOffset(oid) : -1,
      });
      units.push({ id: PROGRESS_UNIT, captured: { ready: [progress], pending: [], deletes: [] } });
      queries.push({ oid, base: entry.checkpointBase, units });
      for (const [rel, off] of entry.offsets) relationOffsets.set(rel, Math.max(off, relationOffsets.get(rel) ?? 0));
    }
    return { queries, relationOffsets, epoch: this.epoch };
  }

  /**
   * The checkpoint holding `captured` completed (`id`), or failed (null): the queries' next snapshots
   * are relative to it, or full again (their changes since the last base went into the failed one).
   */
  checkpointSettled(id: number | null, captured: readonly CapturedQuery[], epoch: number): void {
    for (const c of captured) {
      const entry = this.running.get(c.oid);
      if (entry) entry.checkpointBase = id;
    }
    if (id !== null && epoch > this.committedEpoch) {
      this.committedEpoch = epoch;
      for (const l of this.committedListeners) l(epoch);
    }
  }

  /** Calls `listener` with the covered epoch whenever a checkpoint completes; returns the unsubscribe. */
  onCommittedEpoch(listener: (epoch: number) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  stop(oid: number): void {
    this.running.delete(oid);
  }

  isRunning(oid: number): boolean {
    return this.running.has(oid);
  }

  /** A materialized view's current rows; throws the error that stopped its maintenance, if any. */
  scan(oid: number): Iterable<ChangelogChunk> {
    const entry = this.running.get(oid);
    if (!entry || !(entry.query.sink instanceof MaterializedState)) {
      throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, 'materialized view is not running');
    }
    if (entry.failure) throw entry.failure;
    return entry.query.sink.scan();
  }

  /**
   * After a commit: every query whose inputs changed gets the new log entries (or upstream epoch
   * changes) and a barrier. A query whose maintenance throws is marked failed; the commit stands.
   */
  afterCommit(): void {
    this.runEpoch(undefined);
  }

  /**
   * New rows of connector sources (not in the store): one epoch for every query reading them. The
   * sources' watermarks advance first, so the epoch carries them.
   */
  deliverSources(deliveries: readonly { rel: RelationDef; chunk: ChangelogChunk; maxEventTime: number }[]): void {
    const bySource = new Map<number, ChangelogChunk[]>();
    for (const d of deliveries) {
      this.watermarks.observeSource(d.rel, d.maxEventTime);
      const list = bySource.get(d.rel.oid);
      if (list) list.push(d.chunk);
      else bySource.set(d.rel.oid, [d.chunk]);
    }
    this.runEpoch(bySource);
  }

  private runEpoch(sourceChunks: Map<number, ChangelogChunk[]> | undefined): void {
    if (this.running.size === 0) return;
    this.epoch++;
    const changedViews = new Set<number>();
    for (const entry of this.running.values()) {
      if (entry.failure) continue;
      let changed = false;
      try {
        for (const [relOid, from] of entry.offsets) {
          const end = this.store.endOffset(relOid);
          if (end <= from) continue;
          changed = true;
          const width = entry.query.inputs.find((r) => r.oid === relOid)!.columns.length;
          for (const chunk of this.changesOf(relOid, from, end, width)) entry.query.deliver(relOid, chunk);
          entry.offsets.set(relOid, end);
        }
        if (sourceChunks) {
          for (const input of new Set(entry.query.inputs)) {
            const chunks = sourceChunks.get(input.oid);
            if (!chunks) continue;
            for (const chunk of chunks) entry.query.deliver(input.oid, chunk);
            changed = true;
          }
        }
        for (const up of entry.upstreamViews) {
          if (!changedViews.has(up)) continue;
          const changes = this.running.get(up)?.lastEpoch;
          if (changes && changes.length > 0) {
            changed = true;
            entry.query.deliver(up, changes);
          }
        }
        entry.lastEpoch = null;
        if (this.sendWatermarks(entry)) changed = true;
        if (changed) {
          entry.query.barrier(this.epoch);
          changedViews.add(entry.rel.oid);
        }
      } catch (e) {
        entry.failure = toSqlError(e);
      }
    }
    this.committed = new Map();
  }

  /**
   * Sends each watermarked stream's current watermark into the query when it moved or its idleness
   * changed since the last one sent; true when something was sent (the epoch then needs a barrier).
   */
  private sendWatermarks(entry: RunningQuery): boolean {
    let sent = false;
    for (const input of entry.query.inputs) {
      if (!input.watermark) continue;
      const cur = this.watermarks.current(input);
      if (!cur || cur.time === -Infinity) continue;
      const last = entry.sentWatermarks.get(input.oid);
      if (last && last.time === cur.time && last.idle === cur.idle) continue;
      entry.sentWatermarks.set(input.oid, cur);
      entry.query.watermark(input.oid, input.watermark.column, cur.time, cur.idle);
      sent = true;
    }
    return sent;
  }

  /** Per running view or derived stream: late rows its operators dropped, rows of operator state. */
  queryStats(): { oid: number; lateRows: number; stateRows: number }[] {
    const out: { oid: number; lateRows: number; stateRows: number }[] = [];
    for (const [oid, entry] of this.running) {
      if (oid < 0) continue; // subscriptions
      out.push({ oid, lateRows: entry.query.metrics.lateRows, stateRows: entry.query.stateRows() });
    }
    return out;
  }

  /** What a derived stream's log holds from offset `from` on, as changes (the op column read back). */
  private appendedSince(rel: RelationDef, from: number, withOp: boolean): ChangelogChunk {
    const width = withOp ? rel.columns.length - 1 : rel.columns.length;
    const b = new ChunkBuilder(width);
    for (const e of this.store.readLog(rel.oid, from)) {
      const row = e.row.slice(0, width);
      const op = withOp ? parseOp(String(e.row[width])) : Op.Insert;
      b.append(op, row);
    }
    return b.build();
  }

  /**
   * A derived stream's epoch output, appended durably (with the op text when it carries changes),
   * together with the input offsets it covers when given.
   */
  private appendToStream(rel: RelationDef, changes: ChangelogChunk, withOp: boolean, covers: ReadonlyMap<number, number> | undefined): void {
    if (changes.length === 0) return;
    const tx = this.store.begin();
    try {
      for (let i = 0; i < changes.length; i++) {
        const row = changes.row(i);
        if (withOp) row.push(OP_TEXT[changes.ops[i]!]!);
        tx.append(rel, row);
      }
      if (covers && (covers.size > 0 || this.sources)) tx.recordQueryProgress(rel.oid, encodeOutputProgress(covers, this.sources?.positions()));
      tx.commit();
    } catch (e) {
      tx.rollback();
      throw e;
    }
  }
}

function* handedChunks(handed: readonly CommittedChanges[], width: number): Iterable<ChangelogChunk> {
  for (const c of handed) {
    // Columns filled in place (sized once), not pushed row by row through a ChunkBuilder.
    const n = c.ops.length;
    const columns: Datum[][] = new Array<Datum[]>(width);
    for (let col = 0; col < width; col++) columns[col] = new Array<Datum>(n);
    const ops = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      ops[i] = c.ops[i]!;
      const row = c.rows[i]!;
      for (let col = 0; col < width; col++) columns[col]![i] = row[col] ?? null;
    }
    yield new ChangelogChunk(ops, columns, n);
  }
}

function* logChunks(store: Store, relOid: number, from: number, end: number, width: number): Iterable<ChangelogChunk> {
  let b = new ChunkBuilder(width, LOG_CHUNK_ROWS);
  for (const entry of store.readLog(relOid, from)) {
    if (entry.offset >= end) break;
    b.append(entry.op, entry.row);
    // Keep an update pair in one chunk: cut only after an UpdateAfter or a lone op.
    if (b.length >= LOG_CHUNK_ROWS && entry.op !== Op.UpdateBefore) {
      yield b.build();
      b = new ChunkBuilder(width, LOG_CHUNK_ROWS);
    }
  }
  if (b.length > 0) yield b.build();
}

/**
 * `changes` less `appended` as multisets of signed rows (a -U/-D counts against a +I/+U of the same
 * row): the part of a catch-up epoch's output the stream's log does not hold yet, as inserts and deletes.
 */
function withoutAppended(changes: ChangelogChunk, appended: ChangelogChunk): ChangelogChunk {
  const net = new Map<string, { row: Datum[]; n: number }>();
  const add = (chunk: ChangelogChunk, sign: number): void => {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk.visibility !== null && !chunk.visibility[i]) continue;
      const row = chunk.row(i);
      const key = exactKeyOf(row);
      const e = net.get(key) ?? { row, n: 0 };
      e.n += sign * opSign(chunk.ops[i] as Op);
      net.set(key, e);
    }
  };
  add(changes, 1);
  add(appended, -1);
  const b = new ChunkBuilder(changes.columns.length);
  for (const { row, n } of net.values()) {
    for (let k = 0; k < Math.abs(n); k++) b.append(n > 0 ? Op.Insert : Op.Delete, row);
  }
  return b.build();
}
