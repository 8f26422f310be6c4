import assert from 'node:assert/strict';
import { col, countBy, scan, where } from './plan-fixtures.js';
import { graphLines, planGraphs } from './graph-text.js';

describe('cluster/graph-text', () => {
  it('prints the three graphs with headers, nodes, vertices, edges and channel ranges', () => {
    const t = scan('t', ['g', 'x']);
    const lines = graphLines(planGraphs(countBy(where(t), [col(t, 'g')]), { parallelism: 4, continuous: false, sink: 'result' }));
    assert.deepEqual(lines, [
      'StreamGraph (parallelism 4)',
      '  node 1: Scan t [source, parallelism 4]',
      '  node 2: Filter [operator, parallelism 4]',
      '  node 3: HashAggregate [operator, parallelism 4]',
      '  node 4: ResultSink [sink, parallelism 1]',
      '  edge 1 -> 2: forward',
      '  edge 2 -> 3: hash(g)',
      '  edge 3 -> 4: single',
      'JobGraph',
      '  vertex 1: Scan t -> Filter [nodes 1,2, parallelism 4]',
      '  vertex 2: HashAggregate [nodes 3, parallelism 4]',
      '  vertex 3: ResultSink [nodes 4, parallelism 1]',
      '  edge 1 -> 2: hash(g)',
      '  edge 2 -> 3: single',
      'ExecutionGraph (9 subtasks, 20 channels)',
      '  vertex 1: Scan t -> Filter subtasks 1[0..3]',
      '  vertex 2: HashAggregate subtasks 2[0..3]',
      '  vertex 3: ResultSink subtasks 3[0]',
      '  edge 1 -> 2: hash(g), 16 channels',
      '    1[0..3] -> 2[0..3]',
      '  edge 2 -> 3: single, 4 channels',
      '    2[0..3] -> 3[0]',
    ]);
  });
});
