/**
 * Accumulator checkpoints: for every accumulator kind, a state saved at a random point (through the
 * checkpoint codec) and loaded into a fresh accumulator gives, under the same later adds and
 * retractions, exactly the results of the accumulator that was never saved, and saves the same bytes.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BoundExpr } from '../../plan/bound/expr.js';
import type { AggregateCall } from '../../plan/logical/aggregate-call.js';
import { Interval, type Datum } from '../../types/datum.js';
import { parseNumeric } from '../../types/numeric.js';
import { T, arrayOf, type SqlType } from '../../types/sql-type.js';
import { decodeStateValue, encodeStateValue } from '../operators/operator-state.js';
import { exactKeyOf } from '../row-key.js';
import { createAccumulator, type Accumulator } from './accumulators.js';

const colOf = (type: SqlType, index = 0): BoundExpr => ({ kind: 'column', index, type, label: `c${index}` });

interface Case {
  readonly title: string;
  readonly call: AggregateCall;
  /** One row's arguments. */
  readonly args: fc.Arbitrary<Datum[]>;
  /** One row's ORDER BY keys, when the call has ORDER BY. */
  readonly order?: fc.Arbitrary<Datum[]>;
}

function call(name: string, argTypes: SqlType[], opts: { distinct?: boolean; star?: boolean; orderBy?: { type: SqlType; desc: boolean }[] } = {}): AggregateCall {
  return {
    name,
    args: argTypes.map((t, i) => colOf(t, i)),
    argTypes,
    distinct: opts.distinct ?? false,
    orderBy: (opts.orderBy ?? []).map((k, i) => ({ expr: colOf(k.type, 10 + i), desc: k.desc, nullsFirst: k.desc })),
    star: opts.star ?? false,
    type: T.unknown,
  };
}

const orNull = <V extends Datum>(a: fc.Arbitrary<V>): fc.Arbitrary<Datum> => fc.option(a, { nil: null, freq: 6 });
const one = (a: fc.Arbitrary<Datum>): fc.Arbitrary<Datum[]> => a.map((v) => [v]);

const int4 = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const int8 = fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const numeric = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 4 })).map(([n, s]) => parseNumeric(s === 0 ? String(n) : (n / 10 ** s).toFixed(s))) },
  { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.50', '1.5', '-0.00').map(parseNumeric) },
);
const float8 = fc.oneof({ weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e300) });
const float4 = float8.map((x) => Math.fround(x));
const interval = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -1e9, max: 1e9 })).map(([m, d, us]) => new Interval(m, d, us));
const text = fc.constantFrom('a', 'b', 'ab', 'b ', 'c', '', 'zz');
const bytea = fc.uint8Array({ maxLength: 3 });
const bool = fc.boolean();
const intArray = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 });

