/**
 * The two sides of the view oracle: a connection that runs one statement and says what happened in
 * PostgreSQL's exact text (rows as sorted JSON arrays of text, or the SQLSTATE), and that can drop
 * everything a case created. PostgreSQL sides reset by recreating the schema; the Freshet side drops
 * what it created and restarts its server when that fails or the connection is lost.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';
import { rawTextClient } from '../support/slt.js';
import { DerivedViews, type DerivedChecks } from './oracle-derived.js';
import type { ViewStyle } from './oracle-render.js';

export type Outcome =
  | { readonly kind: 'ok'; readonly columns: readonly string[]; readonly rows: readonly string[]; readonly rowCount: number | null }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  /** Not an ErrorResponse: the connection broke or the statement timed out. */
  | { readonly kind: 'clientError'; readonly message: string };

export type CreatedKind = 'table' | 'view' | 'stream';

export interface OracleEngine {
  /** 'PostgreSQL', 'Freshet', ... for reports. */
  readonly label: string;
  /** Whether views are created as Freshet's materialized views or as plain views. */
  readonly viewStyle: ViewStyle;
  run(sql: string): Promise<Outcome>;
  /** Remembers a relation the case created, for reset(). */
  created(kind: CreatedKind, name: string): void;
  /** Drops everything cases created, so the next case starts from an empty database. */
  reset(): Promise<void>;
  /** Kill -9 and start again on the same data (a no-op for PostgreSQL). */
  restart(): Promise<void>;
  /** Each view's stream and subscription, checked too (Freshet only). */
  readonly derived?: DerivedChecks;
  close(): Promise<void>;
}

/** Statements that take longer than this count as a client error (a hang is a bug to report, not to wait out). */
const STATEMENT_TIMEOUT_MS = 20_000;

/** One row as JSON of its text values (null for NULL): sortable and comparable. */
function rowKey(row: readonly unknown[]): string {
  return JSON.stringify(row.map((v) => (v === null || v === undefined ? null : String(v))));
}

