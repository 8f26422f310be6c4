/**
 * Rule: a WHERE predicate over inner and cross joins is split into conjuncts, and each conjunct goes
 * to the lowest join input that has every column it reads; a conjunct reading both sides becomes that
 * join's condition (so `a.x = b.y` turns a cross product into a hash join). Without it a comma join
 * of n catalog tables (pgJDBC's getImportedKeys joins nine) is a full cross product. Conjuncts with
 * subqueries or volatile calls stay where they were written.
 */
import type { LogicalPlan } from '../logical/plan.js';
import { FilterNode } from '../logical/filter.js';
import { JoinNode } from '../logical/join.js';
import { children, mapChildren, type BoundExpr } from '../bound/expr.js';
import { makeJoin } from '../binder/from-binder.js';
import { T } from '../../types/sql-type.js';

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

function allOf(preds: readonly BoundExpr[]): BoundExpr | undefined {
  if (preds.length === 0) return undefined;
  return preds.length === 1 ? preds[0] : { kind: 'and', args: preds, type: T.bool };
}

/** Column indexes a conjunct reads, or undefined when it must not move (subquery, volatile call). */
function movableColumns(e: BoundExpr, out: Set<number>): boolean {
  if (e.kind === 'subplan' || e.kind === 'agg' || e.kind === 'window' || e.kind === 'srf') return false;
  if (e.kind === 'call' && e.volatile) return false;
  if (e.kind === 'column') out.add(e.index);
  return children(e).every((c) => movableColumns(c, out));
}

function shiftColumns(e: BoundExpr, by: number): BoundExpr {
  return e.kind === 'column' ? { ...e, index: e.index + by } : mapChildren(e, (c) => shiftColumns(c, by));
}

function pushDown(plan: LogicalPlan, preds: readonly BoundExpr[]): LogicalPlan {
  if (plan.kind !== 'join' || (plan.joinType !== 'inner' && plan.joinType !== 'cross')) {
    const p = allOf(preds);
    return p ? new FilterNode(plan, p) : plan;
  }
  const nLeft = plan.left.schema.length;
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const both: BoundExpr[] = plan.condition ? conjuncts(plan.condition) : [];
  const stay: BoundExpr[] = [];
  for (const p of preds) {
    const cols = new Set<number>();
    if (!movableColumns(p, cols) || cols.size === 0) {
      stay.push(p);
      continue;
    }
    const indexes = [...cols];
    if (indexes.every((i) => i < nLeft)) left.push(p);
    else if (indexes.every((i) => i >= nLeft)) right.push(shiftColumns(p, -nLeft));
    else both.push(p);
  }
  const l = pushDown(plan.left, left);
  const r = pushDown(plan.right, right);
  const condition = allOf(both);
  const join = condition ? makeJoin('inner', l, r, condition) : new JoinNode('cross', l, r, undefined, []);
  const rest = allOf(stay);
  return rest ? new FilterNode(join, rest) : join;
}

/** The plan for `input WHERE predicate`, with the predicate pushed into inner/cross joins. */
export function filterOverJoins(input: LogicalPlan, predicate: BoundExpr): LogicalPlan {
  if (input.kind !== 'join') return new FilterNode(input, predicate);
  return pushDown(input, conjuncts(predicate));
}
