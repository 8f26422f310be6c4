/**
 * Property: random sequences of checkpoints (each operator writing a full snapshot, an incremental
 * change set on its last complete checkpoint, or nothing), aborts, crashes (close without complete,
 * reopen) and prunes. Every checkpoint still listed reads back exactly as a model folded in memory, a
 * prune always keeps the newest N complete checkpoints listed and readable, and outside prunes the
 * listed set is exactly the model's. Then one random stored blob is flipped or truncated: recovery
 * falls back to exactly the newest checkpoint none of whose chains runs through it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { OperatorStateRef, StateEntry, StateKey } from './api.js';
import { openSqliteCheckpointBackend, type SqliteCheckpointBackend } from './sqlite-backend.js';
import { CHECKPOINT_DB_FILE_NAME } from './sqlite-checkpoint-schema.js';

const OPERATORS: readonly OperatorStateRef[] = [
  { queryOid: 16384, operatorId: 'HashAggregate#1' },
  { queryOid: 16384, operatorId: 'HashJoin#2' },
  { queryOid: 16400, operatorId: 'HashAggregate#1' },
];

/** String keys, and byte keys spelling the same text: they must stay distinct keys. */
const KEYS: readonly StateKey[] = ['k0', 'k1', 'k2', 'k3', 'k4', '', new TextEncoder().encode('k0'), new TextEncoder().encode('k1'), Uint8Array.of()];

function modelKey(key: StateKey): string {
  return typeof key === 'string' ? `s:${key}` : `b:${Buffer.from(key).toString('hex')}`;
}

type OperatorStep =
  | { kind: 'skip' }
  | { kind: 'full'; entries: [number, number][] }
  | { kind: 'incremental'; upserts: [number, number][]; deletes: number[] };

interface Step {
  operators: OperatorStep[];
  outcome: 'complete' | 'abort' | 'crash' | 'complete-and-reopen';
  pruneTo: number | null;
}

const keyValues = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: KEYS.length - 1 }), fc.integer({ min: 0, max: 999 })), {
  selector: ([k]) => k,
  maxLength: 6,
});
const operatorStep: fc.Arbitrary<OperatorStep> = fc.oneof(
  { arbitrary: fc.constant<OperatorStep>({ kind: 'skip' }), weight: 1 },
  { arbitrary: keyValues.map((entries): OperatorStep => ({ kind: 'full', entries })), weight: 2 },
  {
    arbitrary: fc
      .tuple(keyValues, fc.uniqueArray(fc.integer({ min: 0, max: KEYS.length - 1 }), { maxLength: 4 }))
      .map(([upserts, deletes]): OperatorStep => ({
        kind: 'incremental',
        upserts,
        deletes: deletes.filter((d) => !upserts.some(([k]) => k === d)),
      })),
    weight: 4,
  },
);
const step: fc.Arbitrary<Step> = fc.record({
  operators: fc.tuple(operatorStep, operatorStep, operatorStep),
  outcome: fc.constantFrom<Step['outcome']>('complete', 'complete', 'complete', 'complete-and-reopen', 'abort', 'crash'),
  pruneTo: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 3 }),
});

/** One blob to damage after the sequence: which (by index), and how. */
interface Damage {
  target: number;
  how: 'flip' | 'truncate';
  at: number;
}
const damage: fc.Arbitrary<Damage> = fc.record({
  target: fc.nat(),
  how: fc.constantFrom<Damage['how']>('flip', 'truncate'),
  at: fc.nat(),
});

/** Flip a byte of, or truncate, one stored state blob, through a second SQLite connection. */
function corrupt(dir: string, checkpointId: number, ref: OperatorStateRef, how: Damage): void {
  const db = new Database(path.join(dir, CHECKPOINT_DB_FILE_NAME));
  try {
    const where = 'checkpoint_id = ? AND query_oid = ? AND operator_id = ?';
    const { state } = db.prepare(`SELECT state FROM operator_state WHERE ${where}`).get(checkpointId, ref.queryOid, ref.operatorId) as { state: Buffer };
    const at = how.at % state.length;
    let changed: Buffer;
    if (how.how === 'truncate') changed = state.subarray(0, at);
    else {
      changed = Buffer.from(state);
      changed[at] = changed[at]! ^ 0xff;
    }
    db.prepare(`UPDATE operator_state SET state = ? WHERE ${where}`).run(changed, checkpointId, ref.queryOid, ref.operatorId);
  } finally {
    db.close();
  }
}

type OperatorModel = Map<string, string>;

function show(entries: readonly StateEntry[] | undefined): OperatorModel | undefined {
  if (entries === undefined) return undefined;
  return new Map(entries.map((e) => [modelKey(e.key), Buffer.from(e.value).toString()]));
}

