/**
 * The logical plan: immutable relational-algebra nodes, each with a `kind`. Every node computes its
 * output schema, stream key (columns that identify a row, if any) and append-only property once, in
 * its constructor; EXPLAIN prints them. A rewrite builds new nodes; nothing mutates a node.
 */
import type { SqlType } from '../../types/sql-type.js';
import { children, type BoundExpr, type SubplanExpr } from '../bound/expr.js';
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
import type { ApplyNode } from './apply.js';
import type { RecursiveUnionNode, WorkTableScanNode } from './recursive-union.js';
import type { WindowTvfNode } from './window-tvf.js';
import type { SessionWindowNode } from './session-window.js';

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
  | WorkTableScanNode
  | ApplyNode
  | WindowTvfNode
  | SessionWindowNode;

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

/** The expressions a node evaluates (to find the subplans inside them). */
function nodeExpressions(plan: LogicalPlan): readonly BoundExpr[] {
  switch (plan.kind) {
    case 'values': return plan.rows.flat();
    case 'filter': return [plan.predicate];
    case 'project': return plan.exprs;
    case 'join': return plan.condition ? [plan.condition] : [];
    case 'apply': return [...plan.args, ...(plan.condition ? [plan.condition] : [])];
    case 'aggregate': return [...plan.groupExprs, ...plan.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : [])])];
    case 'sort': return plan.keys.map((k) => k.expr);
    case 'distinctOn': return plan.keys;
    case 'window': return plan.calls.flatMap((c) => [...c.args, ...c.partitionBy, ...c.orderBy.map((k) => k.expr)]);
    case 'tableFunction': return plan.args;
    case 'projectSet': return plan.calls.flatMap((c) => c.args);
    case 'scan': case 'distinct': case 'limit': case 'setOp': case 'recursiveUnion': case 'workTableScan': case 'windowTvf': case 'sessionWindow': return [];
    default: { const never: never = plan; return never; }
  }
}

function subplansOf(e: BoundExpr, out: SubplanExpr[]): void {
  if (e.kind === 'subplan') out.push(e);
  for (const c of children(e)) subplansOf(c, out);
}

/** EXPLAIN lines: one per node, children indented by two spaces, subplans under their node. */
export function explainPlan(plan: LogicalPlan, indent = 0): string[] {
  const cols = plan.schema.map((c) => `${c.name}:${c.type.kind === 'array' ? `${c.type.element?.kind}[]` : c.type.kind}`).join(', ');
  const key = plan.streamKey ? ` key=[${plan.streamKey.join(',')}]` : '';
  const pad = '  '.repeat(indent);
  const lines = [`${pad}${plan.describe()}  (${cols})${key}${plan.appendOnly ? ' append-only' : ''}`];
  const subplans: SubplanExpr[] = [];
  for (const e of nodeExpressions(plan)) subplansOf(e, subplans);
  subplans.forEach((sp, i) => {
    lines.push(`${pad}  SubPlan ${i + 1} (${sp.mode}${sp.args.length ? ', correlated' : ''})`);
    lines.push(...explainPlan(sp.plan, indent + 2));
  });
  return [...lines, ...plan.inputs.flatMap((i) => explainPlan(i, indent + 1))];
}
