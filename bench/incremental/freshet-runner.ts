/**
 * One run of the workload on Freshet in-process (no wire): a fresh engine on a temp data dir, the
 * tables loaded, the view created, then every batch of changes applied as one transaction through
 * prepared statements (an upsert for inserts and updates, a DELETE for deletes). Measures changes
 * per second end to end, the share of that time spent maintaining views after commit, heap per live
 * row before and after the view exists, and the latency of one autocommitted UPDATE until the view
 * shows it (latency.ts). Checks the view against the model before and after the stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine, type EngineOptions } from '../../server/engine/freshet-engine.js';
import { checkpointStats } from '../../server/checkpoint/coordinator.js';
import type { CheckpointStats } from '../../server/catalog/system/system-table.js';
import { checkTotals } from './check.js';
import { measureLatency, type LatencyFigures, type LatencyMode } from './latency.js';
import { heapUsedBytes, nowMs } from './measure.js';
import { SqlSession } from './sql-session.js';
import { CREATE_TABLES, regionTotalsQuery, viewQuery, type ViewShape } from './view-query.js';
import { batches, ChangeKind, regionTotals, type OrderRows, type Workload } from './workload.js';

const LOAD_CHUNK = 10_000;
const INT4_ARRAY_OID = 1007;

export interface FreshetRun extends LatencyFigures {
  readonly changesPerSec: number;
  /** Changes per second counting only the time spent inside view maintenance after each commit. */
  readonly maintenanceChangesPerSec: number;
  readonly maintenanceShare: number;
  /** Shares of the stream's time in the upsert statements, the DELETE statements and COMMIT (which includes view maintenance). */
  readonly upsertShare: number;
  readonly deleteShare: number;
  readonly commitShare: number;
  /** The slowest COMMIT of the stream (a store fold, when one falls in the stream, lands in one COMMIT). */
  readonly maxCommitMs: number;
  readonly createViewMs: number;
  readonly heapPerLiveRowBeforeView: number;
  readonly heapPerLiveRowAfterView: number;
  readonly liveRowsAtView: number;
  /** Rows of the view when the latencies are measured. */
  readonly viewRows: number;
  /** Checkpoints completed during the stream (with checkpoints on). */
  readonly checkpoints: readonly CheckpointStats[];
}

export interface FreshetRunOptions {
  /** Engine options; default: no background checkpoints (the benchmark of maintenance alone). */
  readonly engine?: EngineOptions;
  /** Give the event loop a turn after every transaction, as a server between client messages does (timers, checkpoints run). */
  readonly yieldBetweenBatches?: boolean;
}

async function loadOrders(s: SqlSession, insert: Awaited<ReturnType<SqlSession['prepare']>>, rows: OrderRows): Promise<void> {
  for (let k = 0; k < rows.id.length; k += LOAD_CHUNK) {
    const end = Math.min(k + LOAD_CHUNK, rows.id.length);
    await s.execute(insert, [Array.from(rows.id.subarray(k, end)), Array.from(rows.customer.subarray(k, end)), Array.from(rows.amount.subarray(k, end))]);
  }
}

