/**
 * Freshet's incremental-view-maintenance benchmark: a stream of order changes into a join + group-by
 * materialized view, on Freshet in-process, on @tanstack/db-ivm, and against a full REFRESH of the
 * same view in PostgreSQL. Prints a table and one JSON line. Settings come from BENCH_* variables
 * (see bench/README.md). Run: npx tsc -p . && node --expose-gc dist/bench/incremental/run.js
 */
import os from 'node:os';
import { runDbIvm, type DbIvmRun } from './dbivm-runner.js';
import { runFreshet, type FreshetRun } from './freshet-runner.js';
import type { LatencyMode } from './latency.js';
import { canForceGc, median } from './measure.js';
import { runPostgres } from './postgres-runner.js';
import type { ViewShape } from './view-query.js';
import { generateWorkload, type WorkloadSpec } from './workload.js';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function viewShapeEnv(): ViewShape {
  const raw = process.env.BENCH_VIEW ?? 'group';
  if (raw === 'group' || raw === 'join') return raw;
  throw new Error(`BENCH_VIEW must be "group" or "join", got "${raw}"`);
}

function latencyModesEnv(): Set<LatencyMode> {
  const modes = new Set<LatencyMode>();
  for (const raw of (process.env.BENCH_LATENCY ?? 'read,subscribe').split(',').map((m) => m.trim()).filter(Boolean)) {
    if (raw !== 'read' && raw !== 'subscribe') throw new Error(`BENCH_LATENCY lists "read" and/or "subscribe", got "${raw}"`);
    modes.add(raw);
  }
  return modes;
}

const spec: WorkloadSpec = {
  customers: intEnv('BENCH_CUSTOMERS', 10_000),
  regions: intEnv('BENCH_REGIONS', 100),
  initialOrders: intEnv('BENCH_ORDERS', 100_000),
  changes: intEnv('BENCH_CHANGES', 50_000),
  batchSize: intEnv('BENCH_BATCH', 1_000),
  seed: intEnv('BENCH_SEED', 42),
};
const runs = intEnv('BENCH_RUNS', 5);
const latencySamples = intEnv('BENCH_LATENCY_SAMPLES', 21);
const shape = viewShapeEnv();
const latencyModes = latencyModesEnv();
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const workload = generateWorkload(spec);
console.log(
  `incremental view benchmark: view=${shape}, ${spec.customers} customers in ${spec.regions} regions, ` +
    `${spec.initialOrders} initial orders, ${spec.changes} changes in transactions of ${spec.batchSize}, ` +
    `${workload.finalOrders.id.length} orders at the end; median of ${runs} runs; ${os.cpus().length} cpus, node ${process.version}` +
    (canForceGc() ? '' : '; heap figures WITHOUT forced GC (run node --expose-gc)'),
);

const freshetRuns: FreshetRun[] = [];
if (!skip.has('freshet')) {
  for (let r = 0; r < runs; r++) {
    freshetRuns.push(await runFreshet(workload, shape, latencySamples, latencyModes));
    console.log(`  freshet run ${r + 1}: ${freshetRuns[r]!.changesPerSec.toFixed(0)} changes/s`);
  }
}
const dbIvmRuns: DbIvmRun[] = [];
if (!skip.has('dbivm')) {
  for (let r = 0; r < runs; r++) {
    dbIvmRuns.push(runDbIvm(workload, shape));
    console.log(`  db-ivm run ${r + 1}: ${dbIvmRuns[r]!.changesPerSec.toFixed(0)} changes/s`);
  }
}
const postgres = skip.has('postgres') ? { skipped: 'BENCH_SKIP' } : await runPostgres(workload, shape, runs);

const med = <T>(xs: readonly T[], pick: (x: T) => number): number => median(xs.map(pick));
const medOrNull = <T>(xs: readonly T[], pick: (x: T) => number | null): number | null =>
  xs.some((x) => pick(x) === null) ? null : median(xs.map((x) => pick(x)!));
