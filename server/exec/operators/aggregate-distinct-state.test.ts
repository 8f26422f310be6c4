/**
 * Checkpoints of HashAggregate and Distinct: random epochs of valid changelogs (with watermarks on a
 * window column), a full snapshot after the first epoch and incremental ones after each later one.
 * An operator restored at any cut from the folded snapshots must give exactly the outputs the
 * original gave for the remaining epochs, hold as many rows, and keep snapshotting incrementally.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import { Messages } from '../../dynamic-table/message.js';
import type { BoundExpr } from '../../plan/bound/expr.js';
import type { ExecContext } from '../../plan/context.js';
import type { AggregateCall } from '../../plan/logical/aggregate-call.js';
import { AggregateNode } from '../../plan/logical/aggregate.js';
import type { PlanColumn } from '../../plan/logical/plan.js';
import { ValuesNode } from '../../plan/logical/values.js';
import type { Datum, Row } from '../../types/datum.js';
import { parseNumeric } from '../../types/numeric.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { ExprEnv } from '../expr/env.js';
import { DistinctOperator } from './distinct.js';
import { HashAggregateOperator } from './hash-aggregate.js';
import type { Downstream } from './operator.js';
import { foldStateDeltas, stateKeyId, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';
import { MessageRecorder } from './message-recorder.js';

const env: ExprEnv = { params: [], outer: [], ctx: { fn: {} } as unknown as ExecContext, subplans: { run: () => [] } };

// ------------------------------------------------------------------ epochs

/** One step of an epoch: a row in, a retraction or update of a present row, a watermark, a chunk boundary. */
type Step =
  | { readonly kind: 'insert'; readonly row: Row }
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'update'; readonly pick: number; readonly row: Row }
  | { readonly kind: 'watermark'; readonly advance: number }
  | { readonly kind: 'cut' };

/** What an epoch feeds, before it becomes fresh Messages for each operator. */
type Feed = { readonly kind: 'chunk'; readonly ops: Op[]; readonly rows: Row[] } | { readonly kind: 'watermark'; readonly time: number } | { readonly kind: 'barrier'; readonly id: number };

/** Turns steps into feeds whose changelog only retracts rows still present; watermarks rise by 10 * advance. */
function compileEpochs(epochs: readonly (readonly Step[])[], watermarkColumn: number | undefined): Feed[][] {
  const present: Row[] = [];
  let time = 0;
  return epochs.map((steps, e) => {
    const feeds: Feed[] = [];
    let ops: Op[] = [];
    let rows: Row[] = [];
    const flush = (): void => {
      if (rows.length > 0) feeds.push({ kind: 'chunk', ops, rows });
      ops = [];
      rows = [];
    };
    for (const s of steps) {
      switch (s.kind) {
        case 'insert':
          present.push(s.row);
          ops.push(Op.Insert);
          rows.push(s.row);
          break;
        case 'delete':
          if (present.length === 0) break;
          ops.push(Op.Delete);
          rows.push(present.splice(s.pick % present.length, 1)[0]!);
          break;
        case 'update':
          if (present.length === 0) break;
          ops.push(Op.UpdateBefore, Op.UpdateAfter);
          rows.push(present.splice(s.pick % present.length, 1)[0]!, s.row);
          present.push(s.row);
          break;
        case 'watermark':
          if (watermarkColumn === undefined) break;
          flush();
          time += 10 * s.advance;
          feeds.push({ kind: 'watermark', time });
          break;
        case 'cut':
          flush();
          break;
        default: {
          const never: never = s;
          return never;
        }
      }
    }
    flush();
    feeds.push({ kind: 'barrier', id: e + 1 });
    return feeds;
  });
}

type TestOperator = Downstream & StatefulOperator;

