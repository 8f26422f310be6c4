/**
 * Change-to-view latency on Freshet: single-row changes in autocommit, each timed until the view shows
 * it. Two ways of seeing it: a point read of the view (SELECT, which scans the view's rows: fine for
 * the 100-row group-by view, not for a million-row join), and a SUBSCRIBE cursor on the view receiving
 * the changed row (independent of the view's size). Each change adds one to a live order's amount.
 */
import type { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { median, nowMs, waitUntil } from './measure.js';
import { SqlSession } from './sql-session.js';
import type { ViewShape } from './view-query.js';
import type { RegionTotals, Workload } from './workload.js';

const LATENCY_TIMEOUT_MS = 10_000;
const INT4 = 23;

/** Which latencies to measure (BENCH_LATENCY): by reading the view, through a SUBSCRIBE cursor. */
export type LatencyMode = 'read' | 'subscribe';

export interface LatencyFigures {
  /** Median ms from an autocommitted UPDATE by primary key until a SELECT of the view shows it. */
  readonly updateLatencyMs: number | null;
  /** The same with INSERT ... ON CONFLICT DO UPDATE as the change. */
  readonly upsertLatencyMs: number | null;
  /** Median ms from an autocommitted UPDATE until FETCH on a SUBSCRIBE cursor returns the changed view row. */
  readonly subscribeLatencyMs: number | null;
}

/** The next single-row change: order `id` gets `amount`; `want` is what the view must then show. */
interface Bump {
  readonly id: number;
  readonly customer: number;
  readonly region: number;
  readonly amount: number;
  /** The region's new sum (group view) or the order's new amount (join view). */
  readonly want: number;
}

/** Picks live orders in a fixed scattered order and keeps the expected amounts and region sums. */
class AmountBumps {
  private readonly amounts = new Map<number, number>();
  private k = 0;

  constructor(
    private readonly w: Workload,
    private readonly shape: ViewShape,
    private readonly totals: RegionTotals,
  ) {}

  next(): Bump {
    const orders = this.w.finalOrders;
    const row = (this.k++ * 7919) % orders.id.length;
    const id = orders.id[row]!;
    const customer = orders.customer[row]!;
    const region = this.w.customerRegion[customer]!;
    const amount = (this.amounts.get(id) ?? orders.amount[row]!) + 1;
    this.amounts.set(id, amount);
    const regionTotal = this.totals.get(region)!;
    regionTotal.sum += 1;
    return { id, customer, region, amount, want: this.shape === 'group' ? regionTotal.sum : amount };
  }
}

export async function measureLatency(
  engine: FreshetEngine,
  s: SqlSession,
  w: Workload,
  shape: ViewShape,
  totals: RegionTotals,
  samples: number,
  modes: ReadonlySet<LatencyMode>,
): Promise<LatencyFigures> {
  const bumps = new AmountBumps(w, shape, totals);
  const update = await s.prepare('UPDATE orders SET amount = $1 WHERE id = $2', [INT4, INT4]);
  let updateLatencyMs: number | null = null;
  let upsertLatencyMs: number | null = null;
  if (modes.has('read')) {
    const upsert = await s.prepare('INSERT INTO orders VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount', [INT4, INT4, INT4]);
    const read = shape === 'group'
      ? await s.prepare('SELECT total FROM v WHERE region = $1', [INT4])
      : await s.prepare('SELECT amount FROM v WHERE id = $1', [INT4]);
    const one = async (useUpsert: boolean): Promise<number> => {
      const b = bumps.next();
      const start = nowMs();
      if (useUpsert) await s.execute(upsert, [b.id, b.customer, b.amount]);
      else await s.execute(update, [b.amount, b.id]);
      await waitUntil(async () => {
        const rows = await s.execute(read, [shape === 'group' ? b.region : b.id]);
        return rows.length === 1 && Number(rows[0]![0]) === b.want;
      }, LATENCY_TIMEOUT_MS, `the view to show order ${b.id}'s new amount`);
      return nowMs() - start;
    };
    const updateTimes: number[] = [];
    const upsertTimes: number[] = [];
    for (let k = 0; k < samples; k++) updateTimes.push(await one(false));
    for (let k = 0; k < samples; k++) upsertTimes.push(await one(true));
    updateLatencyMs = median(updateTimes);
    upsertLatencyMs = median(upsertTimes);
  }
  const subscribeLatencyMs = modes.has('subscribe') ? await subscribeLatency(engine, s, shape, bumps, update, samples) : null;
  return { updateLatencyMs, upsertLatencyMs, subscribeLatencyMs };
}

/**
 * A second session holds `DECLARE ... CURSOR WITH HOLD FOR SUBSCRIBE v WITH (snapshot = false)`; each
 * sample runs the UPDATE on the first session and FETCHes (waiting up to the timeout) until the view's
 * new row (+U or +I: order id / region, with the new amount / sum) arrives.
 */
async function subscribeLatency(
  engine: FreshetEngine,
  s: SqlSession,
  shape: ViewShape,
  bumps: AmountBumps,
  update: Awaited<ReturnType<SqlSession['prepare']>>,
  samples: number,
): Promise<number> {
  const watcher = new SqlSession(engine);
  try {
    await watcher.run('DECLARE latency CURSOR WITH HOLD FOR SUBSCRIBE v WITH (snapshot = false)');
    const fetch = await watcher.prepare(`FETCH ALL latency WITH (timeout = '${LATENCY_TIMEOUT_MS}ms')`);
    // Subscription rows: epoch, progress, op, then the view's columns: (id, region, amount) or (region, n, total).
    const KEY = 3;
    const VALUE = 5;
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const b = bumps.next();
      const key = shape === 'group' ? b.region : b.id;
      const start = nowMs();
      await s.execute(update, [b.amount, b.id]);
      for (let seen = false; !seen; ) {
        const rows = await watcher.execute(fetch);
        if (rows.length === 0) throw new Error(`timed out after ${LATENCY_TIMEOUT_MS} ms waiting for the subscription to show order ${b.id}`);
        seen = rows.some((r) => (r[2] === '+U' || r[2] === '+I') && Number(r[KEY]) === key && Number(r[VALUE]) === b.want);
      }
      times.push(nowMs() - start);
    }
    await watcher.run('CLOSE latency');
    return median(times);
  } finally {
    watcher.close();
  }
}
