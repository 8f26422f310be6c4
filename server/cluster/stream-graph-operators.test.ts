/**
 * Pins the StreamGraph to exec/build-graph.ts: for continuous plans, the stateful operators buildGraph
 * really constructs (its `stateful` registry, by class `name`) are the StreamGraph's stateful nodes.
 */
import assert from 'node:assert/strict';
import { buildGraph, type RegisteredStatefulOperator } from '../exec/build-graph.js';
import type { ExprEnv } from '../exec/expr/env.js';
import type { Source } from '../exec/operators/source.js';
import type { ExecContext } from '../plan/context.js';
import { Bound } from '../plan/bound/expr.js';
import { DistinctNode } from '../plan/logical/distinct.js';
import { JoinNode } from '../plan/logical/join.js';
import { LimitNode } from '../plan/logical/limit.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { SetOpNode } from '../plan/logical/set-op.js';
import { SortNode } from '../plan/logical/sort.js';
import { T } from '../types/sql-type.js';
import { col, countBy, scan, where } from './plan-fixtures.js';
import { buildStreamGraph } from './stream-graph.js';

const STATELESS = /^(Filter|Project|ProjectSet|WindowTvf .*|Apply .*)$/;

function operatorNames(plan: LogicalPlan): string[] {
  const stateful: RegisteredStatefulOperator[] = [];
  const env = { params: [], outer: [], ctx: {} as ExecContext, subplans: { run: () => [] } } satisfies ExprEnv;
  const sources: Source[] = [];
  const scanSource = (rel: { name: string }): Source => ({ name: `Scan ${rel.name}`, run: function* () {} });
  buildGraph(plan, { push: () => {} }, env, sources, scanSource, true, { emitOnWindowClose: false, stateful });
  return [...sources.map((s) => s.name), ...stateful.map((o) => o.name)].sort();
}

function streamGraphNames(plan: LogicalPlan): string[] {
  const g = buildStreamGraph(plan, { parallelism: 2, continuous: true, sink: 'materializedView' });
  return g.nodes.filter((n) => n.role !== 'sink' && !STATELESS.test(n.operator)).map((n) => n.operator).sort();
}

describe('cluster/stream-graph against exec/build-graph', () => {
  const t = scan('t', ['g', 'x']);
  const u = scan('u', ['g', 'y']);
  const plans: Record<string, LogicalPlan> = {
    'aggregate over a filter': countBy(where(t), [col(t, 'g')]),
    'join of an aggregate and a table': new JoinNode('left', countBy(t, [col(t, 'g')]), u, undefined, [[0, 0]]),
    'ORDER BY LIMIT': new LimitNode(new SortNode(t, [{ expr: col(t, 'x'), desc: true, nullsFirst: true }]), undefined, Bound.constant(5, T.int4)),
    'DISTINCT over INTERSECT': new DistinctNode(new SetOpNode('intersect', false, t, u, t.schema)),
  };
  for (const [name, plan] of Object.entries(plans)) {
    it(`names the operators buildGraph builds: ${name}`, () => {
      assert.deepEqual(streamGraphNames(plan), operatorNames(plan));
    });
  }
});
