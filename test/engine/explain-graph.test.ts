/**
 * EXPLAIN (GRAPH) end to end in the engine: the session's `parallelism` setting (SET, SHOW, range
 * checks), and the StreamGraph, JobGraph and ExecutionGraph printed for bound queries and views.
 */
import assert from 'node:assert/strict';
import type { EngineSession } from '../../server/engine/api.js';
import { failsWith, rows, run, withEngine } from './engine-harness.js';

async function explainGraph(s: EngineSession, sql: string): Promise<string[]> {
  return (await rows(s, `EXPLAIN (GRAPH) ${sql}`)).map((r) => String(r[0]));
}

/** The lines of one graph's section (from its header to the next header). */
function section(lines: readonly string[], header: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(header));
  assert.ok(start >= 0, `no ${header} in\n${lines.join('\n')}`);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('EXPLAIN (GRAPH) (engine)', () => {
  it('takes parallelism from the session: default 1, SET to 4, 22023 below 1 or not an integer', async () => {
    await withEngine(async (s) => {
      assert.deepEqual(await rows(s, 'SHOW parallelism'), [['1']]);
      await run(s, 'SET parallelism = 4');
      assert.deepEqual(await rows(s, 'SHOW parallelism'), [['4']]);
      await failsWith(s, 'SET parallelism = 0', '22023');
      await failsWith(s, "SET parallelism = 'many'", '22023');
      assert.deepEqual(await rows(s, 'SHOW parallelism'), [['4']]);
      await run(s, 'RESET parallelism');
      assert.deepEqual(await rows(s, 'SHOW parallelism'), [['1']]);
    });
  });

  it('prints a grouped aggregate at parallelism 4: Scan -> Filter chained, hash(g), 16 channels', async () => {
    await withEngine(async (s) => {
      await run(s, 'CREATE TABLE t (g int, x int)');
      await run(s, 'SET parallelism = 4');
      const lines = await explainGraph(s, 'SELECT g, count(*) FROM t WHERE x > 1 GROUP BY g');
      const job = section(lines, 'JobGraph');
      assert.ok(job.includes('  vertex 1: Scan t -> Filter [nodes 1,2, parallelism 4]'), job.join('\n'));
      assert.ok(job.includes('  vertex 2: HashAggregate -> Project [nodes 3,4, parallelism 4]'), job.join('\n'));
      assert.ok(job.includes('  edge 1 -> 2: hash(g)'), job.join('\n'));
      const exec = section(lines, 'ExecutionGraph');
      assert.ok(exec.includes('  edge 1 -> 2: hash(g), 16 channels'), exec.join('\n'));
      assert.ok(exec.includes('  vertex 2: HashAggregate -> Project subtasks 2[0..3]'), exec.join('\n'));
      assert.ok(exec.includes('    1[0..3] -> 2[0..3]'), exec.join('\n'));
    });
  });

  it('prints a join with a hash edge per side on the join keys, and count(*) gathered by a single edge', async () => {
    await withEngine(async (s) => {
      await run(s, 'CREATE TABLE a (id int, v int); CREATE TABLE b (a_id int, w int)');
      await run(s, 'SET parallelism = 3');
      const join = section(await explainGraph(s, 'SELECT v, w FROM a JOIN b ON a.id = b.a_id'), 'StreamGraph');
      const joinNode = join.find((l) => l.includes(': Join inner ['));
      assert.ok(joinNode?.endsWith('parallelism 3]'), join.join('\n'));
      const joinId = /node (\d+)/.exec(joinNode!)![1];
      const into = join.filter((l) => l.includes(` -> ${joinId} (`));
      assert.deepEqual(into.map((l) => l.replace(/^ {2}edge \d+ -> \d+ /, '')), ['(left input): hash(id)', '(right input): hash(a_id)']);

      const count = await explainGraph(s, 'SELECT count(*) FROM a');
      assert.ok(section(count, 'StreamGraph').includes('  node 2: HashAggregate [operator, parallelism 1]'), count.join('\n'));
      assert.ok(section(count, 'JobGraph').includes('  edge 1 -> 2: single'), count.join('\n'));
      assert.ok(section(count, 'ExecutionGraph').includes('  edge 1 -> 2: single, 3 channels'), count.join('\n'));
    });
  });

  it('prints a materialized view and a derived stream as continuous dataflows with their sinks', async () => {
    await withEngine(async (s) => {
      await run(s, 'CREATE TABLE t (g int, x int)');
      await run(s, 'SET parallelism = 2');
      const view = await explainGraph(s, 'CREATE MATERIALIZED VIEW top3 AS SELECT x FROM t ORDER BY x LIMIT 3');
      assert.deepEqual(section(view, 'StreamGraph').filter((l) => l.includes('node')),
        ['  node 1: Scan t [source, parallelism 2]', '  node 2: TopN [operator, parallelism 1]',
          '  node 3: Project [operator, parallelism 1]', '  node 4: MaterializedState [sink, parallelism 1]']);
      await run(s, 'CREATE STREAM ev (k int, v int)');
      const stream = await explainGraph(s, 'CREATE STREAM per_k AS SELECT k, v FROM ev WHERE v > 0');
      assert.deepEqual(section(stream, 'JobGraph'), ['JobGraph', '  vertex 1: Scan ev -> Filter -> Project [nodes 1,2,3, parallelism 2]',
        '  vertex 2: ChangelogSink [nodes 4, parallelism 1]', '  edge 1 -> 2: single']);
      // The statements were only explained: nothing was created.
      await failsWith(s, 'SELECT * FROM top3', '42P01');
    });
  });

  it('keeps plain EXPLAIN the logical plan', async () => {
    await withEngine(async (s) => {
      await run(s, 'CREATE TABLE t (g int)');
      const lines = (await rows(s, 'EXPLAIN SELECT g FROM t')).map((r) => String(r[0]));
      assert.ok(!lines.some((l) => l.startsWith('StreamGraph')), lines.join('\n'));
      await failsWith(s, 'EXPLAIN (GRAPH maybe) SELECT g FROM t', '22023');
    });
  });
});
