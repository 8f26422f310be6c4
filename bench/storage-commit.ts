/**
 * Micro-benchmark of the SQLite store's commit path: commits per second for 1-row and 100-row
 * transactions, synchronous FULL vs NORMAL, median of 5 runs on a fresh data dir each.
 * Run: npx tsc -p . && node dist/bench/storage-commit.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RelationDef } from '../server/catalog/model.js';
import { openSqliteStore } from '../server/storage/sqlite-store.js';
import { T } from '../server/types/sql-type.js';

const REL: RelationDef = {
  oid: 16384,
  schema: 'public',
  name: 'bench',
  kind: 'table',
  columns: [
    { name: 'id', type: T.int4, notNull: true, attnum: 1 },
    { name: 'name', type: T.text, notNull: false, attnum: 2 },
    { name: 'amount', type: T.float8, notNull: false, attnum: 3 },
    { name: 'at', type: T.timestamptz, notNull: false, attnum: 4 },
  ],
  primaryKey: [0],
  options: {},
};

const RUNS = 5;
/** Each run lasts about this long (bounded by a commit count too). */
const RUN_MS = 1500;

function runOnce(synchronous: 'full' | 'normal', rowsPerTx: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-bench-'));
  const store = openSqliteStore(dir, { synchronous });
  store.createRelation(REL);
  let id = 0;
  let commits = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < RUN_MS) {
    const tx = store.begin();
    for (let r = 0; r < rowsPerTx; r++, id++) {
      const row = [id, `customer ${id}`, id * 1.25, 1_700_000_000_000_000 + id];
      tx.put(REL, store.keyOf(REL, row), row);
    }
    tx.commit();
    commits++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return (commits / elapsedMs) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

console.log(`storage commit benchmark: median of ${RUNS} runs of ${RUN_MS} ms, tmpdir ${os.tmpdir()}`);
console.log('synchronous  rows/tx  commits/s   rows/s      runs (commits/s)');
for (const synchronous of ['full', 'normal'] as const) {
  for (const rowsPerTx of [1, 100]) {
    const runs = Array.from({ length: RUNS }, () => runOnce(synchronous, rowsPerTx));
    const m = median(runs);
    console.log(
      `${synchronous.padEnd(12)} ${String(rowsPerTx).padStart(7)}  ${m.toFixed(0).padStart(9)}  ${(m * rowsPerTx).toFixed(0).padStart(9)}   ${runs.map((r) => r.toFixed(0)).join(' ')}`,
    );
  }
}
