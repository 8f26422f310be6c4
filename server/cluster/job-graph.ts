/**
 * JobGraph: the StreamGraph with operator chaining applied (as Flink does): an operator joins its
 * input's vertex when the edge between them is `forward`, both run at the same parallelism, and the
 * edge is the only input of the one and the only output of the other; such operators then run in one
 * task with no exchange between them. Vertices are connected by the edges that were not chained.
 */
import type { EdgeInput, StreamEdge, StreamGraph } from './stream-graph.js';
import type { Partitioning } from './partitioning.js';

export interface JobVertex {
  /** Ids count from 1 in the order of the vertices' first operators (inputs before consumers). */
  readonly id: number;
  /** StreamGraph node ids in the chain, upstream first. */
  readonly nodeIds: readonly number[];
  /** The chained operators' names joined by ` -> `. */
  readonly name: string;
  readonly parallelism: number;
}

export interface JobEdge {
  readonly from: number;
  readonly to: number;
  readonly input: EdgeInput;
  readonly partitioning: Partitioning;
}

export interface JobGraph {
  readonly vertices: readonly JobVertex[];
  readonly edges: readonly JobEdge[];
}

export function isChainable(edge: StreamEdge, graph: StreamGraph): boolean {
  const from = graph.nodes[edge.from - 1]!;
  const to = graph.nodes[edge.to - 1]!;
  return edge.partitioning.kind === 'forward'
    && from.parallelism === to.parallelism
    && graph.edges.filter((e) => e.to === edge.to).length === 1
    && graph.edges.filter((e) => e.from === edge.from).length === 1;
}

/** Chains the StreamGraph's operators into JobGraph vertices. */
export function buildJobGraph(graph: StreamGraph): JobGraph {
  // Nodes come inputs-first, so a chained edge's producer already has its vertex.
  const vertexOfNode = new Map<number, number>();
  const members: number[][] = [];
  for (const node of graph.nodes) {
    const chainedInput = graph.edges.find((e) => e.to === node.id && isChainable(e, graph));
    if (chainedInput) {
      const v = vertexOfNode.get(chainedInput.from)!;
      vertexOfNode.set(node.id, v);
      members[v - 1]!.push(node.id);
    } else {
      members.push([node.id]);
      vertexOfNode.set(node.id, members.length);
    }
  }
  const vertices: JobVertex[] = members.map((nodeIds, i) => ({
    id: i + 1,
    nodeIds,
    name: nodeIds.map((n) => graph.nodes[n - 1]!.operator).join(' -> '),
    parallelism: graph.nodes[nodeIds[0]! - 1]!.parallelism,
  }));
  const edges: JobEdge[] = graph.edges
    .filter((e) => !isChainable(e, graph))
    .map((e) => ({ from: vertexOfNode.get(e.from)!, to: vertexOfNode.get(e.to)!, input: e.input, partitioning: e.partitioning }));
  return { vertices, edges };
}
