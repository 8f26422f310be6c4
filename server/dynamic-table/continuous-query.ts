/**
 * ContinuousQuery: a plan running forever. Its scans are PushSources; the view runtime feeds each
 * epoch (the snapshot at creation, then each commit's changes) followed by a barrier into every
 * source, and the operators keep their state between epochs. The result lands in a
 * MaterializedState (a view) or a ChangelogSink (a stream). The same operators run batch SELECTs; only the sources differ (DESIGN.md).
 */
import type { RelationDef } from '../catalog/model.js';
import { buildGraph, type RegisteredStatefulOperator } from '../exec/build-graph.js';
import { PlanRunner } from '../exec/run-plan.js';
import type { Source } from '../exec/operators/source.js';
import type { Downstream } from '../exec/operators/operator.js';
import type { ExecContext } from '../plan/context.js';
import type { QueryMetrics } from '../exec/expr/env.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { ChangelogChunk } from './chunk.js';
import type { MaterializedState } from './materialized-state.js';
import { ChangelogSink } from './changelog-sink.js';
import type { StatefulOperator } from '../exec/operators/operator-state.js';
import { Messages } from './message.js';
import { PushSource } from './push-source.js';

/** Where a continuous query's changes go: a view's state, or a stream's log. */
export type QuerySink = MaterializedState | ChangelogSink;

export interface ContinuousQueryOptions {
  /** EMIT ON WINDOW CLOSE: aggregates keyed by a watermarked column emit each group once, when it closes. */
  readonly emitOnWindowClose?: boolean;
  /**
   * The query will be restored from a checkpoint: constant relations (VALUES, set-returning
   * functions) do not give their rows again, the restored state already holds them.
   */
  readonly restoring?: boolean;
}

/** One unit of a query's checkpointed state: a stateful operator, or the view's rows. */
export interface CheckpointUnit {
  /** Stable within the query across restarts: build order and operator name. */
  readonly id: string;
  readonly state: StatefulOperator;
}

export class ContinuousQuery<S extends QuerySink = QuerySink> {
  private readonly feeds: PushSource[] = [];
  private readonly constantFeeds: Downstream[] = [];
  private readonly stateful: RegisteredStatefulOperator[] = [];
  readonly metrics: QueryMetrics = { lateRows: 0 };

  constructor(plan: LogicalPlan, ctx: ExecContext, readonly sink: S, opts: ContinuousQueryOptions = {}) {
    const env = { ...new PlanRunner(ctx, []).env(), metrics: this.metrics };
    const sources: Source[] = [];
    buildGraph(plan, sink, env, sources, (rel, out) => {
      const feed = new PushSource(rel, out);
      this.feeds.push(feed);
      return feed;
    }, true, { emitOnWindowClose: opts.emitOnWindowClose ?? false, constantFeeds: this.constantFeeds, stateful: this.stateful });
    // Constant relations (VALUES, set-returning functions in FROM) give their rows now, in the backfill epoch.
    if (opts.restoring) return;
    for (const source of sources) {
      if (source instanceof PushSource) continue;
      for (const _ of source.run()) void _;
    }
  }

  /**
   * The query's checkpointed state, operators in build order and then the view's rows; undefined
   * when some stateful part cannot be snapshotted (the query then rebuilds from its inputs instead).
   */
  checkpointUnits(): CheckpointUnit[] | undefined {
    const units: CheckpointUnit[] = [];
    for (let i = 0; i < this.stateful.length; i++) {
      const op = this.stateful[i]!;
      if (!isCheckpointable(op)) return undefined;
      units.push({ id: `${i}:${op.name}`, state: op });
    }
    const sink = this.sink as Partial<StatefulOperator>;
    if (isCheckpointable(sink)) units.push({ id: 'rows', state: sink });
    else if (!(this.sink instanceof ChangelogSink)) return undefined;
    return units;
  }

  /** Rows or groups held by the query's stateful operators. */
  stateRows(): number {
    let n = 0;
    for (const op of this.stateful) n += op.stateRows?.() ?? 0;
    return n;
  }

  /** Sends the watermark of relation `relOid`'s column into every scan of it. */
  watermark(relOid: number, column: number, time: number, idle: boolean): void {
    const msg = Messages.watermark(column, time, idle);
    for (const f of this.feeds) if (f.rel.oid === relOid) f.push(msg);
  }

  /** Relations read, one entry per scan (a self-join reads one relation twice). */
  get inputs(): readonly RelationDef[] {
    return this.feeds.map((f) => f.rel);
  }

  /** Pushes changes of relation `relOid` into every scan of it. */
  deliver(relOid: number, chunk: ChangelogChunk): void {
    if (chunk.length === 0) return;
    const msg = Messages.chunk(chunk);
    for (const f of this.feeds) if (f.rel.oid === relOid) f.push(msg);
  }

  /** Closes an epoch: every source gets the barrier, so multi-input operators see it once per input. */
  barrier(epoch: number): void {
    const msg = Messages.barrier(epoch);
    for (const f of this.feeds) f.push(msg);
    for (const f of this.constantFeeds) f.push(msg);
  }
}

function isCheckpointable(op: Partial<StatefulOperator>): op is StatefulOperator {
  return typeof op.snapshotState === 'function' && typeof op.restoreState === 'function' && typeof op.stateRows === 'function';
}
