import assert from 'node:assert/strict';
import { JoinNode } from '../plan/logical/join.js';
import { col, countBy, scan, where } from './plan-fixtures.js';
import { buildExecutionGraph } from './execution-graph.js';
import { buildJobGraph } from './job-graph.js';
import { partitioningText } from './partitioning.js';
import { buildStreamGraph } from './stream-graph.js';

describe('cluster/job-graph and execution-graph', () => {
  it('chains Scan -> Filter into one vertex and expands a hash edge all-to-all (4 x 4 = 16)', () => {
    const t = scan('t', ['g', 'x']);
    const job = buildJobGraph(buildStreamGraph(countBy(where(t), [col(t, 'g')]), { parallelism: 4, continuous: false, sink: 'result' }));
    assert.deepEqual(job.vertices.map((v) => [v.name, v.parallelism]), [['Scan t -> Filter', 4], ['HashAggregate', 4], ['ResultSink', 1]]);
    assert.deepEqual(job.edges.map((e) => `${e.from}->${e.to}:${partitioningText(e.partitioning)}`), ['1->2:hash(g)', '2->3:single']);
    const exec = buildExecutionGraph(job);
    assert.deepEqual(exec.vertices.map((v) => v.subtasks.length), [4, 4, 1]);
    const hash = exec.edges.filter((e) => e.jobEdge === 0);
    assert.equal(hash.length, 16);
    const pairs = new Set(hash.map((e) => `${e.from.index}>${e.to.index}`));
    assert.equal(pairs.size, 16, 'every producer reaches every consumer once');
    assert.equal(exec.edges.filter((e) => e.jobEdge === 1).length, 4);
  });

  it('chains an ungrouped aggregate with its sink at parallelism 1, after a single edge', () => {
    const job = buildJobGraph(buildStreamGraph(countBy(scan('t', ['x']), []), { parallelism: 4, continuous: false, sink: 'result' }));
    assert.deepEqual(job.vertices.map((v) => [v.name, v.parallelism]), [['Scan t', 4], ['HashAggregate -> ResultSink', 1]]);
    assert.deepEqual(job.edges.map((e) => partitioningText(e.partitioning)), ['single']);
    assert.equal(buildExecutionGraph(job).edges.length, 4);
  });

  it('keeps hash edges unchained at parallelism 1 and gives a join one vertex fed by two hash edges', () => {
    const a = scan('a', ['id']);
    const b = scan('b', ['a_id']);
    const job = buildJobGraph(buildStreamGraph(where(new JoinNode('inner', a, b, undefined, [[0, 0]])), { parallelism: 1, continuous: false, sink: 'result' }));
    assert.deepEqual(job.vertices.map((v) => v.name), ['Scan a', 'Scan b', 'Join inner -> Filter -> ResultSink']);
    assert.deepEqual(job.edges.map((e) => `${e.from}->${e.to} ${e.input}:${partitioningText(e.partitioning)}`), ['1->3 left:hash(id)', '2->3 right:hash(a_id)']);
    assert.deepEqual(buildExecutionGraph(job).edges.length, 2);
  });

  it('expands a forward edge between vertices one-to-one', () => {
    const exec = buildExecutionGraph({
      vertices: [{ id: 1, nodeIds: [1], name: 'A', parallelism: 3 }, { id: 2, nodeIds: [2, 3], name: 'B', parallelism: 3 }],
      edges: [{ from: 1, to: 2, input: 'left', partitioning: { kind: 'forward' } }],
    });
    assert.deepEqual(exec.edges.map((e) => `${e.from.index}>${e.to.index}`), ['0>0', '1>1', '2>2']);
    assert.throws(() => buildExecutionGraph({
      vertices: [{ id: 1, nodeIds: [1], name: 'A', parallelism: 3 }, { id: 2, nodeIds: [2], name: 'B', parallelism: 2 }],
      edges: [{ from: 1, to: 2, input: 'only', partitioning: { kind: 'forward' } }],
    }), /forward edge/);
  });
});
