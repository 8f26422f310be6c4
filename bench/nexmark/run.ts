/**
 * Nexmark on Freshet, one core: for each query q0..q22 (bench/nexmark/queries), a fresh in-process
 * engine with the three Nexmark sources (person, auction, bid; one generator, pace 'max') bounded to
 * N events, the query running into a blackhole sink (`CREATE SINK ... WITH (connector =
 * 'blackhole')`), and the time to push all N events through it. Reports events/s (median of runs),
 * peak RSS and heap during the run, and, measured in the same process, the generator alone and q0
 * into the blackhole (the floor every query pays), next to the published per-core figures of Flink
 * and RisingWave.
 *
 * Run: `npx tsc -p . && node --expose-gc dist/bench/nexmark/run.js`. Environment: NEXMARK_EVENTS
 * (default 200,000), NEXMARK_RUNS (5), NEXMARK_QUERIES (comma list, e.g. 0,1,5 or q0,q1,q5; default all that run).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { NexmarkGenerator } from '../../server/connectors/nexmark/generator.js';
import { SqlSession } from '../incremental/sql-session.js';

const EVENTS = Number(process.env.NEXMARK_EVENTS ?? 200_000);
const RUNS = Number(process.env.NEXMARK_RUNS ?? 5);
const SEED = 42;

/** Published per-core throughput, thousand events/s (issue 5's table). */
const PUBLISHED: Readonly<Record<string, { flink?: number; risingwave?: number }>> = {
  q0: { flink: 155, risingwave: 118 },
  q1: { flink: 158 },
  q2: { flink: 175 },
  q3: { flink: 152 },
  q4: { flink: 34, risingwave: 14 },
  q5: { flink: 22, risingwave: 5 },
  q7: { flink: 12, risingwave: 20 },
  q8: { flink: 146 },
};

const here = path.dirname(fileURLToPath(import.meta.url));
const queryDir = path.join(here, '..', '..', '..', 'bench', 'nexmark', 'queries');

interface QueryText {
  readonly name: string;
  readonly sql: string;
  readonly status: string | null;
}

function readQuery(n: number): QueryText {
  const text = fs.readFileSync(path.join(queryDir, `q${n}.sql`), 'utf8');
  const status = /^--\s*status:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  const sql = text.split('\n').filter((l) => !l.trimStart().startsWith('--')).join('\n').trim().replace(/;\s*$/, '');
  return { name: `q${n}`, sql, status };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** The generator alone: events/s producing N events in batches as the source does. */
function generatorRate(): number {
  const gen = new NexmarkGenerator({ seed: BigInt(SEED), maxEvents: EVENTS });
  const t0 = performance.now();
  while (gen.nextEventNumber < EVENTS) gen.nextBatch(4096);
  return EVENTS / ((performance.now() - t0) / 1000);
}

interface QueryRun {
  readonly eventsPerSec: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly rowsOut: number;
}

async function runQuery(q: QueryText): Promise<QueryRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-nexmark-'));
  const engine = await FreshetEngine.open(dir, { sourcesAutostart: false });
  const s = new SqlSession(engine);
  try {
    for (const kind of ['person', 'auction', 'bid']) {
      await s.run(`CREATE SOURCE ${kind} WITH (connector = 'nexmark', type = '${kind}', max_events = '${EVENTS}', seed = '${SEED}', pace = 'max')`);
    }
    await s.run(`CREATE SINK nexmark_${q.name} AS ${q.sql} WITH (connector = 'blackhole')`);
    gc();
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    let batches = 0;
    const views = engine.views;
    const deliver = views.deliverSources.bind(views);
    views.deliverSources = (d) => {
      deliver(d);
      if (++batches % 16 === 0) {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }
    };
    const t0 = performance.now();
    engine.sources.drain();
    const seconds = (performance.now() - t0) / 1000;
    const m = process.memoryUsage();
    const sinkOid = engine.catalog.lookup(undefined, `nexmark_${q.name}`)!.oid;
    return {
      eventsPerSec: EVENTS / seconds,
      peakRssMb: Math.max(peakRss, m.rss) / 2 ** 20,
      peakHeapMb: Math.max(peakHeap, m.heapUsed) / 2 ** 20,
      rowsOut: views.sinkRows.get(sinkOid) ?? 0,
    };
  } finally {
    s.close();
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const wanted = process.env.NEXMARK_QUERIES ? process.env.NEXMARK_QUERIES.split(',').map((q) => Number(q.trim().replace(/^q/i, ''))) : Array.from({ length: 23 }, (_, i) => i);
  const queries = wanted.map(readQuery);
  console.log(`Nexmark on Freshet: ${EVENTS} events per run, median of ${RUNS}, one core (node ${process.version}, ${os.cpus().length} cpus)`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for steadier memory figures)');
  const genRuns: number[] = [];
  for (let r = 0; r < RUNS; r++) genRuns.push(generatorRate());
  const generator = median(genRuns);
  console.log(`generator alone: ${(generator / 1000).toFixed(0)}k events/s`);
  const results: Record<string, unknown> = {};
  const header = ['query', 'k events/s', 'vs generator', 'Flink k/s', 'RisingWave k/s', 'peak RSS MB', 'peak heap MB', 'rows out'];
  const lines: string[][] = [];
  for (const q of queries) {
    if (q.status) {
      lines.push([q.name, `not run: ${q.status}`, '', '', '', '', '', '']);
      results[q.name] = { skipped: q.status };
      continue;
    }
    const runs: QueryRun[] = [];
    try {
      for (let r = 0; r < RUNS; r++) runs.push(await runQuery(q));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      lines.push([q.name, `error: ${msg}`, '', '', '', '', '', '']);
      results[q.name] = { error: msg };
      continue;
    }
    const rate = median(runs.map((x) => x.eventsPerSec));
    const pub = PUBLISHED[q.name] ?? {};
    const row = {
      eventsPerSec: rate,
      runs: runs.map((x) => Math.round(x.eventsPerSec)),
      generatorRatio: rate / generator,
      peakRssMb: Math.max(...runs.map((x) => x.peakRssMb)),
      peakHeapMb: Math.max(...runs.map((x) => x.peakHeapMb)),
      rowsOut: runs[0]!.rowsOut,
      flink: pub.flink,
      risingwave: pub.risingwave,
    };
    results[q.name] = row;
    lines.push([
      q.name,
      (rate / 1000).toFixed(0),
      row.generatorRatio.toFixed(2),
      pub.flink?.toString() ?? '',
      pub.risingwave?.toString() ?? '',
      row.peakRssMb.toFixed(0),
      row.peakHeapMb.toFixed(0),
      String(row.rowsOut),
    ]);
    console.log(`  ${q.name}: ${(rate / 1000).toFixed(0)}k events/s (runs ${row.runs.map((x) => (x / 1000).toFixed(0)).join(' / ')}k)`);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log(JSON.stringify({ benchmark: 'nexmark', events: EVENTS, runs: RUNS, generatorEventsPerSec: generator, queries: results }));
}

await main();
