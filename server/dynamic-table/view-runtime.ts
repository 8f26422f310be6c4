/**
 * The running continuous queries of one process: materialized views (result kept in memory) and
 * derived streams (`CREATE STREAM s AS`, result appended to s's durable log). Each starts with a
 * backfill (its inputs' current rows as one epoch) and then, after every commit, receives the
 * changes committed to its inputs, read back from the durable log by offset (DESIGN.md: sources
 * replay from the log), or the epoch changes of the views it reads. Queries advance in creation
 * order, so a query always sees its upstream views' and streams' changes of the same commit.
 */
import type { RelationDef } from '../catalog/model.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import type { ExecContext } from '../plan/context.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { CommittedChanges, Store } from '../storage/api.js';
import { Op, OP_TEXT } from './changelog-op.js';
import { ChangelogSink } from './changelog-sink.js';
import { ChangelogChunk, ChunkBuilder } from './chunk.js';
import type { Datum } from '../types/datum.js';
import { ContinuousQuery } from './continuous-query.js';
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
  private epoch = 0;
  /** Changes committed since the last afterCommit, per relation, handed over by the store. */
  private committed = new Map<number, CommittedChanges[]>();
  /** Subscriptions are keyed by negative ids, apart from relation oids. */
  private nextSubscriptionId = -1;
  readonly watermarks: StreamWatermarks;
  /** Rows each blackhole sink has received. */
  readonly sinkRows = new Map<number, number>();
  /** Connector sources (rows generated, not stored): set by the engine. */
  sources: { isSource(rel: RelationDef): boolean; scan(rel: RelationDef): Iterable<ChangelogChunk> } | undefined;

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
    return logChunks(this.store, relOid, from, width);
  }

  /** Starts maintaining `rel` (a materialized view or derived stream) with `plan`. */
  start(rel: RelationDef, plan: LogicalPlan, ctx: ExecContext, opts: StartOptions = { emitBackfill: true, withOpColumn: false }): void {
    const width = plan.schema.length;
    const emitOnWindowClose = opts.emitOnWindowClose ?? rel.emitOnWindowClose ?? false;
    if (rel.kind === 'materializedView') {
      this.startQuery(rel, plan, ctx, new MaterializedState(width), () => {}, emitOnWindowClose);
    } else {
      this.startQuery(rel, plan, ctx, new ChangelogSink(width), (changes, _epoch, isSnapshot) => {
        if (opts.discardOutput) this.sinkRows.set(rel.oid, (this.sinkRows.get(rel.oid) ?? 0) + changes.length);
        else if (!isSnapshot || opts.emitBackfill) this.appendToStream(rel, changes, opts.withOpColumn);
      }, emitOnWindowClose);
    }
  }

  private startQuery(
    rel: RelationDef,
    plan: LogicalPlan,
    ctx: ExecContext,
    sink: MaterializedState | ChangelogSink,
    onEpoch: (changes: ChangelogChunk, epoch: number, isSnapshot: boolean) => void,
    emitOnWindowClose = false,
  ): void {
    const query = new ContinuousQuery(plan, ctx, sink, { emitOnWindowClose });
    const entry: RunningQuery = { rel, query, offsets: new Map(), upstreamViews: new Set(), lastEpoch: null, failure: null, sentWatermarks: new Map() };
    let backfilling = true;
    sink.onEpoch = (changes, epoch) => {
      entry.lastEpoch = changes;
      onEpoch(changes, epoch, backfilling);
    };
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
    this.startQuery(rel, plan, ctx, new ChangelogSink(plan.schema.length), (changes, epoch, isSnapshot) => subscription(changes, epoch, isSnapshot));
    return () => this.stop(id);
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

  /** A derived stream's epoch output, appended durably (with the op text when it carries changes). */
  private appendToStream(rel: RelationDef, changes: ChangelogChunk, withOp: boolean): void {
    if (changes.length === 0) return;
    const tx = this.store.begin();
    try {
      for (let i = 0; i < changes.length; i++) {
        const row = changes.row(i);
        if (withOp) row.push(OP_TEXT[changes.ops[i]!]!);
        tx.append(rel, row);
      }
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

function* logChunks(store: Store, relOid: number, from: number, width: number): Iterable<ChangelogChunk> {
  let b = new ChunkBuilder(width, LOG_CHUNK_ROWS);
  for (const entry of store.readLog(relOid, from)) {
    b.append(entry.op, entry.row);
    // Keep an update pair in one chunk: cut only after an UpdateAfter or a lone op.
    if (b.length >= LOG_CHUNK_ROWS && entry.op !== Op.UpdateBefore) {
      yield b.build();
      b = new ChunkBuilder(width, LOG_CHUNK_ROWS);
    }
  }
  if (b.length > 0) yield b.build();
}