function feed(op: Downstream, feeds: readonly Feed[], width: number, watermarkColumn: number): void {
  for (const f of feeds) {
    if (f.kind === 'chunk') {
      const columns = Array.from({ length: width }, (_, c) => f.rows.map((r) => r[c]!));
      op.push(Messages.chunk(new ChangelogChunk(new Uint8Array(f.ops), columns, f.rows.length)));
    } else if (f.kind === 'watermark') op.push(Messages.watermark(watermarkColumn, f.time));
    else op.push(Messages.barrier(f.id));
  }
}

/** Entries as key id -> value hex, to compare snapshots as sets. */
function entryMap(entries: readonly StateEntry[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) {
    const id = stateKeyId(e.key);
    assert.ok(!m.has(id), `key ${id} written twice`);
    m.set(id, Buffer.from(e.value).toString('hex'));
  }
  return m;
}

function checkDelta(d: StateDelta, full: boolean): void {
  const ups = entryMap(d.upserts);
  if (full) assert.equal(d.deletes.length, 0);
  for (const k of d.deletes) assert.ok(!ups.has(stateKeyId(k)), 'a key both written and deleted');
  assert.ok(ups.has(''), 'META written');
}

/** The order a backend might hand entries back in (by key), not the order they were written. */
const byKey = (entries: StateEntry[]): StateEntry[] => [...entries].sort((a, b) => (stateKeyId(a.key) < stateKeyId(b.key) ? -1 : 1));

/**
 * Feeds `epochs` to an operator, snapshotting after each; then for every cut restores a fresh one
 * from the folded snapshots and checks it against the original on the remaining epochs.
 */
function checkRestores(make: (out: Downstream) => TestOperator, epochs: Feed[][], width: number, watermarkColumn = 0): void {
  const out = new MessageRecorder();
  const original = make(out);
  const outputs: string[][] = [];
  const rows: number[] = [];
  const deltas: StateDelta[] = [];
  epochs.forEach((e, i) => {
    feed(original, e, width, watermarkColumn);
    outputs.push(out.take());
    rows.push(original.stateRows());
    const d = original.snapshotState(i === 0);
    checkDelta(d, i === 0);
    deltas.push(d);
  });
  const finalFull = original.snapshotState(true);
  checkDelta(finalFull, true);
  const want = entryMap(finalFull.upserts);
  assert.deepEqual(entryMap(foldStateDeltas(deltas)), want, 'fold of the deltas = a full snapshot');
  for (let j = 0; j < epochs.length; j++) {
    const rOut = new MessageRecorder();
    const restored = make(rOut);
    restored.restoreState(byKey(foldStateDeltas(deltas.slice(0, j + 1))));
    assert.equal(restored.stateRows(), rows[j], `rows held after restoring at ${j}`);
    const chain = deltas.slice(0, j + 1);
    for (let e = j + 1; e < epochs.length; e++) {
      feed(restored, epochs[e]!, width, watermarkColumn);
      assert.deepEqual(rOut.take(), outputs[e], `epoch ${e} after restoring at ${j}`);
      assert.equal(restored.stateRows(), rows[e]);
      const d = restored.snapshotState(false);
      checkDelta(d, false);
      chain.push(d);
    }
    assert.deepEqual(entryMap(foldStateDeltas(chain)), want, `snapshots after restoring at ${j} fold to the original's state`);
  }
}

// ------------------------------------------------------------------ plans

const col = (index: number, type: SqlType): BoundExpr => ({ kind: 'column', index, type, label: `c${index}` });
const K = col(0, T.int4); // a small key
const TS = col(1, T.int4); // event time, the window column watermarks name
const V = col(2, T.int4); // a value, sometimes NULL
const S = col(3, T.text); // a text value, sometimes NULL
const inputSchema: PlanColumn[] = ['k', 't', 'v', 's'].map((name, i) => ({ name, type: [T.int4, T.int4, T.int4, T.text][i]!, tableOid: 0, attnum: 0 }));
const input = new ValuesNode(inputSchema, []);
const comma: BoundExpr = { kind: 'const', value: ',', type: T.text };
const positive: BoundExpr = { kind: 'call', label: '>', fn: (x) => (x[0] as number) > 0, args: [V], type: T.bool, strict: true, volatile: false };

