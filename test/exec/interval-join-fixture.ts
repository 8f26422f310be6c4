/**
 * Fixture for the interval-join tests: the planner's FakeDatabase with some relations marked as
 * streams (append-only scans), and helpers that bind a query and pick out its JoinNode.
 */
import type { RelationDef } from '../../server/catalog/model.js';
import { PlanRunner } from '../../server/exec/run-plan.js';
import type { ExprEnv } from '../../server/exec/expr/env.js';
import { JoinNode } from '../../server/plan/logical/join.js';
import type { LogicalPlan } from '../../server/plan/logical/plan.js';
import { FakeDatabase, T } from '../plan/harness.js';

export const SEC = 1_000_000;
export const MIN = 60 * SEC;

/** FakeDatabase whose relations named in `streams` scan as streams. */
export class StreamDatabase extends FakeDatabase {
  private readonly asStreams = new Map<string, RelationDef>();
  constructor(private readonly streams: ReadonlySet<string>) {
    super();
  }
  override lookup(schema: string | undefined, name: string): RelationDef | undefined {
    const rel = super.lookup(schema, name);
    if (!rel || !this.streams.has(name)) return rel;
    let s = this.asStreams.get(name);
    if (!s) {
      s = { ...rel, kind: 'stream' };
      this.asStreams.set(name, s);
    }
    return s;
  }
  env(): ExprEnv {
    return new PlanRunner(this.context(), []).env();
  }
}

/**
 * Streams a(id, t, v) and b(id, t, w) with timestamp t; tz(id, t timestamptz); ints(id, n int4,
 * v); and a table tab(id, t, w) that is not append-only.
 */
export function intervalJoinDatabase(): StreamDatabase {
  return new StreamDatabase(new Set(['a', 'b', 'tz', 'ints']))
    .table('a', { columns: [['id', T.int4], ['t', T.timestamp], ['v', T.int4]], rows: [] })
    .table('b', { columns: [['id', T.int4], ['t', T.timestamp], ['w', T.int4]], rows: [] })
    .table('tz', { columns: [['id', T.int4], ['t', T.timestamptz]], rows: [] })
    .table('ints', { columns: [['id', T.int4], ['n', T.int4], ['v', T.int4]], rows: [] })
    .table('tab', { columns: [['id', T.int4], ['t', T.timestamp], ['w', T.int4]], rows: [] }) as StreamDatabase;
}

/** The first JoinNode of a plan, depth first. */
export function findJoin(plan: LogicalPlan): JoinNode | undefined {
  if (plan instanceof JoinNode) return plan;
  for (const i of plan.inputs) {
    const j = findJoin(i);
    if (j) return j;
  }
  return undefined;
}

export function joinOf(db: FakeDatabase, sql: string): JoinNode {
  const join = findJoin(db.bind(sql).plan);
  if (!join) throw new Error(`no join in ${sql}`);
  return join;
}
