/**
 * StreamGraph: one node per operator that exec/build-graph.ts would create for a logical plan (same
 * names as the operator classes), plus the sink, with the partitioning of every edge and each node's
 * parallelism. It mirrors buildGraph's choices (TopN for a continuous LIMIT, IntervalJoin for a
 * time-bounded continuous join) but builds no operator: it is a planning value, printed by EXPLAIN
 * (GRAPH) and later chained (job-graph.ts) and expanded (execution-graph.ts) for the cluster.
 */
import { exprKey, type BoundExpr } from '../plan/bound/expr.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { analyzeIntervalJoin } from '../exec/interval-join-bounds.js';
import { FORWARD, REBALANCE, SINGLE, type HashKey, type Partitioning } from './partitioning.js';

/** Where the dataflow's output goes: a query's result rows, a materialized view, or a derived stream. */
export type SinkKind = 'result' | 'materializedView' | 'stream';

const SINK_OPERATOR: Readonly<Record<SinkKind, string>> = {
  result: 'ResultSink',
  materializedView: 'MaterializedState',
  stream: 'ChangelogSink',
};

export interface StreamGraphOptions {
  /** Subtasks of each parallel operator (the session's `parallelism`), >= 1. */
  readonly parallelism: number;
  /** A continuous query (view, stream) rather than a batch SELECT: buildGraph's `continuous`. */
  readonly continuous: boolean;
  readonly sink: SinkKind;
}

export type StreamNodeRole = 'source' | 'operator' | 'sink';

export interface StreamNode {
  /** Ids count from 1 in build order: every input before its consumer, left before right. */
  readonly id: number;
  /** The operator class's `name` (`HashAggregate`, `Join inner`, `Scan t`, `TopN`). */
  readonly operator: string;
  readonly role: StreamNodeRole;
  readonly parallelism: number;
}

/** Which input of the consumer an edge feeds: two-input operators (joins, set operations) have two. */
export type EdgeInput = 'only' | 'left' | 'right';

export interface StreamEdge {
  readonly from: number;
  readonly to: number;
  readonly input: EdgeInput;
  readonly partitioning: Partitioning;
}

export interface StreamGraph {
  readonly nodes: readonly StreamNode[];
  readonly edges: readonly StreamEdge[];
  readonly parallelism: number;
}

/**
 * What an operator needs of one input. `keep`: whatever the input has (row-wise operators: forward,
 * same parallelism). `hash`: rows with equal keys in one subtask (no keys: `single`). `single`:
 * everything in one subtask. `spread`: full parallelism, no key (UNION ALL).
 */
type InputDemand =
  | { readonly kind: 'keep' }
  | { readonly kind: 'hash'; readonly keys: readonly HashKey[] }
  | { readonly kind: 'single' }
  | { readonly kind: 'spread' };

const KEEP: InputDemand = { kind: 'keep' };
const NEED_SINGLE: InputDemand = { kind: 'single' };

interface Built {
  readonly id: number;
  readonly parallelism: number;
}

/** A key expression over `input`'s rows; a bare column is named as the input names it. */
function hashKey(input: LogicalPlan, e: BoundExpr): HashKey {
  return e.kind === 'column' ? { kind: 'column', index: e.index, name: input.schema[e.index]?.name ?? e.label } : { kind: 'expr', expr: e };
}

function hashOn(input: LogicalPlan, exprs: readonly BoundExpr[]): InputDemand {
  return exprs.length === 0 ? NEED_SINGLE : { kind: 'hash', keys: exprs.map((e) => hashKey(input, e)) };
}

function hashOnColumns(plan: LogicalPlan, columns: readonly number[]): InputDemand {
  return columns.length === 0 ? NEED_SINGLE : { kind: 'hash', keys: columns.map((i) => ({ kind: 'column', index: i, name: plan.schema[i]!.name })) };
}

/** The expressions present in every list (by structural equality), in the first list's order. */
function commonExprs(lists: readonly (readonly BoundExpr[])[]): BoundExpr[] {
  if (lists.length === 0) return [];
  const others = lists.slice(1).map((l) => new Set(l.map(exprKey)));
  return lists[0]!.filter((e) => others.every((s) => s.has(exprKey(e))));
}

