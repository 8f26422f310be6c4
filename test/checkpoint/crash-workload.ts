/**
 * The workload of the checkpoint crash test: tables and a watermarked stream feeding views of every
 * stateful kind (aggregates, inner and outer joins, TopN, windows, DISTINCT, a view over a view, a
 * derived changelog stream), a seeded random writer that keeps a model of every acknowledged write,
 * and the checks: the tables hold the acknowledged writes (plus at most the write in flight at the
 * kill), and every view equals PostgreSQL's answer over the same rows.
 */
import pg from 'pg';

export const SCHEMA = [
  'CREATE TABLE a (id int PRIMARY KEY, g int, v int)',
  'CREATE TABLE b (id int PRIMARY KEY, g int, w int)',
  "CREATE STREAM ev (ts timestamp, k int, x int, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)",
];

/** View name -> [Freshet definition, PostgreSQL query over tables a, b, ev with the same result]. */
export const VIEWS: Record<string, readonly [string, string]> = {
  agg: [
    'SELECT g, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, count(DISTINCT v) AS dv FROM a GROUP BY g',
    'SELECT g, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, count(DISTINCT v) AS dv FROM a GROUP BY g',
  ],
  total: ['SELECT count(*) AS n, sum(w) AS s FROM b', 'SELECT count(*) AS n, sum(w) AS s FROM b'],
  joined: [
    'SELECT a.id AS aid, b.id AS bid, a.v + b.w AS vw FROM a JOIN b ON a.g = b.g',
    'SELECT a.id AS aid, b.id AS bid, a.v + b.w AS vw FROM a JOIN b ON a.g = b.g',
  ],
  padded: [
    'SELECT a.id AS aid, b.id AS bid, b.w FROM a FULL JOIN b ON a.id = b.id',
    'SELECT a.id AS aid, b.id AS bid, b.w FROM a FULL JOIN b ON a.id = b.id',
  ],
  top3: ['SELECT id, v FROM a ORDER BY v DESC, id LIMIT 3', 'SELECT id, v FROM a ORDER BY v DESC, id LIMIT 3'],
  firsts: [
    'SELECT DISTINCT ON (g) g, id, w FROM b ORDER BY g, w, id',
    'SELECT DISTINCT ON (g) g, id, w FROM b ORDER BY g, w, id',
  ],
  groups: ['SELECT DISTINCT g FROM b', 'SELECT DISTINCT g FROM b'],
  ranked: [
    'SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY v, id) AS r FROM a',
    'SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY v, id) AS r FROM a',
  ],
  windows: [
    "SELECT window_start, k, count(*) AS n, sum(x) AS s FROM TUMBLE(ev, ts, INTERVAL '10' SECOND) GROUP BY window_start, k",
    "SELECT date_bin('10 seconds', ts, TIMESTAMP '1970-01-01') AS window_start, k, count(*) AS n, sum(x) AS s FROM ev GROUP BY 1, k",
  ],
  in_b: [
    'SELECT a.g, count(*) AS n FROM a WHERE a.id IN (SELECT id FROM b) GROUP BY a.g',
    'SELECT a.g, count(*) AS n FROM a WHERE a.id IN (SELECT id FROM b) GROUP BY a.g',
  ],
  agg_of_agg: ['SELECT n, count(*) AS groups FROM agg GROUP BY n', 'SELECT n, count(*) AS groups FROM (SELECT g, count(*) AS n FROM a GROUP BY g) s GROUP BY n'],
};

/** A derived changelog stream: its consolidated rows must equal this query, once each (exactly once). */
export const DERIVED = {
  ddl: 'CREATE STREAM big AS SELECT id, v FROM a WHERE v > 50',
  postgres: 'SELECT id, v FROM a WHERE v > 50',
};

/** A derived append-only stream over the event stream: every event row exactly once. */
export const DERIVED_EVENTS = {
  ddl: 'CREATE STREAM ev_copy AS SELECT k, x FROM ev WHERE x >= 0',
  postgres: 'SELECT k, x FROM ev WHERE x >= 0',
};

export type Write =
  | { readonly kind: 'upsertA'; readonly id: number; readonly g: number; readonly v: number }
  | { readonly kind: 'upsertB'; readonly id: number; readonly g: number; readonly w: number }
  | { readonly kind: 'deleteA'; readonly id: number }
  | { readonly kind: 'deleteB'; readonly id: number }
  | { readonly kind: 'event'; readonly ts: number; readonly k: number; readonly x: number };

