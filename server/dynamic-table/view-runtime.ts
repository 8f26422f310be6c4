/**
 * The running materialized views of one process. A view starts with a backfill (its inputs'
 * current rows as one epoch) and then, after every commit, receives the changes committed to its
 * inputs, read back from the durable log by offset (DESIGN.md: sources replay from the log), or the
 * epoch changes of the views it reads. Views are advanced in creation order, so a view always sees
 * its upstream views' changes of the same commit.
 */
import type { RelationDef } from '../catalog/model.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import type { ExecContext } from '../plan/context.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { Store } from '../storage/api.js';
import { ChunkBuilder, type ChangelogChunk } from './chunk.js';
import { Op } from './changelog-op.js';
import { ContinuousQuery } from './continuous-query.js';

const LOG_CHUNK_ROWS = 1024;

interface RunningView {
  readonly rel: RelationDef;
  readonly query: ContinuousQuery;
  /** Next log offset to read, per base relation (tables and streams) the view reads. */
  readonly offsets: Map<number, number>;
  /** Oids of the materialized views it reads. */
  readonly upstreamViews: Set<number>;
  /** The changes of the last epoch, for views downstream. */
  lastEpoch: ChangelogChunk | null;
  /** Set when maintaining the view failed; reads report it. */
  failure: SqlError | null;
}

export class ViewRuntime {
  private readonly views = new Map<number, RunningView>();
  private epoch = 0;

  constructor(private readonly store: Store) {}

  /** Starts maintaining `rel` (a materialized view) with `plan`, backfilled from its inputs' current rows. */
  start(rel: RelationDef, plan: LogicalPlan, ctx: ExecContext): void {
    const query = new ContinuousQuery(plan, ctx);
    const view: RunningView = { rel, query, offsets: new Map(), upstreamViews: new Set(), lastEpoch: null, failure: null };
    query.state.onEpoch = (changes) => {
      view.lastEpoch = changes;
    };
    const seen = new Set<number>();
    for (const input of query.inputs) {
      if (seen.has(input.oid)) continue;
      seen.add(input.oid);
      if (input.kind === 'materializedView') {
        const up = this.views.get(input.oid);
        if (!up) throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, `materialized view "${input.name}" is not running`);
        view.upstreamViews.add(input.oid);
        for (const chunk of up.query.state.scan(LOG_CHUNK_ROWS)) query.deliver(input.oid, chunk);
      } else {
        view.offsets.set(input.oid, this.store.endOffset(input.oid));
        for (const chunk of this.store.scan(input, LOG_CHUNK_ROWS)) query.deliver(input.oid, chunk);
      }
    }
    query.barrier(this.epoch);
    this.views.set(rel.oid, view);
  }

  stop(oid: number): void {
    this.views.delete(oid);
  }

  isRunning(oid: number): boolean {
    return this.views.has(oid);
  }

  /** The view's current rows; throws the error that stopped its maintenance, if any. */
  scan(oid: number): Iterable<ChangelogChunk> {
    const view = this.views.get(oid);
    if (!view) throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, 'materialized view is not running');
    if (view.failure) throw view.failure;
    return view.query.state.scan();
  }

  /**
   * After a commit: every view whose inputs changed gets the new log entries (or upstream epoch
   * changes) and a barrier. A view whose maintenance throws is marked failed; the commit stands.
   */
  afterCommit(): void {
    if (this.views.size === 0) return;
    this.epoch++;
    const changedViews = new Set<number>();
    for (const view of this.views.values()) {
      if (view.failure) continue;
      let changed = false;
      try {
        for (const [relOid, from] of view.offsets) {
          const end = this.store.endOffset(relOid);
          if (end <= from) continue;
          changed = true;
          for (const chunk of logChunks(this.store, relOid, from, view.query.inputs.find((r) => r.oid === relOid)!.columns.length)) {
            view.query.deliver(relOid, chunk);
          }
          view.offsets.set(relOid, end);
        }
        for (const up of view.upstreamViews) {
          if (!changedViews.has(up)) continue;
          const changes = this.views.get(up)?.lastEpoch;
          if (changes && changes.length > 0) {
            changed = true;
            view.query.deliver(up, changes);
          }
        }
        view.lastEpoch = null;
        if (changed) {
          view.query.barrier(this.epoch);
          changedViews.add(view.rel.oid);
        }
      } catch (e) {
        view.failure = toSqlError(e);
      }
    }
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
