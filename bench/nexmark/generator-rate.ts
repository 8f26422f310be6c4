/**
 * Throughput of the Nexmark event generator alone (no query): events per second, median of 5 runs
 * of about 2 s, each on a fresh generator. Also times the same events handed over as ChangelogChunks
 * two ways: the generator's columns as they are (no copy), and through rows (what a row-shaped
 * generator would cost to turn into chunks), to show why batches are columnar. The three
 * measurements are interleaved so that changes in machine load touch them alike.
 * Run: npx tsc -p . && node dist/bench/nexmark/generator-rate.js
 * Env: NEXMARK_BENCH_RUNS (5), NEXMARK_BENCH_MS (2000), NEXMARK_BENCH_BATCH (1024 events), NEXMARK_BENCH_SEED (42).
 */
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import { nexmarkChunk, nexmarkRows } from '../../server/connectors/nexmark/batch-views.js';
import { NexmarkGenerator, type NexmarkBatch } from '../../server/connectors/nexmark/generator.js';

const RUNS = Number(process.env.NEXMARK_BENCH_RUNS ?? 5);
const RUN_MS = Number(process.env.NEXMARK_BENCH_MS ?? 2000);
const BATCH = Number(process.env.NEXMARK_BENCH_BATCH ?? 1024);
const SEED = Number(process.env.NEXMARK_BENCH_SEED ?? 42);

type Handover = 'none' | 'columns' | 'rows';

/** Something the optimiser cannot drop: the total of the chunk lengths. */
let sink = 0;

function handOver(batch: NexmarkBatch, how: Handover): void {
  switch (how) {
    case 'none':
      sink += batch.eventCount;
      return;
    case 'columns':
      sink += nexmarkChunk(batch.person).length + nexmarkChunk(batch.auction).length + nexmarkChunk(batch.bid).length;
      return;
    case 'rows':
      for (const kind of [batch.person, batch.auction, batch.bid]) {
        sink += ChangelogChunk.fromRows(kind.columns.length, nexmarkRows(kind)).length;
      }
      return;
    default: {
      const never: never = how;
      throw new Error(`unknown handover ${String(never)}`);
    }
  }
}

function runOnce(how: Handover): number {
  const generator = new NexmarkGenerator({ seed: SEED });
  let events = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < RUN_MS) {
    const batch = generator.nextBatch(BATCH);
    handOver(batch, how);
    events += batch.eventCount;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (events / elapsedMs) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

console.log(`nexmark generator rate: median of ${RUNS} runs of ${RUN_MS} ms, batches of ${BATCH} events, seed ${SEED}`);
const results: Record<Handover, { median: number; runs: number[] }> = {
  none: { median: 0, runs: [] },
  columns: { median: 0, runs: [] },
  rows: { median: 0, runs: [] },
};
// Interleaved, so that a change in machine load touches the three figures alike.
for (let i = 0; i < RUNS; i++) for (const how of ['none', 'columns', 'rows'] as const) results[how].runs.push(runOnce(how));
for (const r of Object.values(results)) r.median = median(r.runs);
console.log(
  `generator alone: ${fmt(results.none.median)} events/s (runs ${results.none.runs.map(fmt).join(' / ')}); ` +
    `as chunks from its columns: ${fmt(results.columns.median)} events/s; as chunks through rows: ${fmt(results.rows.median)} events/s`,
);
console.log(
  JSON.stringify({
    bench: 'nexmark-generator-rate',
    runs: RUNS,
    runMs: RUN_MS,
    batchEvents: BATCH,
    seed: SEED,
    eventsPerSecond: Math.round(results.none.median),
    eventsPerSecondRuns: results.none.runs.map(Math.round),
    chunksFromColumnsEventsPerSecond: Math.round(results.columns.median),
    chunksThroughRowsEventsPerSecond: Math.round(results.rows.median),
    node: process.version,
    sink,
  }),
);
