/**
 * Rewrites select-list, HAVING and ORDER BY expressions of a grouped query onto the Aggregate node's
 * output: group-by expressions become its key columns, aggregate placeholders its aggregate columns,
 * and any other column reference is the 42803 grouping error PostgreSQL reports.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { children, exprKey, mapChildren, type BoundExpr } from '../bound/expr.js';
import type { AggregateCall } from '../logical/aggregate-call.js';
import type { WindowCall } from '../logical/window-call.js';

export class AggregateRewriter {
  readonly aggregates: AggregateCall[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly aggIndex = new Map<string, number>();

  constructor(readonly groupExprs: readonly BoundExpr[]) {
    groupExprs.forEach((g, i) => {
      const k = exprKey(g);
      if (!this.groupIndex.has(k)) this.groupIndex.set(k, i);
    });
  }

  rewrite(e: BoundExpr): BoundExpr {
    const g = this.groupIndex.get(exprKey(e));
    if (g !== undefined) return { kind: 'column', index: g, type: this.groupExprs[g]!.type, label: e.kind === 'column' ? e.label : `group${g + 1}` };
    switch (e.kind) {
      case 'agg': {
        const k = exprKey(e);
        let i = this.aggIndex.get(k);
        if (i === undefined) {
          i = this.aggregates.length;
          this.aggregates.push(e.call);
          this.aggIndex.set(k, i);
        }
        return { kind: 'column', index: this.groupExprs.length + i, type: e.type, label: e.call.name };
      }
      case 'column':
        throw new SqlError(SQLSTATE.groupingError, `column "${e.label}" must appear in the GROUP BY clause or be used in an aggregate function`, { position: e.pos });
      case 'window':
        return { kind: 'window', call: rewriteWindowCall(e.call, (x) => this.rewrite(x)), type: e.type };
      default:
        return mapChildren(e, (c) => this.rewrite(c));
    }
  }
}

function rewriteWindowCall(c: WindowCall, f: (e: BoundExpr) => BoundExpr): WindowCall {
  return {
    ...c,
    args: c.args.map(f),
    partitionBy: c.partitionBy.map(f),
    orderBy: c.orderBy.map((k) => ({ ...k, expr: f(k.expr) })),
    aggregate: c.aggregate
      ? { ...c.aggregate, args: c.aggregate.args.map(f), filter: c.aggregate.filter ? f(c.aggregate.filter) : undefined, orderBy: c.aggregate.orderBy.map((k) => ({ ...k, expr: f(k.expr) })) }
      : undefined,
  };
}

/** True when `e` holds an aggregate placeholder outside any subquery (window contents included). */
export function containsAggregate(e: BoundExpr): boolean {
  if (e.kind === 'agg') return true;
  if (e.kind === 'window') {
    const c = e.call;
    return [...c.args, ...c.partitionBy, ...c.orderBy.map((k) => k.expr)].some(containsAggregate);
  }
  return children(e).some(containsAggregate);
}

/** Replaces window placeholders by columns appended after the input's `width` columns. */
export class WindowCollector {
  readonly calls: WindowCall[] = [];
  constructor(readonly width: number) {}

  rewrite(e: BoundExpr): BoundExpr {
    if (e.kind === 'window') {
      this.calls.push(e.call);
      return { kind: 'column', index: this.width + this.calls.length - 1, type: e.type, label: e.call.name };
    }
    return mapChildren(e, (c) => this.rewrite(c));
  }
}
