/**
 * The checkpoint benchmark (issue 6), three parts, in one process:
 *  1. overhead: the incremental benchmark's workload (bench/incremental) without checkpoints and with
 *     a checkpoint every second, runs alternating, medians and their ratio; the checkpoints' alignment
 *     time (trigger until every query's state is captured), capture time, duration and size.
 *  2. growth: a view whose state is N rows (and an aggregate over it) for N and 10 N; the first (full)
 *     checkpoint and the incremental ones after the same number of changes: size and duration.
 *  3. recovery: restarting with the 10 N-row view, restored from its checkpoint and replaying the
 *     changes after it, against rebuilding it from the table (no checkpoint).
 * Run: npx tsc -p . && node --expose-gc dist/bench/checkpoint/run.js
 * Env: BENCH_RUNS (5), BENCH_CHANGES (300000), BENCH_STATE_ROWS (100000: N), BENCH_UPDATES (2000 per checkpoint).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { checkpointStats } from '../../server/checkpoint/coordinator.js';
import { runFreshet } from '../incremental/freshet-runner.js';
import { median, nowMs } from '../incremental/measure.js';
import { SqlSession } from '../incremental/sql-session.js';
import { generateWorkload } from '../incremental/workload.js';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return v;
}

const RUNS = intEnv('BENCH_RUNS', 5);
const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

async function overhead(): Promise<void> {
  const w = generateWorkload({ customers: 10_000, regions: 100, initialOrders: 100_000, changes: intEnv('BENCH_CHANGES', 300_000), batchSize: 1_000, seed: 42 });
  const off: number[] = [];
  const on: number[] = [];
  const alignment: number[] = [];
  const capture: number[] = [];
  const encode: number[] = [];
  const write: number[] = [];
  const duration: number[] = [];
  const size: number[] = [];
  let count = 0;
  for (let r = 0; r < RUNS; r++) {
    for (const withCheckpoints of r % 2 === 0 ? [false, true] : [true, false]) {
      const run = await runFreshet(w, 'group', 1, new Set(), {
        engine: { checkpointIntervalMs: withCheckpoints ? 1000 : 0 },
        yieldBetweenBatches: true,
      });
      (withCheckpoints ? on : off).push(run.changesPerSec);
      if (withCheckpoints) {
        for (const c of run.checkpoints) {
          count++;
          if (c.alignmentMs !== null) alignment.push(c.alignmentMs);
          if (c.captureMs !== null) capture.push(c.captureMs);
          if (c.encodeMs !== null) encode.push(c.encodeMs);
          if (c.writeMs !== null) write.push(c.writeMs);
          if (c.durationMs !== null) duration.push(c.durationMs);
          size.push(c.bytes);
        }
      }
    }
  }
  console.log(`\n1. overhead: incremental workload (group view, ${w.changes.length} changes in transactions of 1000), median of ${RUNS} runs each, alternating`);
  console.log(`   no checkpoints            ${fmt(median(off), 0)} changes/s`);
  console.log(`   checkpoint every 1 s      ${fmt(median(on), 0)} changes/s   ratio ${fmt(median(on) / median(off), 3)}`);
  console.log(`   ${count} checkpoints: alignment median ${fmt(median(alignment), 2)} ms (max ${fmt(Math.max(...alignment), 2)}), capture median ${fmt(median(capture), 2)} ms, encode (in slices) median ${fmt(median(encode), 2)} ms, write median ${fmt(median(write), 2)} ms, duration median ${fmt(median(duration), 2)} ms, size median ${fmt(median(size) / 1024, 1)} KiB`);
}

interface GrowthRow {
  readonly rows: number;
  readonly fullBytes: number;
  readonly fullMs: number;
  readonly fullCaptureMs: number;
  readonly fullWriteMs: number;
  readonly incrBytes: number;
  readonly incrMs: number;
  readonly incrCaptureMs: number;
}

async function load(s: SqlSession, n: number): Promise<void> {
  await s.run('CREATE TABLE kv (id int PRIMARY KEY, v int)');
  for (let k = 0; k < n; k += 50_000) await s.run(`INSERT INTO kv SELECT i, i % 1000 FROM generate_series(${k}, ${Math.min(n, k + 50_000) - 1}) AS i`);
  await s.run('CREATE MATERIALIZED VIEW rows_v AS SELECT id, v FROM kv');
  await s.run('CREATE MATERIALIZED VIEW buckets AS SELECT v % 100 AS b, count(*) AS n, sum(v) AS s FROM kv GROUP BY 1');
}

/** `count` rows updated (a run of ids; their rows land in scattered state buckets and groups). */
async function updates(s: SqlSession, n: number, count: number, round: number): Promise<void> {
  const start = (round * 104_729) % (n - count);
  await s.run(`UPDATE kv SET v = v + 1 WHERE id >= ${start} AND id < ${start + count}`);
}

