import assert from 'node:assert/strict';
import { JoinNode } from '../plan/logical/join.js';
import { LimitNode } from '../plan/logical/limit.js';
import { SortNode } from '../plan/logical/sort.js';
import { DistinctNode } from '../plan/logical/distinct.js';
import { SetOpNode } from '../plan/logical/set-op.js';
import { ValuesNode } from '../plan/logical/values.js';
import { Bound } from '../plan/bound/expr.js';
import { T } from '../types/sql-type.js';
import { col, countBy, scan, where } from './plan-fixtures.js';
import { partitioningText } from './partitioning.js';
import { buildStreamGraph, type StreamGraph, type StreamGraphOptions } from './stream-graph.js';

const batch4: StreamGraphOptions = { parallelism: 4, continuous: false, sink: 'result' };

/** Edges as `from->to:partitioning` with operator names, e.g. `Filter->HashAggregate:hash(g)`. */
function edgeTexts(g: StreamGraph): string[] {
  const name = (id: number) => g.nodes[id - 1]!.operator;
  return g.edges.map((e) => `${name(e.from)}->${name(e.to)}:${partitioningText(e.partitioning)}`);
}

function parallelisms(g: StreamGraph): Record<string, number> {
  return Object.fromEntries(g.nodes.map((n) => [n.operator, n.parallelism]));
}

describe('cluster/stream-graph', () => {
  it('hashes into a grouped aggregate on its group keys, forward elsewhere', () => {
    const t = scan('t', ['g', 'x']);
    const g = buildStreamGraph(countBy(where(t), [col(t, 'g')]), batch4);
    assert.deepEqual(g.nodes.map((n) => n.operator), ['Scan t', 'Filter', 'HashAggregate', 'ResultSink']);
    assert.deepEqual(edgeTexts(g), ['Scan t->Filter:forward', 'Filter->HashAggregate:hash(g)', 'HashAggregate->ResultSink:single']);
    assert.deepEqual(parallelisms(g), { 'Scan t': 4, Filter: 4, HashAggregate: 4, ResultSink: 1 });
  });

  it('gathers an ungrouped aggregate into one subtask, then forwards to the sink', () => {
    const g = buildStreamGraph(countBy(scan('t', ['x']), []), batch4);
    assert.deepEqual(edgeTexts(g), ['Scan t->HashAggregate:single', 'HashAggregate->ResultSink:forward']);
    assert.deepEqual(parallelisms(g), { 'Scan t': 4, HashAggregate: 1, ResultSink: 1 });
  });

  it('partitions a grouping-sets aggregate only on keys common to every set', () => {
    const t = scan('t', ['a', 'b']);
    const common = buildStreamGraph(countBy(t, [col(t, 'a'), col(t, 'b')], [[0, 1], [0]]), batch4);
    assert.equal(edgeTexts(common)[0], 'Scan t->HashAggregate:hash(a)');
    const none = buildStreamGraph(countBy(t, [col(t, 'a'), col(t, 'b')], [[0], [1]]), batch4);
    assert.equal(edgeTexts(none)[0], 'Scan t->HashAggregate:single');
  });

  it('hashes both sides of an equi-join on their join keys; a cross join meets in one subtask', () => {
    const a = scan('a', ['id', 'v']);
    const b = scan('b', ['w', 'a_id']);
    const join = new JoinNode('inner', a, b, undefined, [[0, 1]]);
    const g = buildStreamGraph(join, batch4);
    assert.deepEqual(edgeTexts(g), ['Scan a->Join inner:hash(id)', 'Scan b->Join inner:hash(a_id)', 'Join inner->ResultSink:single']);
    assert.deepEqual(g.edges.slice(0, 2).map((e) => e.input), ['left', 'right']);
    assert.equal(parallelisms(g)['Join inner'], 4);
    const cross = buildStreamGraph(new JoinNode('cross', a, b, undefined, []), batch4);
    assert.deepEqual(edgeTexts(cross).slice(0, 2), ['Scan a->Join cross:single', 'Scan b->Join cross:single']);
    assert.equal(parallelisms(cross)['Join cross'], 1);
  });

  it('runs a batch ORDER BY ... LIMIT in one subtask and a continuous LIMIT as a TopN', () => {
    const t = scan('t', ['x']);
    const plan = new LimitNode(new SortNode(t, [{ expr: col(t, 'x'), desc: false, nullsFirst: false }]), undefined, Bound.constant(3, T.int4));
    assert.deepEqual(edgeTexts(buildStreamGraph(plan, batch4)), ['Scan t->Sort:single', 'Sort->Limit:forward', 'Limit->ResultSink:forward']);
    const view = buildStreamGraph(plan, { parallelism: 4, continuous: true, sink: 'materializedView' });
    assert.deepEqual(edgeTexts(view), ['Scan t->TopN:single', 'TopN->MaterializedState:forward']);
  });

  it('hashes DISTINCT and set operations on all columns; UNION ALL rebalances a narrower input', () => {
    const t = scan('t', ['a', 'b']);
    assert.equal(edgeTexts(buildStreamGraph(new DistinctNode(t), batch4))[0], 'Scan t->Distinct:hash(a, b)');
    const u = scan('u', ['a', 'b']);
    const except = buildStreamGraph(new SetOpNode('except', false, t, u, t.schema), batch4);
    assert.deepEqual(edgeTexts(except).slice(0, 2), ['Scan t->SetOp except:hash(a, b)', 'Scan u->SetOp except:hash(a, b)']);
    const values = new ValuesNode(t.schema, [[Bound.constant(1, T.int4), Bound.constant(2, T.int4)]]);
    const unionAll = buildStreamGraph(new SetOpNode('union', true, t, values, t.schema), batch4);
    assert.deepEqual(edgeTexts(unionAll).slice(0, 2), ['Scan t->SetOp union all:forward', 'Values->SetOp union all:rebalance']);
    assert.deepEqual(parallelisms(unionAll), { 'Scan t': 4, Values: 1, 'SetOp union all': 4, ResultSink: 1 });
  });

  it('refuses a parallelism below 1', () => {
    assert.throws(() => buildStreamGraph(scan('t', ['x']), { ...batch4, parallelism: 0 }), RangeError);
  });
});
