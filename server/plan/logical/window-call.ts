/**
 * A window function call: ranking (row_number, rank, dense_rank, percent_rank, cume_dist, ntile),
 * offset (lag, lead, first_value, last_value, nth_value) or an aggregate over a frame, with its
 * PARTITION BY / ORDER BY / frame. Expressions are over the Window node's input.
 */
import type { SqlType } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { AggregateCall } from './aggregate-call.js';
import type { SortKey } from './sort-key.js';

export interface WindowFrame {
  readonly units: 'rows' | 'range' | 'groups';
  readonly start: WindowBound;
  readonly end: WindowBound;
}

export type WindowBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: number }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: number }
  | { readonly kind: 'unboundedFollowing' };

export interface WindowCall {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly partitionBy: readonly BoundExpr[];
  readonly orderBy: readonly SortKey[];
  /** Absent: PostgreSQL's default (RANGE UNBOUNDED PRECEDING to CURRENT ROW, peers included). */
  readonly frame?: WindowFrame;
  /** Set for aggregates used as window functions. */
  readonly aggregate?: AggregateCall;
  readonly type: SqlType;
}