/** Builds the StreamGraph of `plan` feeding the given sink. */
export function buildStreamGraph(plan: LogicalPlan, options: StreamGraphOptions): StreamGraph {
  const { parallelism, continuous } = options;
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new RangeError(`parallelism must be an integer >= 1, got ${parallelism}`);
  const nodes: StreamNode[] = [];
  const edges: StreamEdge[] = [];

  const addNode = (operator: string, role: StreamNodeRole, nodeParallelism: number): number => {
    const id = nodes.length + 1;
    nodes.push({ id, operator, role, parallelism: nodeParallelism });
    return id;
  };

  /** The edge an input gets under a demand, and the parallelism that demand gives its consumer. */
  const resolve = (input: Built, demand: InputDemand): { partitioning: Partitioning; parallelism: number } => {
    switch (demand.kind) {
      case 'keep': return { partitioning: FORWARD, parallelism: input.parallelism };
      case 'hash': return { partitioning: { kind: 'hash', keys: demand.keys }, parallelism };
      // Already in one subtask: nothing to gather, so the operator can chain with its input.
      case 'single': return { partitioning: input.parallelism === 1 ? FORWARD : SINGLE, parallelism: 1 };
      case 'spread': return { partitioning: input.parallelism === parallelism ? FORWARD : REBALANCE, parallelism };
      default: {
        const never: never = demand;
        return never;
      }
    }
  };

  const source = (operator: string, sourceParallelism: number): Built => ({ id: addNode(operator, 'source', sourceParallelism), parallelism: sourceParallelism });

  const unary = (operator: string, input: Built, demand: InputDemand, role: StreamNodeRole = 'operator'): Built => {
    const r = resolve(input, demand);
    const id = addNode(operator, role, r.parallelism);
    edges.push({ from: input.id, to: id, input: 'only', partitioning: r.partitioning });
    return { id, parallelism: r.parallelism };
  };

  /** Both demands are of one kind (hash on both, single on both, spread on both): one parallelism. */
  const binary = (operator: string, left: Built, right: Built, leftDemand: InputDemand, rightDemand: InputDemand): Built => {
    const l = resolve(left, leftDemand);
    const r = resolve(right, rightDemand);
    const id = addNode(operator, 'operator', l.parallelism);
    edges.push({ from: left.id, to: id, input: 'left', partitioning: l.partitioning });
    edges.push({ from: right.id, to: id, input: 'right', partitioning: r.partitioning });
    return { id, parallelism: l.parallelism };
  };

  const build = (p: LogicalPlan): Built => {
    switch (p.kind) {
      case 'scan': return source(`Scan ${p.rel.name}`, parallelism);
      // Constant relations emit their rows once: more than one subtask would repeat them.
      case 'values': return source('Values', 1);
      case 'tableFunction': return source(p.name, 1);
      case 'recursiveUnion': return source('RecursiveUnion', 1);
      case 'workTableScan': return source('WorkTableScan', 1);
      case 'filter': return unary('Filter', build(p.input), KEEP);
      case 'project': return unary('Project', build(p.input), KEEP);
      case 'projectSet': return unary('ProjectSet', build(p.input), KEEP);
      case 'apply': return unary(`Apply ${p.joinType}`, build(p.left), KEEP);
      case 'windowTvf': return unary(p.assignment.kind === 'tumble' ? 'WindowTvf TUMBLE' : 'WindowTvf HOP', build(p.input), KEEP);
      case 'sessionWindow': return unary('SessionWindow', build(p.input), hashOnColumns(p.input, p.partitionKeys));
      // A batch sort orders the whole result; a continuous one (top of a view) does not change contents.
      case 'sort': return unary('Sort', build(p.input), continuous ? KEEP : NEED_SINGLE);
      case 'distinct': return unary('Distinct', build(p.input), hashOnColumns(p.input, p.input.schema.map((_, i) => i)));
      case 'aggregate': {
        // With grouping sets a row belongs to one group per set: only keys in every set may partition.
        const keys = p.groupingSets ? commonExprs(p.groupingSets.map((set) => set.map((i) => p.groupExprs[i]!))) : p.groupExprs;
        return unary('HashAggregate', build(p.input), hashOn(p.input, keys));
      }
      case 'window': return unary('Window', build(p.input), hashOn(p.input, commonExprs(p.calls.map((c) => c.partitionBy))));
      case 'limit': {
        if (!continuous) return unary('Limit', build(p.input), NEED_SINGLE);
        // As buildGraph: a TopN over the Sort's input, the Project between them after the TopN.
        const project = p.input.kind === 'project' && p.input.input.kind === 'sort' ? p.input : undefined;
        const below = project ? project.input : p.input;
        const topN = unary('TopN', build(below.kind === 'sort' ? below.input : below), NEED_SINGLE);
        return project ? unary('Project', topN, KEEP) : topN;
      }
      case 'distinctOn': {
        if (continuous) {
          // A TopN of one row per key over the Sort's input.
          const below = p.input.kind === 'sort' ? p.input.input : p.input;
          return unary('TopN', build(below), hashOn(below, p.keys));
        }
        // The first row per key in the Sort's order: the order is global, so one subtask.
        return unary('DistinctOn', build(p.input), p.input.kind === 'sort' ? NEED_SINGLE : hashOn(p.input, p.keys));
      }
      case 'join': {
        const interval = continuous ? analyzeIntervalJoin(p) !== undefined : false;
        const name = interval ? 'IntervalJoin' : `Join ${p.joinType}`;
        const left = build(p.left);
        const right = build(p.right);
        // Without equi-keys (nested loop, cross join) every pair must meet: one subtask.
        const leftDemand = hashOnColumns(p.left, p.equiKeys.map(([l]) => l));
        const rightDemand = hashOnColumns(p.right, p.equiKeys.map(([, r]) => r));
        return binary(name, left, right, leftDemand, rightDemand);
      }
      case 'setOp': {
        const left = build(p.left);
        const right = build(p.right);
        const name = `SetOp ${p.op}${p.all ? ' all' : ''}`;
        if (p.op === 'union' && p.all) return binary(name, left, right, { kind: 'spread' }, { kind: 'spread' });
        const all = (side: LogicalPlan) => hashOnColumns(side, side.schema.map((_, i) => i));
        return binary(name, left, right, all(p.left), all(p.right));
      }
      default: {
        const never: never = p;
        throw new Error(`no stream graph node for plan ${String((never as { kind: string }).kind)}`);
      }
    }
  };

  unary(SINK_OPERATOR[options.sink], build(plan), NEED_SINGLE, 'sink');
  return { nodes, edges, parallelism };
}
