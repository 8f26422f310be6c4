/**
 * The PostgreSQL baseline: a throw-away PostgreSQL server (test/support/postgres-server.ts) loaded
 * with the workload's final data, the same view as a PostgreSQL materialized view, and REFRESH
 * MATERIALIZED VIEW timed (PostgreSQL recomputes the whole query on every refresh).
 */
import pg from 'pg';
import { postgresAvailable, startPostgres } from '../../test/support/postgres-server.js';
import { checkTotals } from './check.js';
import { median, nowMs } from './measure.js';
import { CREATE_TABLES, regionTotalsQuery, viewQuery, type ViewShape } from './view-query.js';
import { regionTotals, type Workload } from './workload.js';

const LOAD_CHUNK = 50_000;

export interface PostgresRun {
  readonly refreshMs: number;
  readonly refreshRunsMs: readonly number[];
  readonly version: string;
}

export async function runPostgres(w: Workload, shape: ViewShape, runs: number): Promise<PostgresRun | { skipped: string }> {
  if (!postgresAvailable()) return { skipped: 'PostgreSQL binaries not found (set PG_BIN)' };
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const version = String((await client.query('SHOW server_version')).rows[0].server_version);
    for (const sql of CREATE_TABLES) await client.query(sql);
    const ids = Array.from({ length: w.spec.customers }, (_, i) => i);
    await client.query('INSERT INTO customers SELECT * FROM unnest($1::int[], $2::int[])', [ids, Array.from(w.customerRegion)]);
    const o = w.finalOrders;
    for (let k = 0; k < o.id.length; k += LOAD_CHUNK) {
      const end = Math.min(k + LOAD_CHUNK, o.id.length);
      await client.query('INSERT INTO orders SELECT * FROM unnest($1::int[], $2::int[], $3::int[])', [
        Array.from(o.id.subarray(k, end)), Array.from(o.customer.subarray(k, end)), Array.from(o.amount.subarray(k, end)),
      ]);
    }
    await client.query('VACUUM ANALYZE customers');
    await client.query('VACUUM ANALYZE orders');
    await client.query(`CREATE MATERIALIZED VIEW v AS ${viewQuery(shape)}`);
    const refreshRunsMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = nowMs();
      await client.query('REFRESH MATERIALIZED VIEW v');
      refreshRunsMs.push(nowMs() - t);
    }
    const rows = (await client.query({ text: regionTotalsQuery(shape, 'v'), rowMode: 'array' })).rows as unknown[][];
    checkTotals('postgres', rows, regionTotals(w, o));
    return { refreshMs: median(refreshRunsMs), refreshRunsMs, version };
  } finally {
    await client.end();
    await server.stop();
  }
}
