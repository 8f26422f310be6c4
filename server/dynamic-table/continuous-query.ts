/**
 * ContinuousQuery: a plan running forever. Its scans are PushSources; the view runtime feeds each
 * epoch (the snapshot at creation, then each commit's changes) followed by a barrier into every
 * source, and the operators keep their state between epochs. The result lands in a
 * MaterializedState (a view) or a ChangelogSink (a stream). The same operators run batch SELECTs; only the sources differ (DESIGN.md).
 */
import type { RelationDef } from '../catalog/model.js';
import { buildGraph } from '../exec/build-graph.js';
import { PlanRunner } from '../exec/run-plan.js';
import type { Source } from '../exec/operators/source.js';
import type { ExecContext } from '../plan/context.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { ChangelogChunk } from './chunk.js';
import type { MaterializedState } from './materialized-state.js';
import type { ChangelogSink } from './changelog-sink.js';
import { Messages } from './message.js';
import { PushSource } from './push-source.js';

/** Where a continuous query's changes go: a view's state, or a stream's log. */
export type QuerySink = MaterializedState | ChangelogSink;

export class ContinuousQuery<S extends QuerySink = QuerySink> {
  private readonly feeds: PushSource[] = [];

  constructor(plan: LogicalPlan, ctx: ExecContext, readonly sink: S) {
    const env = new PlanRunner(ctx, []).env();
    const sources: Source[] = [];
    buildGraph(plan, sink, env, sources, (rel, out) => {
      const feed = new PushSource(rel, out);
      this.feeds.push(feed);
      return feed;
    }, true);
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
  }
}
