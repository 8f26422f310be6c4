/**
 * Freshet in process for the Nexmark oracle: a fresh engine on a temp data dir with the three
 * streams, event slices appended in one transaction each (INSERT ... SELECT FROM unnest of column
 * arrays), and a view's rows read back as PostgreSQL text (NULL as null).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineSession, ExecutionResult, FieldDescription, PreparedStatement } from '../../server/engine/api.js';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { NEXMARK_SCHEMAS, type NexmarkColumnType, type NexmarkEventKind } from '../../server/connectors/nexmark/schemas.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { formatText } from '../../server/types/text-io.js';
import { NEXMARK_EVENT_KINDS, type EventSlice } from './nexmark-events.js';

/** Array type OIDs of the parameters that carry each column type. */
const ARRAY_OID: Readonly<Record<NexmarkColumnType, number>> = { int8: 1016, varchar: 1015, timestamp: 1115 };

export function createStreamSql(kind: NexmarkEventKind): string {
  return `CREATE STREAM ${kind} (${NEXMARK_SCHEMAS[kind].map((c) => `${c.name} ${c.type}`).join(', ')})`;
}

function insertSql(kind: NexmarkEventKind): string {
  const params = NEXMARK_SCHEMAS[kind].map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  return `INSERT INTO ${kind} SELECT * FROM unnest(${params})`;
}

export interface TextResult {
  readonly columns: readonly string[];
  /** One entry per row: each value's text, null for NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
}

export class FreshetSide {
  private readonly inserts = new Map<NexmarkEventKind, PreparedStatement>();

  private constructor(
    private readonly dir: string,
    private readonly engine: FreshetEngine,
    private readonly session: EngineSession,
  ) {}

  static async open(): Promise<FreshetSide> {
    const dir = mkdtempSync(join(tmpdir(), 'freshet-nexmark-'));
    const engine = await FreshetEngine.open(dir);
    const session = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
    const side = new FreshetSide(dir, engine, session);
    for (const kind of NEXMARK_EVENT_KINDS) {
      await side.run(createStreamSql(kind));
      side.inserts.set(kind, await side.prepare(insertSql(kind), NEXMARK_SCHEMAS[kind].map((c) => ARRAY_OID[c.type])));
    }
    return side;
  }

  /** Appends a slice's events to the three streams in one transaction. */
  async append(slice: EventSlice): Promise<void> {
    await this.run('BEGIN');
    for (const kind of NEXMARK_EVENT_KINDS) {
      const batch = slice.kinds[kind];
      if (batch.length === 0) continue;
      await this.execute(this.inserts.get(kind)!, batch.columns);
    }
    await this.run('COMMIT');
  }

  /** Runs every statement of `sql`; returns the result of the last one as text. */
  async run(sql: string): Promise<TextResult> {
    let last: TextResult = { columns: [], rows: [] };
    for (const parsed of this.session.parse(sql)) {
      last = await this.textOf(await this.session.execute(await this.session.prepare(parsed, []), []));
    }
    return last;
  }

  async close(): Promise<void> {
    this.session.close();
    await this.engine.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async prepare(sql: string, paramTypeOids: readonly number[]): Promise<PreparedStatement> {
    const parsed = this.session.parse(sql);
    if (parsed.length !== 1) throw new Error(`expected one statement: ${sql}`);
    return this.session.prepare(parsed[0]!, paramTypeOids);
  }

  private async execute(prepared: PreparedStatement, params: readonly Datum[]): Promise<TextResult> {
    return this.textOf(await this.session.execute(prepared, params));
  }

  private async textOf(result: ExecutionResult): Promise<TextResult> {
    switch (result.kind) {
      case 'rows': {
        const { rows } = await result.rows.fetch(0);
        return { columns: result.fields.map((f) => f.name), rows: rows.map((row) => rowText(row, result.fields)) };
      }
      case 'command':
      case 'empty':
        return { columns: [], rows: [] };
      case 'copyIn':
      case 'copyOut':
        throw new Error('the Nexmark oracle does not use COPY');
      default: {
        const never: never = result;
        throw new Error(`unexpected result ${String(never)}`);
      }
    }
  }
}

function rowText(row: Row, fields: readonly FieldDescription[]): (string | null)[] {
  return row.map((v, i) => (v === null ? null : formatText(v, fields[i]!.type)));
}
