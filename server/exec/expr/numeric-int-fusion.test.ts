/**
 * The compiler's fused numeric-constant-with-integer arithmetic on expressions bound by the real
 * binder (`0.908 * price` as in Nexmark q1): the fusion is recognised, and the compiled column equals
 * the unfused calls evaluated one by one (value, display scale, layout), NULLs included.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeDatabase, T } from '../../../test/plan/harness.js';
import type { BoundExpr, CallExpr } from '../../plan/bound/expr.js';
import type { ExecContext } from '../../plan/context.js';
import type { Datum, Decimal } from '../../types/datum.js';
import { isNumeric, numericScale, numericToString } from '../../types/numeric.js';
import { exactKeyOf } from '../row-key.js';
import { compileExpr } from './compile.js';
import type { ExprEnv } from './env.js';
import { fuseNumericIntCall } from './numeric-int-fusion.js';

const db = new FakeDatabase().table('bid', {
  columns: [['price', T.int8], ['qty', T.int4], ['small', T.int2], ['amount', T.numeric]],
  rows: [[1000n, 3, 2, null]],
});
const ctx: ExecContext = db.context();
const env: ExprEnv = { params: [], outer: [], ctx, subplans: { run: () => [] } };

/** The select list of `SELECT <expr> FROM bid`, as the binder makes it. */
function bindSelect(expr: string): BoundExpr {
  const plan = db.bind(`SELECT ${expr} FROM bid`).plan;
  assert.equal(plan.kind, 'project');
  return (plan as { exprs: readonly BoundExpr[] }).exprs[0]!;
}

/** The unfused meaning: every call's own function, one row at a time. */
function interpret(e: BoundExpr, row: readonly Datum[]): Datum {
  switch (e.kind) {
    case 'column': return row[e.index]!;
    case 'const': return e.value;
    case 'call': {
      const args = e.args.map((a) => interpret(a, row));
      if (e.strict && args.some((a) => a === null)) return null;
      return e.fn(args, ctx.fn);
    }
    default: throw new Error(`not interpreted here: ${e.kind}`);
  }
}

function layout(v: Datum): unknown {
  if (!isNumeric(v)) return v;
  const own = v as unknown as { s: number; e: number; d: number[] };
  return { s: own.s, e: own.e, d: own.d, scale: numericScale(v), text: numericToString(v), key: exactKeyOf([v]) };
}

function assertFusedEqualsCalls(expr: string, rows: Datum[][]): Datum[] {
  const e = bindSelect(expr);
  assert.equal(e.kind, 'call');
  assert.ok(fuseNumericIntCall(e as CallExpr), `${expr} is fused`);
  const cols = [0, 1, 2, 3].map((c) => rows.map((r) => r[c]!));
  const out = compileExpr(e)(cols, rows.length, env);
  rows.forEach((r, i) => assert.deepEqual(layout(out[i]!), layout(interpret(e, r)), `${expr} on row ${i}`));
  return out;
}

const row = fc.tuple(
  fc.option(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n })), { nil: null }),
  fc.option(fc.integer(), { nil: null }),
  fc.option(fc.integer({ min: -32768, max: 32767 }), { nil: null }),
).map(([p, q, s]): Datum[] => [p, q, s, null]);

describe('fused numeric constant with integer arithmetic', () => {
  it('Nexmark q1: 0.908 * price gives the exact scale-3 product', () => {
    const out = assertFusedEqualsCalls('0.908 * price', [[1000n, 0, 0, null], [null, 0, 0, null], [-9223372036854775808n, 0, 0, null], [7n, 0, 0, null]]);
    assert.deepEqual(out.map((v) => (v === null ? null : numericToString(v as Decimal))), ['908.000', null, '-8374821809464136433.664', '6.356']);
  });

  it('matches the unfused calls for every operator, side and integer width', () => {
    const exprs = [
      '0.908 * price', 'price * 0.908', 'price * -0.0', 'price + 1.25', '2.50 - price', 'price - 0.001',
      'qty * 1.5', '1.5 + qty', 'qty - 100.000', 'small * 0.1', 'small - -3.25', 'price * 2.0', '(small + 1) * 0.5',
    ];
    fc.assert(fc.property(fc.constantFrom(...exprs), fc.array(row, { minLength: 1, maxLength: 20 }), (expr, rows) => {
      assertFusedEqualsCalls(expr, rows);
    }), { numRuns: 300 });
  });

  it('leaves other shapes to the general call', () => {
    for (const expr of ['amount * 0.908', 'price::numeric(10,2) * 0.5', 'price * price::numeric', '0.908 / price', 'price * 1e30']) {
      const e = bindSelect(expr);
      assert.ok(e.kind !== 'call' || fuseNumericIntCall(e) === undefined, expr);
    }
  });

  it('agrees with the whole query path', () => {
    assert.deepEqual(db.query('SELECT 0.908 * price, qty - 0.50, 1.25 + small FROM bid'), [['908.000', '2.50', '3.25']]);
  });
});
