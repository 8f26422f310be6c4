/**
 * ExecutionGraph: the JobGraph made parallel, as the JobManager schedules it: each vertex becomes
 * `parallelism` subtasks, each JobGraph edge a set of channels between subtasks (one-to-one for
 * `forward`, all-to-all for `hash`, `rebalance` and `single`). A planning value: it runs nothing.
 */
import type { EdgeInput } from './stream-graph.js';
import type { JobGraph } from './job-graph.js';
import type { Partitioning } from './partitioning.js';

export interface Subtask {
  readonly vertex: number;
  /** 0-based, below the vertex's parallelism. */
  readonly index: number;
}

/** One channel: a producer subtask sends to a consumer subtask along JobGraph edge `jobEdge`. */
export interface ExecutionEdge {
  /** Position of the JobGraph edge this channel belongs to. */
  readonly jobEdge: number;
  readonly from: Subtask;
  readonly to: Subtask;
  readonly input: EdgeInput;
  readonly partitioning: Partitioning;
}

export interface ExecutionVertex {
  readonly vertex: number;
  readonly name: string;
  readonly subtasks: readonly Subtask[];
}

export interface ExecutionGraph {
  readonly vertices: readonly ExecutionVertex[];
  readonly edges: readonly ExecutionEdge[];
}

export function buildExecutionGraph(job: JobGraph): ExecutionGraph {
  const vertices: ExecutionVertex[] = job.vertices.map((v) => ({
    vertex: v.id,
    name: v.name,
    subtasks: Array.from({ length: v.parallelism }, (_, index) => ({ vertex: v.id, index })),
  }));
  const edges: ExecutionEdge[] = [];
  job.edges.forEach((e, jobEdge) => {
    const producers = vertices[e.from - 1]!.subtasks;
    const consumers = vertices[e.to - 1]!.subtasks;
    const channel = (from: Subtask, to: Subtask) => edges.push({ jobEdge, from, to, input: e.input, partitioning: e.partitioning });
    switch (e.partitioning.kind) {
      case 'forward':
        if (producers.length !== consumers.length) {
          throw new Error(`forward edge ${e.from} -> ${e.to} joins parallelism ${producers.length} to ${consumers.length}`);
        }
        producers.forEach((p, i) => channel(p, consumers[i]!));
        return;
      case 'hash':
      case 'rebalance':
      case 'single':
        for (const p of producers) for (const c of consumers) channel(p, c);
        return;
      default: {
        const never: never = e.partitioning;
        throw new Error(`unknown partitioning ${String(never)}`);
      }
    }
  });
  return { vertices, edges };
}
