/**
 * EXPLAIN (GRAPH) text: the StreamGraph, JobGraph and ExecutionGraph of one plan, a header per graph,
 * then one line per node or vertex and per edge. Execution channels are printed per JobGraph edge,
 * producers with the same consumers on one line and subtask indexes as ranges (`2[0..3]`).
 */
import type { LogicalPlan } from '../plan/logical/plan.js';
import { buildExecutionGraph, type ExecutionEdge, type ExecutionGraph } from './execution-graph.js';
import { buildJobGraph, type JobGraph } from './job-graph.js';
import { partitioningText } from './partitioning.js';
import { buildStreamGraph, type EdgeInput, type StreamGraph, type StreamGraphOptions } from './stream-graph.js';

export interface PlanGraphs {
  readonly stream: StreamGraph;
  readonly job: JobGraph;
  readonly execution: ExecutionGraph;
}

/** The three graphs of a plan, each built from the one before. */
export function planGraphs(plan: LogicalPlan, options: StreamGraphOptions): PlanGraphs {
  const stream = buildStreamGraph(plan, options);
  const job = buildJobGraph(stream);
  return { stream, job, execution: buildExecutionGraph(job) };
}

function inputText(input: EdgeInput): string {
  return input === 'only' ? '' : ` (${input} input)`;
}

/** Sorted indexes as ranges: [0,1,2,5] -> `0..2,5`. */
function rangesText(indexes: readonly number[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= indexes.length; i++) {
    if (i < indexes.length && indexes[i] === indexes[i - 1]! + 1) continue;
    const a = indexes[start]!, b = indexes[i - 1]!;
    parts.push(a === b ? String(a) : `${a}..${b}`);
    start = i;
  }
  return parts.join(',');
}

function channelLines(channels: readonly ExecutionEdge[]): string[] {
  const targets = new Map<number, number[]>();
  for (const c of channels) {
    const list = targets.get(c.from.index) ?? [];
    list.push(c.to.index);
    targets.set(c.from.index, list);
  }
  // Producers sending to the same consumers share a line.
  const byTargets = new Map<string, number[]>();
  for (const [producer, consumers] of [...targets].sort((x, y) => x[0] - y[0])) {
    const key = rangesText([...consumers].sort((x, y) => x - y));
    const list = byTargets.get(key) ?? [];
    list.push(producer);
    byTargets.set(key, list);
  }
  const first = channels[0]!;
  return [...byTargets].map(([consumers, producers]) => `    ${first.from.vertex}[${rangesText(producers)}] -> ${first.to.vertex}[${consumers}]`);
}

export function graphLines(graphs: PlanGraphs): string[] {
  const { stream, job, execution } = graphs;
  const lines: string[] = [`StreamGraph (parallelism ${stream.parallelism})`];
  for (const n of stream.nodes) lines.push(`  node ${n.id}: ${n.operator} [${n.role}, parallelism ${n.parallelism}]`);
  for (const e of stream.edges) lines.push(`  edge ${e.from} -> ${e.to}${inputText(e.input)}: ${partitioningText(e.partitioning)}`);
  lines.push('JobGraph');
  for (const v of job.vertices) lines.push(`  vertex ${v.id}: ${v.name} [nodes ${v.nodeIds.join(',')}, parallelism ${v.parallelism}]`);
  for (const e of job.edges) lines.push(`  edge ${e.from} -> ${e.to}${inputText(e.input)}: ${partitioningText(e.partitioning)}`);
  const subtaskCount = execution.vertices.reduce((n, v) => n + v.subtasks.length, 0);
  lines.push(`ExecutionGraph (${subtaskCount} subtasks, ${execution.edges.length} channels)`);
  for (const v of execution.vertices) lines.push(`  vertex ${v.vertex}: ${v.name} subtasks ${v.vertex}[${rangesText(v.subtasks.map((s) => s.index))}]`);
  job.edges.forEach((e, i) => {
    const channels = execution.edges.filter((c) => c.jobEdge === i);
    lines.push(`  edge ${e.from} -> ${e.to}${inputText(e.input)}: ${partitioningText(e.partitioning)}, ${channels.length} channels`);
    if (channels.length > 0) lines.push(...channelLines(channels));
  });
  return lines;
}