const cases: Case[] = [
  { title: 'count(*)', call: call('count', [], { star: true }), args: fc.constant([]) },
  { title: 'count(int4)', call: call('count', [T.int4]), args: one(orNull(int4)) },
  { title: 'sum(int4)', call: call('sum', [T.int4]), args: one(orNull(int4)) },
  { title: 'sum(int2)', call: call('sum', [T.int2]), args: one(orNull(fc.integer({ min: -32768, max: 32767 }))) },
  { title: 'sum(int8)', call: call('sum', [T.int8]), args: one(orNull(int8)) },
  { title: 'sum(numeric)', call: call('sum', [T.numeric]), args: one(orNull(numeric)) },
  { title: 'sum(float8)', call: call('sum', [T.float8]), args: one(orNull(float8)) },
  { title: 'sum(float4)', call: call('sum', [T.float4]), args: one(orNull(float4)) },
  { title: 'sum(interval)', call: call('sum', [T.interval]), args: one(orNull(interval)) },
  { title: 'avg(int4)', call: call('avg', [T.int4]), args: one(orNull(int4)) },
  { title: 'avg(int8)', call: call('avg', [T.int8]), args: one(orNull(int8)) },
  { title: 'avg(numeric)', call: call('avg', [T.numeric]), args: one(orNull(numeric)) },
  { title: 'avg(float8)', call: call('avg', [T.float8]), args: one(orNull(float8)) },
  { title: 'avg(interval)', call: call('avg', [T.interval]), args: one(orNull(interval)) },
  { title: 'min(int4)', call: call('min', [T.int4]), args: one(orNull(fc.integer({ min: -4, max: 4 }))) },
  { title: 'max(numeric) with equal spellings', call: call('max', [T.numeric]), args: one(orNull(numeric)) },
  { title: 'max(text)', call: call('max', [T.text]), args: one(orNull(text)) },
  { title: 'min(bpchar)', call: call('min', [T.bpchar]), args: one(orNull(text)) },
  { title: 'min(float8)', call: call('min', [T.float8]), args: one(orNull(float8)) },
  { title: 'max(interval)', call: call('max', [T.interval]), args: one(orNull(interval)) },
  { title: 'bool_and', call: call('bool_and', [T.bool]), args: one(orNull(bool)) },
  { title: 'bool_or', call: call('bool_or', [T.bool]), args: one(orNull(bool)) },
  { title: 'string_agg(text, text)', call: call('string_agg', [T.text, T.text]), args: fc.tuple(orNull(text), orNull(fc.constantFrom(',', '; '))) },
  { title: 'string_agg(bytea, bytea)', call: call('string_agg', [T.bytea, T.bytea]), args: fc.tuple(orNull(bytea), orNull(bytea)) },
  {
    title: 'string_agg ORDER BY int4 DESC',
    call: call('string_agg', [T.text, T.text], { orderBy: [{ type: T.int4, desc: true }] }),
    args: fc.tuple(orNull(text), fc.constant(',')),
    order: one(orNull(fc.integer({ min: 0, max: 3 }))),
  },
  {
    title: 'array_agg ORDER BY numeric, text',
    call: call('array_agg', [T.int4], { orderBy: [{ type: T.numeric, desc: false }, { type: T.text, desc: false }] }),
    args: one(orNull(fc.integer({ min: 0, max: 9 }))),
    order: fc.tuple(orNull(numeric), orNull(text)),
  },
  { title: 'array_agg(int4[])', call: call('array_agg', [arrayOf(T.int4)]), args: one(orNull(intArray)) },
  { title: 'array_agg(DISTINCT text)', call: call('array_agg', [T.text], { distinct: true }), args: one(orNull(text)) },
  {
    title: 'string_agg(DISTINCT text) ORDER BY text',
    call: call('string_agg', [T.text, T.text], { distinct: true, orderBy: [{ type: T.text, desc: false }] }),
    args: fc.tuple(orNull(text), fc.constant('|')),
    order: one(orNull(text)),
  },
  { title: 'variance(float8)', call: call('variance', [T.float8]), args: one(orNull(float8)) },
  { title: 'stddev_pop(float4)', call: call('stddev_pop', [T.float4]), args: one(orNull(float4)) },
  { title: 'stddev(numeric)', call: call('stddev', [T.numeric]), args: one(orNull(numeric)) },
  { title: 'var_pop(int4)', call: call('var_pop', [T.int4]), args: one(orNull(int4)) },
  { title: 'var_samp(int8)', call: call('var_samp', [T.int8]), args: one(orNull(int8)) },
  { title: 'count(DISTINCT int4)', call: call('count', [T.int4], { distinct: true }), args: one(orNull(fc.integer({ min: 0, max: 3 }))) },
  { title: 'sum(DISTINCT numeric)', call: call('sum', [T.numeric], { distinct: true }), args: one(orNull(numeric)) },
  { title: 'max(DISTINCT float8)', call: call('max', [T.float8], { distinct: true }), args: one(orNull(float8)) },
];

