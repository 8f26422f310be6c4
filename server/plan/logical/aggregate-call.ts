/**
 * An aggregate call as the Aggregate node and window aggregates hold it: the aggregate's name, its
 * argument expressions over the node's input, DISTINCT / FILTER / ORDER BY, and the resolved types.
 */
import type { SqlType } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { SortKey } from './sort-key.js';

export interface AggregateCall {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly argTypes: readonly SqlType[];
  readonly distinct: boolean;
  readonly filter?: BoundExpr;
  readonly orderBy: readonly SortKey[];
  /** count(*): no arguments. */
  readonly star: boolean;
  readonly type: SqlType;
}
