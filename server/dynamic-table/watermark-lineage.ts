/**
 * Which output columns of a plan carry a watermark at run time, worked out from the plan alone, the
 * same way the operators pass watermarks on (exec/operators): a stream's WATERMARK column; bare column
 * references through Project; window_start / window_end of TUMBLE and HOP over a watermarked time
 * column; group keys of an Aggregate; equi-join keys watermarked on both sides; set-operation
 * columns watermarked on both sides. Used to check EMIT ON WINDOW CLOSE at CREATE time.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { analyzeIntervalJoin } from '../exec/interval-join-bounds.js';

export function watermarkedColumns(plan: LogicalPlan): Set<number> {
  switch (plan.kind) {
    case 'scan':
      return new Set(plan.rel.watermark ? [plan.rel.watermark.column] : []);
    case 'filter': case 'sort': case 'limit': case 'distinct': case 'distinctOn': case 'window':
      return watermarkedColumns(plan.input);
    case 'project': {
      const below = watermarkedColumns(plan.input);
      const out = new Set<number>();
      plan.exprs.forEach((e, j) => {
        if (e.kind === 'column' && below.has(e.index)) out.add(j);
      });
      return out;
    }
    case 'windowTvf': {
      const below = watermarkedColumns(plan.input);
      if (below.has(plan.timeColumn)) {
        const width = plan.input.schema.length;
        below.add(width);
        below.add(width + 1);
      }
      return below;
    }
    case 'sessionWindow': {
      // Rows of open sessions are re-emitted: only the time column and the window columns keep a watermark.
      const below = watermarkedColumns(plan.input);
      if (!below.has(plan.timeColumn)) return new Set();
      const width = plan.input.schema.length;
      return new Set([plan.timeColumn, width, width + 1]);
    }
    case 'aggregate': {
      if (plan.groupingSets) return new Set();
      const below = watermarkedColumns(plan.input);
      const out = new Set<number>();
      plan.groupExprs.forEach((e, k) => {
        if (e.kind === 'column' && below.has(e.index)) out.add(k);
      });
      return out;
    }
    case 'join': {
      const l = watermarkedColumns(plan.left);
      const r = watermarkedColumns(plan.right);
      const out = new Set<number>();
      for (const [lk, rk] of plan.equiKeys) {
        if (l.has(lk) && r.has(rk)) {
          out.add(lk);
          out.add(plan.left.schema.length + rk);
        }
      }
      // An interval join (exec/operators/interval-join.ts) also passes on watermarks of both time columns.
      const bounds = analyzeIntervalJoin(plan);
      if (bounds && l.has(bounds.leftTime) && r.has(bounds.rightTime)) {
        out.add(bounds.leftTime);
        out.add(plan.left.schema.length + bounds.rightTime);
      }
      return out;
    }
    case 'setOp': {
      const l = watermarkedColumns(plan.left);
      const r = watermarkedColumns(plan.right);
      return new Set([...l].filter((c) => r.has(c)));
    }
    case 'values': case 'tableFunction': case 'projectSet': case 'recursiveUnion': case 'workTableScan': case 'apply':
      return new Set();
    default: {
      const never: never = plan;
      return never;
    }
  }
}

/**
 * EMIT ON WINDOW CLOSE needs the query to end in a GROUP BY with a watermarked key (under Filters,
 * Projects and a top ORDER BY only), so its output is one final row per closed window: append-only.
 */
export function checkEmitOnWindowClose(plan: LogicalPlan): void {
  let p = plan;
  if (p.kind === 'sort') p = p.input;
  while (p.kind === 'project' || p.kind === 'filter') p = p.input;
  const ok = p.kind === 'aggregate' && !p.groupingSets && p.groupExprs.some((e, k) => e.kind === 'column' && watermarkedColumns(p).has(k));
  if (!ok) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'EMIT ON WINDOW CLOSE needs a query that ends in a GROUP BY on a watermarked column', {
      hint: 'Group by window_start or window_end of TUMBLE(...) or HOP(...) over a stream declared with WATERMARK FOR.',
    });
  }
}