export async function runFreshet(
  w: Workload,
  shape: ViewShape,
  latencySamples: number,
  latencyModes: ReadonlySet<LatencyMode>,
  opts: FreshetRunOptions = {},
): Promise<FreshetRun> {
  const dir = mkdtempSync(join(tmpdir(), 'freshet-bench-ivm-'));
  const engine = await FreshetEngine.open(dir, opts.engine ?? { checkpointIntervalMs: 0 });
  const s = new SqlSession(engine);
  try {
    for (const sql of CREATE_TABLES) await s.run(sql);
    const int4Arrays = (n: number) => new Array<number>(n).fill(INT4_ARRAY_OID);
    const insertCustomers = await s.prepare('INSERT INTO customers SELECT * FROM unnest($1::int[], $2::int[])', int4Arrays(2));
    const ids = Array.from({ length: w.spec.customers }, (_, i) => i);
    for (let k = 0; k < ids.length; k += LOAD_CHUNK) {
      await s.execute(insertCustomers, [ids.slice(k, k + LOAD_CHUNK), Array.from(w.customerRegion.subarray(k, k + LOAD_CHUNK))]);
    }
    const upsert = await s.prepare(
      'INSERT INTO orders SELECT * FROM unnest($1::int[], $2::int[], $3::int[]) ON CONFLICT (id) DO UPDATE SET customer = EXCLUDED.customer, amount = EXCLUDED.amount',
      int4Arrays(3),
    );
    await loadOrders(s, upsert, w.initialOrders);

    const liveRowsAtView = w.spec.customers + w.initialOrders.id.length;
    const heapBefore = heapUsedBytes();
    let t = nowMs();
    await s.run(`CREATE MATERIALIZED VIEW v AS ${viewQuery(shape)}`);
    const createViewMs = nowMs() - t;
    const heapAfter = heapUsedBytes();
    const readTotals = await s.prepare(regionTotalsQuery(shape, 'v'));
    checkTotals('freshet (after CREATE)', (await s.execute(readTotals)), regionTotals(w, w.initialOrders));

    // Time spent maintaining views after each commit (the incremental work proper).
    let maintenanceMs = 0;
    const views = engine.views;
    const afterCommit = views.afterCommit.bind(views);
    views.afterCommit = () => {
      const start = nowMs();
      try {
        afterCommit();
      } finally {
        maintenanceMs += nowMs() - start;
      }
    };

    const begin = await s.prepare('BEGIN');
    const commit = await s.prepare('COMMIT');
    const remove = await s.prepare('DELETE FROM orders WHERE id = ANY($1::int[])', int4Arrays(1));
    const c = w.changes;
    let upsertMs = 0;
    let deleteMs = 0;
    let commitMs = 0;
    let maxCommitMs = 0;
    const checkpointsBefore = new Set(checkpointStats(engine.checkpoints).map((c) => c.id));
    t = nowMs();
    for (const [start, end] of batches(w)) {
      const upId: number[] = [];
      const upCustomer: number[] = [];
      const upAmount: number[] = [];
      const delId: number[] = [];
      for (let i = start; i < end; i++) {
        if (c.kind[i] === ChangeKind.Delete) {
          delId.push(c.id[i]!);
        } else {
          upId.push(c.id[i]!);
          upCustomer.push(c.customer[i]!);
          upAmount.push(c.amount[i]!);
        }
      }
      await s.execute(begin);
      let lap = nowMs();
      if (upId.length > 0) await s.execute(upsert, [upId, upCustomer, upAmount]);
      upsertMs += nowMs() - lap;
      lap = nowMs();
      if (delId.length > 0) await s.execute(remove, [delId]);
      deleteMs += nowMs() - lap;
      lap = nowMs();
      await s.execute(commit);
      const commitLap = nowMs() - lap;
      commitMs += commitLap;
      if (commitLap > maxCommitMs) maxCommitMs = commitLap;
      if (opts.yieldBetweenBatches) await new Promise((resolve) => setImmediate(resolve));
    }
    const streamMs = nowMs() - t;
    const checkpoints = checkpointStats(engine.checkpoints).filter((cp) => !checkpointsBefore.has(cp.id) && cp.status !== 'failed');
    const totals = regionTotals(w, w.finalOrders);
    checkTotals('freshet (after the stream)', (await s.execute(readTotals)), totals);

    const viewRows = shape === 'group' ? totals.size : w.finalOrders.id.length;
    const latency = await measureLatency(engine, s, w, shape, totals, latencySamples, latencyModes);
    return {
      changesPerSec: (c.length / streamMs) * 1000,
      maintenanceChangesPerSec: (c.length / maintenanceMs) * 1000,
      maintenanceShare: maintenanceMs / streamMs,
      upsertShare: upsertMs / streamMs,
      deleteShare: deleteMs / streamMs,
      commitShare: commitMs / streamMs,
      maxCommitMs,
      createViewMs,
      heapPerLiveRowBeforeView: heapBefore / liveRowsAtView,
      heapPerLiveRowAfterView: heapAfter / liveRowsAtView,
      liveRowsAtView,
      viewRows,
      checkpoints,
      ...latency,
    };
  } finally {
    s.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