async function growthFor(n: number, dir: string): Promise<GrowthRow> {
  const engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
  const s = new SqlSession(engine);
  try {
    await load(s, n);
    let t = nowMs();
    await s.run('CHECKPOINT');
    const fullMs = nowMs() - t;
    const incrMs: number[] = [];
    for (let round = 0; round < 5; round++) {
      await updates(s, n, intEnv('BENCH_UPDATES', 2000), round);
      t = nowMs();
      await s.run('CHECKPOINT');
      incrMs.push(nowMs() - t);
    }
    const stats = checkpointStats(engine.checkpoints).filter((c) => c.status === 'complete' || c.status === 'retired');
    const first = stats[0]!;
    const later = stats.slice(1);
    return {
      rows: n,
      fullBytes: first.bytes,
      fullMs,
      fullCaptureMs: first.captureMs ?? NaN,
      fullWriteMs: first.writeMs ?? NaN,
      incrBytes: median(later.map((c) => c.bytes)),
      incrMs: median(incrMs),
      incrCaptureMs: median(later.map((c) => c.captureMs ?? NaN)),
    };
  } finally {
    s.close();
    await engine.close();
  }
}

async function growthAndRecovery(): Promise<void> {
  const n = intEnv('BENCH_STATE_ROWS', 100_000);
  const rows: GrowthRow[] = [];
  let bigDir = '';
  for (const size of [n, n * 10]) {
    const dir = mkdtempSync(join(tmpdir(), 'freshet-bench-ckpt-'));
    rows.push(await growthFor(size, dir));
    if (size === n * 10) bigDir = dir;
    else rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n2. growth: view of N rows + an aggregate over them; first checkpoint (full), then ${intEnv('BENCH_UPDATES', 2000)} updated rows per checkpoint (median of 5)`);
  console.log('   state rows | full: size, duration (capture, write) | incremental: size, duration (capture)');
  for (const r of rows) {
    console.log(`   ${r.rows.toLocaleString('en-US').padStart(10)} | ${fmt(r.fullBytes / 1048576, 2)} MiB, ${fmt(r.fullMs, 0)} ms (${fmt(r.fullCaptureMs, 0)} ms, ${fmt(r.fullWriteMs, 0)} ms) | ${fmt(r.incrBytes / 1024, 1)} KiB, ${fmt(r.incrMs, 1)} ms (${fmt(r.incrCaptureMs, 1)} ms)`);
  }

  // 3. Recovery of the 10 N-row view: from its checkpoint (plus a few changes after it), and rebuilt.
  try {
    const restoreMs: number[] = [];
    const rebuildMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const engine = await FreshetEngine.open(bigDir, { checkpointIntervalMs: 0 });
      const rec = engine.checkpoints!.recovery!;
      restoreMs.push(rec.durationMs);
      if (rec.restoredQueries !== 2) throw new Error(`expected both views restored, got ${JSON.stringify(rec)}`);
      const s = new SqlSession(engine);
      await updates(s, n * 10, 1000, 100 + r);
      s.close();
      await engine.close();
    }
    for (let r = 0; r < 3; r++) {
      rmSync(join(bigDir, 'checkpoints.db'), { force: true });
      rmSync(join(bigDir, 'checkpoints.db-wal'), { force: true });
      rmSync(join(bigDir, 'checkpoints.db-shm'), { force: true });
      const engine = await FreshetEngine.open(bigDir, { checkpointIntervalMs: 0 });
      rebuildMs.push(engine.checkpoints!.recovery!.durationMs);
      await engine.close();
    }
    console.log(`\n3. recovery of a view with ${(n * 10).toLocaleString('en-US')} rows of state (+ an aggregate), median of 3`);
    console.log(`   restored from checkpoint (and the changes after it replayed)  ${fmt(median(restoreMs), 0)} ms`);
    console.log(`   rebuilt from the table (no checkpoint)                        ${fmt(median(rebuildMs), 0)} ms   ratio ${fmt(median(restoreMs) / median(rebuildMs), 2)}`);
  } finally {
    rmSync(bigDir, { recursive: true, force: true });
  }
}

console.log(`checkpoint benchmark; node ${process.version}`);
if (!process.env.BENCH_SKIP?.includes('overhead')) await overhead();
if (!process.env.BENCH_SKIP?.includes('growth')) await growthAndRecovery();
