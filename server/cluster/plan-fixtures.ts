/**
 * Logical plans built by hand for the graph builders' tests: relations with int4 columns, column
 * references by name, count(*). Only what the graphs read is realistic (names, keys, shapes).
 */
import type { RelationDef, RelationKind } from '../catalog/model.js';
import { Bound, type BoundExpr, type ColumnExpr } from '../plan/bound/expr.js';
import { AggregateNode } from '../plan/logical/aggregate.js';
import type { AggregateCall } from '../plan/logical/aggregate-call.js';
import { FilterNode } from '../plan/logical/filter.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { computedColumn } from '../plan/logical/plan.js';
import { ScanNode } from '../plan/logical/scan.js';
import { T } from '../types/sql-type.js';

let nextOid = 50_000;

export function relation(name: string, columns: readonly string[], kind: RelationKind = 'table'): RelationDef {
  return {
    oid: nextOid++,
    schema: 'public',
    name,
    kind,
    columns: columns.map((c, i) => ({ name: c, type: T.int4, notNull: false, attnum: i + 1 })),
    primaryKey: [],
    options: {},
  };
}

export function scan(name: string, columns: readonly string[], kind: RelationKind = 'table'): ScanNode {
  return new ScanNode(relation(name, columns, kind));
}

export function col(plan: LogicalPlan, name: string): ColumnExpr {
  const index = plan.schema.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name}`);
  return Bound.column(index, plan.schema[index]!.type, name);
}

export function where(input: LogicalPlan): FilterNode {
  return new FilterNode(input, Bound.constant(true, T.bool));
}

export const COUNT_STAR: AggregateCall = { name: 'count', args: [], argTypes: [], distinct: false, orderBy: [], star: true, type: T.int8 };

/** `SELECT <groups>, count(*) FROM input GROUP BY <groups>` (optionally with grouping sets). */
export function countBy(input: LogicalPlan, groups: readonly BoundExpr[], groupingSets?: readonly (readonly number[])[]): AggregateNode {
  const schema = [...groups.map((g, i) => computedColumn(`g${i}`, g.type)), computedColumn('count', T.int8)];
  return new AggregateNode(input, groups, [COUNT_STAR], groupingSets, schema);
}
