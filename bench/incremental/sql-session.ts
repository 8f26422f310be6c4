/**
 * A thin driver over an in-process Freshet engine session (no wire): run SQL text, or prepare a
 * statement once and execute it many times with parameters, the way a client using the extended
 * protocol would. Rows come back as Freshet Datums.
 */
import type { EngineSession, ExecutionResult, PreparedStatement } from '../../server/engine/api.js';
import type { FreshetEngine } from '../../server/engine/freshet-engine.js';
import type { Datum, Row } from '../../server/types/datum.js';

export class SqlSession {
  private readonly session: EngineSession;

  constructor(engine: FreshetEngine) {
    this.session = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
  }

  /** Runs every statement in `sql`; returns the rows of the last one. */
  async run(sql: string): Promise<Row[]> {
    let last: Row[] = [];
    for (const parsed of this.session.parse(sql)) {
      const prepared = await this.session.prepare(parsed, []);
      last = await this.rowsOf(await this.session.execute(prepared, []));
    }
    return last;
  }

  /** Parses and binds one statement; `paramTypeOids` as in the extended protocol's Parse. */
  async prepare(sql: string, paramTypeOids: readonly number[] = []): Promise<PreparedStatement> {
    const parsed = this.session.parse(sql);
    if (parsed.length !== 1) throw new Error(`expected one statement, got ${parsed.length}: ${sql}`);
    return this.session.prepare(parsed[0]!, paramTypeOids);
  }

  async execute(prepared: PreparedStatement, params: readonly Datum[] = []): Promise<Row[]> {
    return this.rowsOf(await this.session.execute(prepared, params));
  }

  close(): void {
    this.session.close();
  }

  private async rowsOf(result: ExecutionResult): Promise<Row[]> {
    switch (result.kind) {
      case 'rows': {
        const { rows } = await result.rows.fetch(0);
        return rows;
      }
      case 'command':
      case 'empty':
        return [];
      case 'copyIn':
      case 'copyOut':
        throw new Error('COPY is not used by the benchmark');
      default: {
        const never: never = result;
        throw new Error(`unexpected result ${String(never)}`);
      }
    }
  }
}