function sqlState(err: unknown): string | null {
  const code: unknown = err instanceof Error ? (err as unknown as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** A raw-text connection; `broken` once it saw something other than an ErrorResponse. */
export class TextConnection {
  broken = false;
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<TextConnection> {
    const client = rawTextClient({ connectionString: url, query_timeout: STATEMENT_TIMEOUT_MS });
    const conn = new TextConnection(client);
    client.on('error', () => { conn.broken = true; });
    await client.connect();
    return conn;
  }

  /** Rows come back sorted unless `inOrder` (then as the server sent them). */
  async run(sql: string, inOrder = false): Promise<Outcome> {
    if (this.broken) return { kind: 'clientError', message: 'connection already lost' };
    try {
      const result = await this.client.query({ text: sql, rowMode: 'array' } as pg.QueryArrayConfig);
      return {
        kind: 'ok',
        columns: result.fields.map((f) => f.name),
        rows: inOrder ? result.rows.map(rowKey) : result.rows.map(rowKey).sort(),
        rowCount: result.rowCount,
      };
    } catch (err) {
      const code = sqlState(err);
      if (code !== null) return { kind: 'error', code, message: (err as Error).message };
      this.broken = true;
      return { kind: 'clientError', message: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

function dropStatement(kind: CreatedKind, name: string): string {
  switch (kind) {
    case 'table': return `DROP TABLE IF EXISTS ${name}`;
    case 'view': return `DROP MATERIALIZED VIEW IF EXISTS ${name}`;
    case 'stream': return `DROP STREAM IF EXISTS ${name}`;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown relation kind ${String(unreachable)}`);
    }
  }
}

/** A PostgreSQL database (the oracle; in self-check mode also the side under test). */
export class PostgresEngine implements OracleEngine {
  readonly viewStyle: ViewStyle = 'plain';
  private constructor(readonly label: string, private readonly url: string, private conn: TextConnection) {}

  static async open(label: string, url: string): Promise<PostgresEngine> {
    return new PostgresEngine(label, url, await TextConnection.open(url));
  }

  run(sql: string): Promise<Outcome> {
    return this.conn.run(sql);
  }

  created(): void {
    // reset() drops the whole schema.
  }

  async restart(): Promise<void> {
    // The oracle's data does not change; only the side under test is crashed.
  }

  async reset(): Promise<void> {
    if (this.conn.broken) {
      await this.conn.close();
      this.conn = await TextConnection.open(this.url);
    }
    for (const sql of ['DROP SCHEMA public CASCADE', 'CREATE SCHEMA public']) {
      const outcome = await this.conn.run(sql);
      if (outcome.kind !== 'ok') throw new Error(`${this.label}: ${sql} failed: ${JSON.stringify(outcome)}`);
    }
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/** A Freshet server of its own (one per test run), with materialized views. */
export class FreshetEngine implements OracleEngine {
  readonly label = 'Freshet';
  readonly viewStyle: ViewStyle = 'materialized';
  private createdRelations: { kind: CreatedKind; name: string }[] = [];
  /** Why the server was restarted, for the report: a failed DROP is a finding too. */
  readonly restarts: string[] = [];

  /** Data dirs of servers started again by restart(): startFreshet() leaves those to the caller. */
  private readonly reusedDataDirs = new Set<string>();
  /** Every server started and not yet stopped, so close() leaves none behind whatever failed. */
  private readonly running = new Set<FreshetServer>();

  readonly derived: DerivedViews;

  private constructor(private server: FreshetServer, private conn: TextConnection) {
    this.running.add(server);
    this.derived = new DerivedViews(
      (sql, inOrder) => this.conn.run(sql, inOrder),
      () => TextConnection.open(this.server.url),
      (name) => this.created('stream', name),
    );
  }

  private async startServer(dataDir?: string): Promise<FreshetServer> {
    const server = await startFreshet(dataDir === undefined ? {} : { dataDir });
    this.running.add(server);
    return server;
  }

  private async stopServer(server: FreshetServer): Promise<void> {
    this.running.delete(server);
    await server.stop();
  }

  static async start(): Promise<FreshetEngine> {
    const server = await startFreshet();
    try {
      return new FreshetEngine(server, await TextConnection.open(server.url));
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  run(sql: string): Promise<Outcome> {
    return this.conn.run(sql);
  }

  created(kind: CreatedKind, name: string): void {
    this.createdRelations.push({ kind, name });
  }

  async reset(): Promise<void> {
    // End the subscriptions first: the views and streams they read are dropped next.
    await this.derived.reset();
    const toDrop = this.createdRelations.reverse();
    this.createdRelations = [];
    let problem: string | null = this.conn.broken ? 'the connection was lost' : null;
    for (const rel of toDrop) {
      if (problem !== null) break;
      const sql = dropStatement(rel.kind, rel.name);
      const outcome = await this.conn.run(sql);
      if (outcome.kind !== 'ok') problem = `${sql}: ${outcome.kind === 'error' ? `${outcome.code} ${outcome.message}` : outcome.message}`;
    }
    if (problem === null) return;
    this.restarts.push(problem);
    await this.conn.close();
    await this.stopServer(this.server);
    this.server = await this.startServer();
    this.conn = await TextConnection.open(this.server.url);
  }

  async restart(): Promise<void> {
    await this.conn.close();
    await this.server.kill9();
    this.running.delete(this.server);
    this.reusedDataDirs.add(this.server.dataDir);
    this.server = await this.startServer(this.server.dataDir);
    this.conn = await TextConnection.open(this.server.url);
    await this.derived.restarted();
  }

  /** What the server printed, for a report when it crashed. */
  output(): string {
    return this.server.output();
  }

  async close(): Promise<void> {
    await this.derived.reset();
    await this.conn.close();
    await Promise.all([...this.running].map((server) => this.stopServer(server)));
    for (const dir of this.reusedDataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