function agg(name: string, args: BoundExpr[], opts: Partial<Pick<AggregateCall, 'distinct' | 'star' | 'filter' | 'orderBy'>> = {}): AggregateCall {
  return { name, args, argTypes: args.map((a) => a.type), distinct: false, orderBy: [], star: false, type: T.unknown, ...opts };
}

function aggregatePlan(groupExprs: BoundExpr[], aggregates: AggregateCall[], groupingSets?: number[][]): AggregateNode {
  const schema: PlanColumn[] = [...groupExprs, ...aggregates].map((_, i) => ({ name: `o${i}`, type: T.unknown, tableOid: 0, attnum: 0 }));
  return new AggregateNode(input, groupExprs, aggregates, groupingSets, schema);
}

const manyAggregates = [
  agg('count', [], { star: true }),
  agg('sum', [V]),
  agg('min', [V]),
  agg('max', [S]),
  agg('avg', [V]),
  agg('string_agg', [S, comma], { orderBy: [{ expr: V, desc: true, nullsFirst: true }] }),
  agg('array_agg', [V]),
  agg('count', [V], { distinct: true }),
  agg('sum', [V], { filter: positive }),
  agg('bool_or', [positive]),
];

const planCases: { title: string; plan: AggregateNode; eowc?: boolean; watermarks?: boolean }[] = [
  { title: 'GROUP BY an int key, many aggregates', plan: aggregatePlan([K], manyAggregates) },
  { title: 'GROUP BY a text key (string group keys)', plan: aggregatePlan([S], [agg('count', [], { star: true }), agg('max', [V])]) },
  { title: 'GROUP BY two keys', plan: aggregatePlan([K, S], [agg('sum', [V]), agg('string_agg', [S, comma])]) },
  { title: 'ungrouped (the whole-table group)', plan: aggregatePlan([], [agg('count', [], { star: true }), agg('sum', [V]), agg('max', [V])]) },
  { title: 'GROUPING SETS ((k), (s), ())', plan: aggregatePlan([K, S], [agg('count', [], { star: true }), agg('min', [V])], [[0], [1], []]) },
  { title: 'GROUP BY window column: closed groups purged', plan: aggregatePlan([TS, K], [agg('count', [], { star: true }), agg('sum', [V])]), watermarks: true },
  { title: 'GROUP BY window column: EMIT ON WINDOW CLOSE', plan: aggregatePlan([TS, K], [agg('count', [], { star: true }), agg('sum', [V]), agg('min', [S])]), eowc: true, watermarks: true },
];

// ------------------------------------------------------------------ arbitraries

const aggregateRow = fc.tuple(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 20 }).map((x) => x * 10),
  fc.option(fc.integer({ min: -3, max: 3 }), { nil: null, freq: 5 }),
  fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null, freq: 5 }),
).map((r): Row => r);

function epochsOf(row: fc.Arbitrary<Row>): fc.Arbitrary<Step[][]> {
  const step = fc.oneof(
    { weight: 6, arbitrary: row.map((r): Step => ({ kind: 'insert', row: r })) },
    { weight: 2, arbitrary: fc.nat().map((pick): Step => ({ kind: 'delete', pick })) },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), row).map(([pick, r]): Step => ({ kind: 'update', pick, row: r })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((advance): Step => ({ kind: 'watermark', advance })) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'cut' }) },
  );
  return fc.array(fc.array(step, { maxLength: 14 }), { minLength: 1, maxLength: 7 });
}

// ------------------------------------------------------------------ tests

