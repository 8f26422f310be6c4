/** One ORDER BY key of a Sort, DistinctOn or Window node: an expression over the node's input. */
import { exprText, type BoundExpr } from '../bound/expr.js';

export interface SortKey {
  readonly expr: BoundExpr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export function sortKeyText(k: SortKey): string {
  return `${exprText(k.expr)}${k.desc ? ' DESC' : ''}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`;
}