/** A step: add a new row, or retract a row still present (`pick` chooses which); `look` reads result(). */
type Step = { readonly kind: 'add'; readonly args: Datum[]; readonly order: Datum[] | undefined; readonly look: boolean } | { readonly kind: 'retract'; readonly pick: number; readonly look: boolean };

function steps(c: Case): fc.Arbitrary<Step[]> {
  const add = fc.tuple(c.args, c.order ?? fc.constant(undefined), fc.boolean()).map(([args, order, look]): Step => ({ kind: 'add', args, order, look }));
  const retract = fc.tuple(fc.nat(), fc.boolean()).map(([pick, look]): Step => ({ kind: 'retract', pick, look }));
  return fc.array(fc.oneof({ weight: 3, arbitrary: add }, { weight: 2, arbitrary: retract }), { maxLength: 40 });
}

/** result() as a string that tells apart every value (scale, -0, NaN) or the error it throws. */
function resultText(acc: Accumulator): string {
  try {
    return exactKeyOf([acc.result()]);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const bytesOf = (acc: Accumulator): string => Buffer.from(encodeStateValue(acc.save())).toString('hex');

function runCase(c: Case, plan: Step[], cut: number): void {
  const original = createAccumulator(c.call);
  let restored: Accumulator | undefined;
  const present: { args: Datum[]; order: Datum[] | undefined }[] = [];
  for (let i = 0; i <= plan.length; i++) {
    if (i === Math.min(cut, plan.length)) {
      restored = createAccumulator(c.call);
      restored.load(decodeStateValue(encodeStateValue(original.save())));
      assert.equal(bytesOf(restored), bytesOf(original), 'saved again, the same bytes');
    }
    if (i === plan.length) break;
    const step = plan[i]!;
    const accs = restored ? [original, restored] : [original];
    if (step.kind === 'add') {
      present.push({ args: step.args, order: step.order });
      for (const acc of accs) acc.add(step.args, 1, step.order);
    } else if (present.length > 0) {
      const [row] = present.splice(step.pick % present.length, 1);
      for (const acc of accs) acc.add(row!.args, -1, row!.order);
    }
    if (step.look) {
      const want = resultText(original);
      if (restored) assert.equal(resultText(restored), want, `after step ${i}`);
    }
  }
  assert.equal(resultText(restored!), resultText(original), 'at the end');
  assert.equal(bytesOf(restored!), bytesOf(original), 'final state bytes');
}

describe('accumulator state save/load', () => {
  for (const c of cases) {
    it(`${c.title}: restored mid-way behaves as never saved`, () => {
      fc.assert(fc.property(steps(c), fc.nat({ max: 45 }), (plan, cut) => runCase(c, plan, cut)), { numRuns: 150 });
    });
  }

  it('min(int4) saved while its extreme was retracted (recomputed lazily) restores exactly', () => {
    const c = cases.find((x) => x.title === 'min(int4)')!;
    const a = createAccumulator(c.call);
    for (const v of [3, 1, 2, 1]) a.add([v], 1, undefined);
    assert.equal(a.result(), 1);
    a.add([1], -1, undefined);
    a.add([1], -1, undefined);
    const b = createAccumulator(c.call);
    b.load(decodeStateValue(encodeStateValue(a.save())));
    assert.equal(b.result(), 2);
    b.add([2], -1, undefined);
    assert.equal(b.result(), 3);
  });

  it('sum(int4) past 2^52 keeps its bigint and number parts exactly', () => {
    const c = cases.find((x) => x.title === 'sum(int4)')!;
    const a = createAccumulator(c.call);
    a.load([2 ** 30, 2n ** 60n, 2 ** 52 - 5, a.save()[3]!, a.save()[4]!, new Interval(0, 0, 0)]);
    const b = createAccumulator(c.call);
    b.load(decodeStateValue(encodeStateValue(a.save())));
    for (const acc of [a, b]) acc.add([10], 1, undefined);
    assert.equal(b.result(), a.result());
    assert.equal(a.result(), 2n ** 60n + 2n ** 52n + 5n);
  });
});