/** Acknowledged state: what the tables and the stream must hold. */
export interface Model {
  readonly a: Map<number, [number, number]>;
  readonly b: Map<number, [number, number]>;
  readonly ev: [number, number, number][];
}

export function newModel(): Model {
  return { a: new Map(), b: new Map(), ev: [] };
}

export function applyWrite(m: Model, w: Write): void {
  switch (w.kind) {
    case 'upsertA': m.a.set(w.id, [w.g, w.v]); return;
    case 'upsertB': m.b.set(w.id, [w.g, w.w]); return;
    case 'deleteA': m.a.delete(w.id); return;
    case 'deleteB': m.b.delete(w.id); return;
    case 'event': m.ev.push([w.ts, w.k, w.x]); return;
    default: {
      const never: never = w;
      throw new Error(`unknown write ${String(never)}`);
    }
  }
}

export function writeSql(w: Write): string {
  switch (w.kind) {
    case 'upsertA': return `INSERT INTO a VALUES (${w.id}, ${w.g}, ${w.v}) ON CONFLICT (id) DO UPDATE SET g = excluded.g, v = excluded.v`;
    case 'upsertB': return `INSERT INTO b VALUES (${w.id}, ${w.g}, ${w.w}) ON CONFLICT (id) DO UPDATE SET g = excluded.g, w = excluded.w`;
    case 'deleteA': return `DELETE FROM a WHERE id = ${w.id}`;
    case 'deleteB': return `DELETE FROM b WHERE id = ${w.id}`;
    case 'event': return `INSERT INTO ev VALUES (${timestampLiteral(w.ts)}, ${w.k}, ${w.x})`;
    default: {
      const never: never = w;
      throw new Error(`unknown write ${String(never)}`);
    }
  }
}

function timestampLiteral(seconds: number): string {
  return `TIMESTAMP '${new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** A seeded generator of writes; event times only grow, so no event is ever late. */
export class WriteGenerator {
  private state: number;
  private time = 0;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  private rand(n: number): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state % n;
  }

  next(): Write {
    const r = this.rand(100);
    const id = this.rand(30);
    if (r < 30) return { kind: 'upsertA', id, g: this.rand(5), v: this.rand(100) };
    if (r < 50) return { kind: 'upsertB', id, g: this.rand(5), w: this.rand(100) - 20 };
    if (r < 60) return { kind: 'deleteA', id };
    if (r < 68) return { kind: 'deleteB', id };
    this.time += this.rand(3);
    return { kind: 'event', ts: this.time, k: this.rand(4), x: this.rand(50) - 5 };
  }
}

/** Rows as sorted JSON lines, numbers and bigints and numeric text compared as the same text. */
export function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(Object.values(r).map((v) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v)))),
    )
    .sort();
}

/** The consolidated content of a derived changelog stream (rows with op): +I/+U add, -U/-D remove. */
export function consolidate(rows: readonly Record<string, unknown>[], valueColumns: readonly string[]): Record<string, unknown>[] | string {
  const counts = new Map<string, { row: Record<string, unknown>; n: number }>();
  for (const r of rows) {
    const op = r['op'];
    const sign = op === '+I' || op === '+U' || op === undefined ? 1 : -1;
    const row: Record<string, unknown> = {};
    for (const c of valueColumns) row[c] = r[c];
    const key = JSON.stringify(Object.values(row).map(String));
    const e = counts.get(key) ?? { row, n: 0 };
    e.n += sign;
    counts.set(key, e);
  }
  const out: Record<string, unknown>[] = [];
  for (const [key, { row, n }] of counts) {
    if (n < 0) return `row ${key} retracted more often than emitted (${n})`;
    for (let i = 0; i < n; i++) out.push(row);
  }
  return out;
}

/** Loads the given rows into PostgreSQL tables a, b, ev (recreated). */
export async function loadPostgres(client: pg.Client, tables: { a: unknown[][]; b: unknown[][]; ev: unknown[][] }): Promise<void> {
  await client.query('DROP TABLE IF EXISTS a, b, ev');
  await client.query('CREATE TABLE a (id int PRIMARY KEY, g int, v int)');
  await client.query('CREATE TABLE b (id int PRIMARY KEY, g int, w int)');
  await client.query('CREATE TABLE ev (ts timestamp, k int, x int)');
  for (const [name, rows] of Object.entries(tables)) {
    for (const row of rows) {
      await client.query(`INSERT INTO ${name} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
    }
  }
}