describe('checkpoint/sqlite-backend (property)', () => {
  it('every retained checkpoint reads back as the model folded in memory', async function () {
    this.timeout(60_000);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), damage, async (steps, dmg) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-checkpoint-prop-'));
        let backend: SqliteCheckpointBackend = openSqliteCheckpointBackend(dir, { synchronous: 'normal' });
        /** Complete checkpoint id -> operator index -> state (absent: the checkpoint holds nothing for it). */
        const model = new Map<number, Map<number, OperatorModel>>();
        /** Checkpoint id -> operator index -> the checkpoint its write folds onto (null: a full write). */
        const bases = new Map<number, Map<number, number | null>>();
        try {
          let id = 0;
          for (const s of steps) {
            id += 1 + (id % 2); // ids grow, with gaps
            await backend.begin(id, id * 100);
            const states = new Map<number, OperatorModel>();
            const stepBases = new Map<number, number | null>();
            bases.set(id, stepBases);
            for (let op = 0; op < OPERATORS.length; op++) {
              const ref = OPERATORS[op]!;
              const o = s.operators[op]!;
              // The base: the newest complete checkpoint still listed that holds this operator.
              const listed = await backend.listComplete();
              const base = [...listed].reverse().find((c) => model.get(c.id)?.has(op));
              if (o.kind === 'skip') continue;
              if (o.kind === 'full' || base === undefined) {
                const entries = o.kind === 'full' ? o.entries : o.upserts;
                backend.writeOperatorState(id, ref, {
                  kind: 'full',
                  entries: entries.map(([k, v]) => ({ key: KEYS[k]!, value: Buffer.from(String(v)) })),
                });
                states.set(op, new Map(entries.map(([k, v]) => [modelKey(KEYS[k]!), String(v)])));
                stepBases.set(op, null);
                continue;
              }
              backend.writeOperatorState(id, ref, {
                kind: 'incremental',
                baseCheckpointId: base.id,
                upserts: o.upserts.map(([k, v]) => ({ key: KEYS[k]!, value: Buffer.from(String(v)) })),
                deletes: o.deletes.map((k) => KEYS[k]!),
              });
              const next = new Map(model.get(base.id)!.get(op)!);
              for (const [k, v] of o.upserts) next.set(modelKey(KEYS[k]!), String(v));
              for (const k of o.deletes) next.delete(modelKey(KEYS[k]!));
              states.set(op, next);
              stepBases.set(op, base.id);
            }
            backend.recordSourcePositions(id, { relationOffsets: new Map([[16385, id * 7]]), builtinPositions: new Map() });
            switch (s.outcome) {
              case 'complete':
              case 'complete-and-reopen':
                await backend.complete(id);
                model.set(id, states);
                if (s.outcome === 'complete-and-reopen') {
                  await backend.close();
                  backend = openSqliteCheckpointBackend(dir, { synchronous: 'normal' });
                }
                break;
              case 'abort':
                await backend.abort(id, 'random abort');
                break;
              case 'crash':
                await backend.close();
                backend = openSqliteCheckpointBackend(dir, { synchronous: 'normal' });
                break;
              default: {
                const unknown: never = s.outcome;
                throw new Error(`unknown outcome ${String(unknown)}`);
              }
            }
            if (s.pruneTo !== null) {
              const removed = await backend.prune(s.pruneTo);
              const newest = [...model.keys()].sort((a, b) => b - a).slice(0, s.pruneTo);
              const stillListed = new Set((await backend.listComplete()).map((c) => c.id));
              for (const keep of newest) {
                assert.ok(!removed.includes(keep) && stillListed.has(keep), `prune(${s.pruneTo}) dropped retained checkpoint ${keep}`);
              }
              // Older ones are removed or retired (kept for their chain links, no longer listed).
              for (const cp of model.keys()) if (!stillListed.has(cp)) model.delete(cp);
            }

            const listed = (await backend.listComplete()).map((c) => c.id);
            assert.deepEqual(listed, [...model.keys()].sort((a, b) => a - b));
            for (const cp of listed) {
              for (let op = 0; op < OPERATORS.length; op++) {
                assert.deepEqual(show(await backend.readOperatorState(cp, OPERATORS[op]!)), model.get(cp)!.get(op), `checkpoint ${cp} operator ${op}`);
              }
              assert.equal((await backend.readSourcePositions(cp)).relationOffsets.get(16385), cp * 7);
            }
          }
          const restore = await backend.latestRestorable();
          const newestComplete = Math.max(0, ...model.keys());
          assert.equal(restore.point?.checkpoint.id ?? 0, newestComplete);
          assert.deepEqual(restore.skipped, []);

          // Damage one stored blob of a listed checkpoint; restore must fall back to the newest listed
          // checkpoint none of whose chains runs through it.
          const listed = [...model.keys()].sort((a, b) => b - a);
          const targets = listed.flatMap((cp) => [...model.get(cp)!.keys()].map((op) => [cp, op] as const));
          if (targets.length === 0) return;
          const [badCp, badOp] = targets[dmg.target % targets.length]!;
          await backend.close();
          corrupt(dir, badCp, OPERATORS[badOp]!, dmg);
          backend = openSqliteCheckpointBackend(dir, { synchronous: 'normal' });
          const chainHits = (cp: number): boolean =>
            [...model.get(cp)!.keys()].some((op) => {
              for (let at: number | null = cp; at !== null; at = bases.get(at)!.get(op)!) if (at === badCp && op === badOp) return true;
              return false;
            });
          const expected = listed.find((cp) => !chainHits(cp));
          const fallback = await backend.latestRestorable();
          assert.equal(fallback.point?.checkpoint.id, expected, `damaged operator ${badOp} of checkpoint ${badCp}`);
          assert.deepEqual(fallback.skipped.map((x) => x.id), listed.filter((cp) => expected === undefined || cp > expected));
          if (expected !== undefined) {
            for (let op = 0; op < OPERATORS.length; op++) {
              assert.deepEqual(show(await backend.readOperatorState(expected, OPERATORS[op]!)), model.get(expected)!.get(op));
            }
          }
          const report = await backend.report();
          for (const skippedCp of fallback.skipped) {
            assert.equal(report.find((r) => r.id === skippedCp.id)?.status, 'damaged');
          }
        } finally {
          await backend.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
