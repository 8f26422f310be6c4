/**
 * PostgreSQL for the Nexmark oracle: tables person / auction / bid with the streams' columns, the
 * events loaded from column arrays (timestamps sent as microseconds since the epoch, so nothing is
 * rounded), each set of events in a schema of its own, and query results as the server's own text (NULL as null).
 */
import type pg from 'pg';
import { NEXMARK_SCHEMAS, type NexmarkColumnType, type NexmarkEventKind } from '../../server/connectors/nexmark/schemas.js';
import type { Datum } from '../../server/types/datum.js';
import { rawTextClient } from '../support/slt.js';
import { NEXMARK_EVENT_KINDS } from './nexmark-events.js';
import type { TextResult } from './freshet-side.js';

/** The parameter array type each column is sent as (timestamps travel as int8 microseconds). */
const PARAM_TYPE: Readonly<Record<NexmarkColumnType, string>> = { int8: 'int8[]', varchar: 'varchar[]', timestamp: 'int8[]' };

function createTableSql(kind: NexmarkEventKind): string {
  return `CREATE TABLE ${kind} (${NEXMARK_SCHEMAS[kind].map((c) => `${c.name} ${c.type}`).join(', ')})`;
}

function insertSql(kind: NexmarkEventKind): string {
  const cols = NEXMARK_SCHEMAS[kind];
  const params = cols.map((c, i) => `$${i + 1}::${PARAM_TYPE[c.type]}`).join(', ');
  const values = cols.map((c, i) => (c.type === 'timestamp' ? `TIMESTAMP '1970-01-01' + c${i} * INTERVAL '1 microsecond'` : `c${i}`));
  return `INSERT INTO ${kind} SELECT ${values.join(', ')} FROM unnest(${params}) AS u(${cols.map((_, i) => `c${i}`).join(', ')})`;
}

function paramOf(column: readonly Datum[]): (string | null)[] {
  return column.map((v) => (v === null ? null : String(v)));
}

export class PostgresSide {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresSide> {
    const client = rawTextClient(url);
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    return new PostgresSide(client);
  }

  /**
   * Creates schema `schema` with the three tables and loads the events (`columns[kind]` as the
   * generator lays them out).
   */
  async load(schema: string, columns: Readonly<Record<NexmarkEventKind, Datum[][]>>): Promise<void> {
    await this.client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await this.client.query(`SET search_path TO ${schema}`);
    for (const kind of NEXMARK_EVENT_KINDS) {
      await this.client.query(createTableSql(kind));
      await this.client.query(insertSql(kind), columns[kind].map(paramOf));
    }
    await this.client.query('ANALYZE');
  }

  /** Runs `sql` over the tables of `schema`. */
  async query(schema: string, sql: string): Promise<TextResult> {
    await this.client.query(`SET search_path TO ${schema}`);
    const result = await this.client.query({ text: sql, rowMode: 'array' } as pg.QueryArrayConfig);
    return {
      columns: result.fields.map((f) => f.name),
      rows: (result.rows as unknown[][]).map((row) => row.map((v) => (v === null || v === undefined ? null : String(v)))),
    };
  }

  /** Type OIDs of a query's result columns (for normalizing numerics). */
  async columnTypes(schema: string, sql: string): Promise<number[]> {
    await this.client.query(`SET search_path TO ${schema}`);
    const result = await this.client.query({ text: `SELECT * FROM (${sql}) AS q LIMIT 0`, rowMode: 'array' } as pg.QueryArrayConfig);
    return result.fields.map((f) => f.dataTypeID);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