describe('HashAggregate checkpoint state', () => {
  for (const c of planCases) {
    it(`${c.title}: restored at any barrier behaves as the original`, () => {
      const make = (out: Downstream): TestOperator => new HashAggregateOperator(out, c.plan, env, { emitOnWindowClose: c.eowc ?? false });
      fc.assert(
        fc.property(epochsOf(aggregateRow), (steps) => checkRestores(make, compileEpochs(steps, c.watermarks ? 1 : undefined), 4, 1)),
        { numRuns: 60 },
      );
    });
  }

  it('a group closed by a watermark is a delete in the next incremental snapshot; late rows stay dropped', () => {
    const plan = planCases.find((c) => c.title.includes('purged'))!.plan;
    const out = new MessageRecorder();
    const op = new HashAggregateOperator(out, plan, env);
    const epochs = compileEpochs([[{ kind: 'insert', row: [1, 10, 5, 'a'] }, { kind: 'insert', row: [1, 50, 6, 'b'] }], [{ kind: 'watermark', advance: 3 }]], 1);
    feed(op, epochs[0]!, 4, 1);
    const full = op.snapshotState(true);
    assert.equal(full.upserts.length, 3);
    feed(op, epochs[1]!, 4, 1);
    const delta = op.snapshotState(false);
    assert.deepEqual(delta.deletes, ['s' + 'n10|n1']);
    out.take();
    const restored = new HashAggregateOperator(out, plan, env);
    restored.restoreState(foldStateDeltas([full, delta]));
    assert.equal(restored.stateRows(), 1);
    feed(restored, compileEpochs([[{ kind: 'insert', row: [1, 10, 7, 'c'] }, { kind: 'insert', row: [1, 50, 1, 'c'] }]], 1)[0]!, 4, 1);
    assert.deepEqual(out.take(), ['-U n50|n1|n1|n6', '+U n50|n1|n2|n7', 'B 1']);
  });

  it('refuses a snapshot taken in the middle of an epoch (changes not yet emitted)', () => {
    const op = new HashAggregateOperator(new MessageRecorder(), planCases[0]!.plan, env);
    feed(op, compileEpochs([[{ kind: 'insert', row: [1, 10, 5, 'a'] }]], undefined)[0]!.slice(0, 1), 4, 1);
    assert.throws(() => op.snapshotState(true), /before the barrier/);
    op.push(Messages.barrier(1));
    assert.equal(op.snapshotState(true).upserts.length, 2);
  });

  it('batch runs are unchanged: the whole-table aggregate over no rows still gives one row', () => {
    const plan = planCases.find((c) => c.title.startsWith('ungrouped'))!.plan;
    const out = new MessageRecorder();
    const op = new HashAggregateOperator(out, plan, env);
    op.push(Messages.end);
    assert.deepEqual(out.take(), ['+I n0|N|N', 'E']);
  });
});

describe('Distinct checkpoint state', () => {
  // Numerically equal spellings (1, 1.0) make one distinct row whose shown spelling can change.
  const distinctRow = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('1', '1.0', '2', '2.50', '2.5').map((t) => parseNumeric(t) as Datum)).map((r): Row => r);

  it('restored at any barrier behaves as the original (shown spellings, watermarks passed through)', () => {
    fc.assert(
      fc.property(epochsOf(distinctRow), (steps) => checkRestores((out) => new DistinctOperator(out), compileEpochs(steps, 0), 2, 0)),
      { numRuns: 150 },
    );
  });

  it('a restored Distinct retracts the spelling it showed before the checkpoint', () => {
    const out = new MessageRecorder();
    const d = new DistinctOperator(out);
    const rows: Row[] = [[1, parseNumeric('2.50')], [1, parseNumeric('2.5')]];
    feed(d, compileEpochs([[{ kind: 'insert', row: rows[0]! }, { kind: 'insert', row: rows[1]! }]], undefined)[0]!, 2, 0);
    const snap = d.snapshotState(true);
    out.take();
    const r = new DistinctOperator(out);
    r.restoreState(snap.upserts);
    assert.equal(r.stateRows(), 1);
    r.push(Messages.chunk(ChangelogChunk.fromRows(2, [rows[0]!], Op.Delete)));
    assert.deepEqual(out.take(), ['-U n1|d2.5:2', '+U n1|d2.5:1']);
    assert.equal(r.snapshotState(false).upserts.length, 2);
  });
});
