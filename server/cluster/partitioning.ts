/**
 * How rows travel along one edge of the dataflow graphs: to the same subtask (`forward`), by a hash
 * of key values (`hash`), all to one subtask (`single`) or round-robin where parallelism changes
 * without a key (`rebalance`). Owns the edge kinds and their EXPLAIN text, nothing that moves data.
 */
import { exprText, type BoundExpr } from '../plan/bound/expr.js';

/** One hash key: an input column, or an expression over the input row (a GROUP BY expression). */
export type HashKey =
  | { readonly kind: 'column'; readonly index: number; readonly name: string }
  | { readonly kind: 'expr'; readonly expr: BoundExpr };

export type Partitioning =
  | { readonly kind: 'forward' }
  | { readonly kind: 'hash'; readonly keys: readonly HashKey[] }
  | { readonly kind: 'single' }
  | { readonly kind: 'rebalance' };

export const FORWARD: Partitioning = { kind: 'forward' };
export const SINGLE: Partitioning = { kind: 'single' };
export const REBALANCE: Partitioning = { kind: 'rebalance' };

export function hashKeyText(key: HashKey): string {
  switch (key.kind) {
    case 'column': return key.name;
    case 'expr': return exprText(key.expr);
    default: {
      const never: never = key;
      return String(never);
    }
  }
}

export function partitioningText(p: Partitioning): string {
  switch (p.kind) {
    case 'forward': return 'forward';
    case 'hash': return `hash(${p.keys.map(hashKeyText).join(', ')})`;
    case 'single': return 'single';
    case 'rebalance': return 'rebalance';
    default: {
      const never: never = p;
      return String(never);
    }
  }
}
