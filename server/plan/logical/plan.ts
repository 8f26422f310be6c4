/**
 * The logical plan: immutable relational-algebra nodes, each with a `kind`. Every node computes its
 * output schema, stream key (columns that identify a row, if any) and append-only property once, in
 * its constructor; EXPLAIN prints them. A rewrite builds new nodes; nothing mutates a node.
 */
import type { SqlType } from '../../types/sql-type.js';
import type { ValuesNode } from './values.js';
import type { ScanNode } from './scan.js';
import type { FilterNode } from './filter.js';
import type { ProjectNode } from './project.js';
import type { JoinNode } from './join.js';
import type { AggregateNode } from './aggregate.js';
import type { DistinctNode } from './distinct.js';
import type { DistinctOnNode } from './distinct-on.js';
import type { SortNode } from './sort.js';
import type { LimitNode } from './limit.js';
import type { SetOpNode } from './set-op.js';
import type { WindowNode } from './window.js';
import type { TableFunctionNode } from './table-function.js';
import type { ProjectSetNode } from './project-set.js';
import type { RecursiveUnionNode, WorkTableScanNode } from './recursive-union.js';

/** One output column: its name as PostgreSQL would report it and where it comes from (0 = computed). */
export interface PlanColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly tableOid: number;
  readonly attnum: number;
  /** Set when this column is one field of a composite select item (`f(x) AS keys` -> keys.x). */
  readonly composite?: { readonly name: string; readonly field: string };
}

export type LogicalPlan =
  | ValuesNode
  | ScanNode
  | FilterNode
  | ProjectNode
  | JoinNode
  | AggregateNode
  | DistinctNode
  | DistinctOnNode
  | SortNode
  | LimitNode
  | SetOpNode
  | WindowNode
  | TableFunctionNode
  | ProjectSetNode
  | RecursiveUnionNode
  | WorkTableScanNode;

export type PlanKind = LogicalPlan['kind'];

/** What every node offers besides its own fields. */
export interface PlanProperties {
  readonly schema: readonly PlanColumn[];
  /** Column positions that together identify a row, or undefined when rows may repeat. */
  readonly streamKey: readonly number[] | undefined;
  /** True when the node only ever emits inserts given its inputs. */
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  /** One-line description for EXPLAIN, without the properties. */
  describe(): string;
}

export function computedColumn(name: string, type: SqlType): PlanColumn {
  return { name, type, tableOid: 0, attnum: 0 };
}

/** EXPLAIN lines: one per node, children indented by two spaces. */
export function explainPlan(plan: LogicalPlan, indent = 0): string[] {
  const cols = plan.schema.map((c) => `${c.name}:${c.type.kind === 'array' ? `${c.type.element?.kind}[]` : c.type.kind}`).join(', ');
  const key = plan.streamKey ? ` key=[${plan.streamKey.join(',')}]` : '';
  const line = `${'  '.repeat(indent)}${plan.describe()}  (${cols})${key}${plan.appendOnly ? ' append-only' : ''}`;
  return [line, ...plan.inputs.flatMap((i) => explainPlan(i, indent + 1))];
}
