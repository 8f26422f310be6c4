/** Runs SQL on an in-process engine session, without the wire: statement results as rows and tags. */
import assert from 'node:assert/strict';
import type { EngineSession, ExecutionResult } from '../../server/engine/api.js';
import type { Row } from '../../server/types/datum.js';
import { SqlError } from '../../server/errors.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine, type EngineOptions } from '../../server/engine/freshet-engine.js';

export async function run(session: EngineSession, sql: string): Promise<{ tag: string; rows: Row[] }[]> {
  const out: { tag: string; rows: Row[] }[] = [];
  for (const parsed of session.parse(sql)) {
    const prepared = await session.prepare(parsed, []);
    const result: ExecutionResult = await session.execute(prepared, []);
    switch (result.kind) {
      case 'rows': {
        const { rows } = await result.rows.fetch(0);
        out.push({ tag: result.tag(rows.length), rows });
        break;
      }
      case 'command':
        out.push({ tag: result.tag, rows: [] });
        break;
      case 'copyIn':
      case 'copyOut':
        throw new Error('unexpected COPY');
      case 'empty':
        out.push({ tag: '', rows: [] });
        break;
      default: {
        const never: never = result;
        throw new Error(String(never));
      }
    }
  }
  return out;
}

export async function rows(session: EngineSession, sql: string): Promise<Row[]> {
  const results = await run(session, sql);
  return results[results.length - 1]!.rows;
}

export async function failsWith(session: EngineSession, sql: string, code: string): Promise<void> {
  await assert.rejects(run(session, sql), (e: unknown) => e instanceof SqlError && e.code === code);
}


/**
 * Runs `f` on a session of a fresh engine over a temporary data dir, removed afterwards.
 * `options` as FreshetEngine.open takes them (e.g. sourcesAutostart).
 */
export async function withEngine(
  f: (s: EngineSession, engine: FreshetEngine) => Promise<void>,
  options: EngineOptions = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'freshet-engine-test-'));
  const engine = await FreshetEngine.open(dir, options);
  try {
    await f(engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} }), engine);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows as sorted JSON lines (bigints as strings), to compare results as multisets. */
export function sortedRows(r: readonly Row[]): string[] {
  return r.map((x) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();
}