const freshet = freshetRuns.length === 0 ? null : {
  changesPerSec: med(freshetRuns, (x) => x.changesPerSec),
  maintenanceChangesPerSec: med(freshetRuns, (x) => x.maintenanceChangesPerSec),
  maintenanceShare: med(freshetRuns, (x) => x.maintenanceShare),
  upsertShare: med(freshetRuns, (x) => x.upsertShare),
  deleteShare: med(freshetRuns, (x) => x.deleteShare),
  commitShare: med(freshetRuns, (x) => x.commitShare),
  maxCommitMs: med(freshetRuns, (x) => x.maxCommitMs),
  createViewMs: med(freshetRuns, (x) => x.createViewMs),
  heapPerLiveRowBeforeView: med(freshetRuns, (x) => x.heapPerLiveRowBeforeView),
  heapPerLiveRowAfterView: med(freshetRuns, (x) => x.heapPerLiveRowAfterView),
  liveRowsAtView: freshetRuns[0]!.liveRowsAtView,
  viewRows: freshetRuns[0]!.viewRows,
  updateLatencyMs: medOrNull(freshetRuns, (x) => x.updateLatencyMs),
  upsertLatencyMs: medOrNull(freshetRuns, (x) => x.upsertLatencyMs),
  subscribeLatencyMs: medOrNull(freshetRuns, (x) => x.subscribeLatencyMs),
};
const dbIvm = dbIvmRuns.length === 0 ? null : { changesPerSec: med(dbIvmRuns, (x) => x.changesPerSec) };
const refreshMs = 'refreshMs' in postgres ? postgres.refreshMs : null;
const ratios = {
  freshetOverDbIvm: freshet && dbIvm ? freshet.changesPerSec / dbIvm.changesPerSec : null,
  freshetMaintenanceOverDbIvm: freshet && dbIvm ? freshet.maintenanceChangesPerSec / dbIvm.changesPerSec : null,
  /** How many changes Freshet applies (end to end) in the time of one PostgreSQL refresh. */
  changesPerPostgresRefresh: freshet && refreshMs !== null ? (refreshMs / 1000) * freshet.changesPerSec : null,
  /** PostgreSQL refresh time over Freshet's time for one transaction of batchSize changes. */
  refreshOverFreshetBatch: freshet && refreshMs !== null ? refreshMs / ((spec.batchSize / freshet.changesPerSec) * 1000) : null,
};

const fmt = (x: number | null | undefined, digits = 0) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rows: [string, string][] = [
  ['Freshet changes/s (end to end, batches of ' + spec.batchSize + ')', fmt(freshet?.changesPerSec)],
  ['Freshet per-change time, µs', fmt(freshet ? 1e6 / freshet.changesPerSec : null, 1)],
  ['Freshet changes/s counting view maintenance only', fmt(freshet?.maintenanceChangesPerSec)],
  ['Freshet time split: upsert / DELETE / COMMIT (of which view maintenance)', freshet ? `${pct(freshet.upsertShare)} / ${pct(freshet.deleteShare)} / ${pct(freshet.commitShare)} (${pct(freshet.maintenanceShare)})` : 'n/a'],
  ['Freshet slowest COMMIT of the stream, ms', fmt(freshet?.maxCommitMs, 1)],
  ['Freshet CREATE MATERIALIZED VIEW (backfill), ms', fmt(freshet?.createViewMs)],
  ['Freshet UPDATE-to-view latency, ms (median)', fmt(freshet?.updateLatencyMs, 2)],
  ['Freshet upsert-to-view latency, ms (median)', fmt(freshet?.upsertLatencyMs, 2)],
  [`Freshet UPDATE-to-SUBSCRIBE latency, ms (median; view of ${freshet?.viewRows ?? 0} rows)`, fmt(freshet?.subscribeLatencyMs, 2)],
  [`Freshet heap bytes per live row, before view (${freshet?.liveRowsAtView ?? 0} rows)`, fmt(freshet?.heapPerLiveRowBeforeView)],
  ['Freshet heap bytes per live row, after view', fmt(freshet?.heapPerLiveRowAfterView)],
  ['Freshet view state, heap bytes per live row', fmt(freshet ? freshet.heapPerLiveRowAfterView - freshet.heapPerLiveRowBeforeView : null)],
  ['db-ivm changes/s (same batches)', fmt(dbIvm?.changesPerSec)],
  ['PostgreSQL REFRESH MATERIALIZED VIEW, ms', 'refreshMs' in postgres ? `${fmt(postgres.refreshMs, 1)} (PostgreSQL ${postgres.version})` : `skipped: ${postgres.skipped}`],
  ['ratio Freshet / db-ivm changes/s', fmt(ratios.freshetOverDbIvm, 3)],
  ['ratio Freshet maintenance-only / db-ivm changes/s', fmt(ratios.freshetMaintenanceOverDbIvm, 3)],
  ['changes Freshet applies in one PostgreSQL refresh', fmt(ratios.changesPerPostgresRefresh)],
  [`PostgreSQL refresh / Freshet ${spec.batchSize}-change transaction`, fmt(ratios.refreshOverFreshetBatch, 2)],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(JSON.stringify({
  benchmark: 'incremental', view: shape, spec, runs, finalOrders: workload.finalOrders.id.length, gcForced: canForceGc(),
  freshet, dbIvm, postgres, ratios,
}));
