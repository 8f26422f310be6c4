/**
 * Session windows per key when grouped: when a GROUP BY (no grouping sets) takes a SESSION window's
 * window_start or window_end as a key, directly or through Projects and Filters, the window is
 * partitioned by the GROUP BY's other keys that are bare columns of the window's input (the time
 * column excepted: partitioning by it would make every distinct time its own session). Any other use
 * of SESSION keeps one partition. Runs once on every bound query (plan/api.ts), so a SELECT and a
 * continuous view of the same query partition alike.
 */
import type { LogicalPlan } from '../logical/plan.js';
import type { SessionWindowNode } from '../logical/session-window.js';
import { mapInputs } from './subqueries-to-joins.js';

export function partitionSessionWindows(plan: LogicalPlan): LogicalPlan {
  return containsSession(plan) ? rewrite(plan) : plan;
}

function containsSession(plan: LogicalPlan): boolean {
  return plan.kind === 'sessionWindow' || plan.inputs.some(containsSession);
}

function rewrite(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === 'sessionWindow') return plan.with(rewrite(plan.input));
  if (plan.kind === 'aggregate' && !plan.groupingSets) {
    const found = groupedSession(plan.input, plan.groupExprs.map((e) => (e.kind === 'column' ? e.index : undefined)));
    if (found) return mapInputs(plan, (input) => repartition(input, found.keys));
  }
  return mapInputs(plan, rewrite);
}

/**
 * The session window under `plan` (through Projects and Filters) and its partition keys, when the
 * columns `keys` of `plan` (undefined: not a bare column) include its window_start or window_end.
 */
function groupedSession(plan: LogicalPlan, keys: readonly (number | undefined)[]): { session: SessionWindowNode; keys: number[] } | undefined {
  switch (plan.kind) {
    case 'filter':
      return groupedSession(plan.input, keys);
    case 'project':
      return groupedSession(
        plan.input,
        keys.map((k) => {
          const e = k === undefined ? undefined : plan.exprs[k];
          return e?.kind === 'column' ? e.index : undefined;
        }),
      );
    case 'sessionWindow': {
      const width = plan.input.schema.length;
      if (!keys.some((k) => k === width || k === width + 1)) return undefined;
      const partition = new Set<number>();
      for (const k of keys) if (k !== undefined && k < width && k !== plan.timeColumn) partition.add(k);
      return { session: plan, keys: [...partition].sort((a, b) => a - b) };
    }
    default:
      return undefined;
  }
}

/** Rebuilds the Projects and Filters down to the session window, which gets `keys`. */
function repartition(plan: LogicalPlan, keys: readonly number[]): LogicalPlan {
  switch (plan.kind) {
    case 'filter':
    case 'project':
      return mapInputs(plan, (input) => repartition(input, keys));
    case 'sessionWindow':
      return plan.with(rewrite(plan.input), keys);
    default:
      return rewrite(plan);
  }
}
