/** The expression compiler against hand-computed values, NULL cases and three-valued logic. */
import assert from 'node:assert/strict';
import type { BoundExpr } from '../../plan/bound/expr.js';
import type { ExecContext } from '../../plan/context.js';
import { builtinFunctions } from '../../functions/registry.js';
import type { Datum } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import { compileExpr } from './compile.js';
import type { ExprEnv } from './env.js';

const ctx = { fn: { setting: () => undefined, user: 'u', statementTime: 0 }, functions: builtinFunctions } as unknown as ExecContext;
const env: ExprEnv = { params: [10], outer: [7], ctx, subplans: { run: () => [] } };

const col = (index: number, type = T.bool): BoundExpr => ({ kind: 'column', index, type, label: `c${index}` });
const lit = (value: Datum, type = T.int4): BoundExpr => ({ kind: 'const', value, type });
let calls = 0;
const plus = (a: BoundExpr, b: BoundExpr): BoundExpr => ({
  kind: 'call', label: '+', fn: (args) => { calls++; return (args[0] as number) + (args[1] as number); }, args: [a, b], type: T.int4, strict: true, volatile: false,
});

/** Evaluates `e` over columns given row-wise. */
function run(e: BoundExpr, rows: Datum[][]): Datum[] {
  const width = rows[0]?.length ?? 0;
  const cols = Array.from({ length: width }, (_, c) => rows.map((r) => r[c]!));
  return compileExpr(e)(cols, rows.length, env);
}

const TVL: Datum[] = [true, false, null];
const pairs = TVL.flatMap((a) => TVL.map((b) => [a, b]));

describe('expression compiler', () => {
  it('AND follows three-valued logic', () => {
    assert.deepEqual(run({ kind: 'and', args: [col(0), col(1)], type: T.bool }, pairs), [true, false, null, false, false, false, null, false, null]);
  });
  it('OR follows three-valued logic', () => {
    assert.deepEqual(run({ kind: 'or', args: [col(0), col(1)], type: T.bool }, pairs), [true, true, true, true, false, null, true, null, null]);
  });
  it('NOT keeps NULL', () => {
    assert.deepEqual(run({ kind: 'not', arg: col(0), type: T.bool }, [[true], [false], [null]]), [false, true, null]);
  });
  it('strict calls give NULL without calling the function', () => {
    calls = 0;
    assert.deepEqual(run(plus(col(0, T.int4), col(1, T.int4)), [[1, 2], [null, 2], [3, null], [4, 5]]), [3, null, null, 9]);
    assert.equal(calls, 2);
  });
  it('AND short-circuits: the right side is not evaluated after false', () => {
    calls = 0;
    const e: BoundExpr = { kind: 'and', args: [col(0), { kind: 'isNull', arg: plus(col(1, T.int4), lit(1)), negated: true, type: T.bool }], type: T.bool };
    assert.deepEqual(run(e, [[false, 1], [true, 1], [null, null]]), [false, true, false]); // NULL AND false is false
    assert.equal(calls, 1);
  });
  it('CASE picks the first true branch, NULL conditions fall through, ELSE otherwise', () => {
    const e: BoundExpr = {
      kind: 'case',
      whens: [{ when: col(0), then: lit(1) }, { when: col(1), then: lit(2) }],
      else: lit(null),
      type: T.int4,
    };
    assert.deepEqual(run(e, [[true, true], [null, true], [false, false], [null, null]]), [1, 2, null, null]);
  });
  it('COALESCE returns the first non-NULL argument', () => {
    const e: BoundExpr = { kind: 'coalesce', args: [col(0, T.int4), col(1, T.int4), lit(0)], type: T.int4 };
    assert.deepEqual(run(e, [[1, 2], [null, 2], [null, null]]), [1, 2, 0]);
  });
  it('IS [NOT] NULL / TRUE / UNKNOWN never yield NULL', () => {
    assert.deepEqual(run({ kind: 'isNull', arg: col(0), negated: false, type: T.bool }, [[1], [null]]), [false, true]);
    assert.deepEqual(run({ kind: 'isBool', arg: col(0), test: 'true', negated: true, type: T.bool }, [[true], [false], [null]]), [false, true, true]);
    assert.deepEqual(run({ kind: 'isBool', arg: col(0), test: 'unknown', negated: false, type: T.bool }, [[true], [null]]), [false, true]);
  });
  it('reads parameters and outer values', () => {
    const e = plus({ kind: 'param', index: 0, type: T.int4 }, { kind: 'outer', index: 0, type: T.int4, label: 'o' });
    assert.deepEqual(run(e, [[0]]), [17]);
  });
  it('rows hidden by the visibility mask give NULL', () => {
    const f = compileExpr(plus(col(0, T.int4), lit(1)));
    assert.deepEqual(f([[1, 2, 3]], 3, env, new Uint8Array([1, 0, 1])), [2, null, 4]);
  });
  it('a bare column is a copy of the input column, first n rows, hidden rows NULL', () => {
    const f = compileExpr(col(1, T.int4));
    const input = [[0, 0, 0, 0], [1, 2, 3, 4]];
    const out = f(input, 3, env);
    assert.deepEqual(out, [1, 2, 3]);
    assert.notEqual(out, input[1]);
    out[0] = 99;
    assert.deepEqual(input[1], [1, 2, 3, 4]);
    assert.deepEqual(f(input, 4, env, new Uint8Array([0, 1, 0, 1])), [null, 2, null, 4]);
  });
});
