import assert from 'node:assert/strict';
import type { CatalogReader } from '../catalog/model.js';
import type { Datum } from '../types/datum.js';
import { arrayOf, T, type SqlType } from '../types/sql-type.js';
import './index.js';
import { builtinFunctions, type FunctionContext } from './registry.js';

const ctx: FunctionContext = {
  catalog: {} as CatalogReader,
  setting: (n) => (n === 'timezone' ? 'UTC' : undefined),
  user: 'u',
  statementTime: Date.UTC(2024, 0, 15, 10) * 1000,
};

function call(name: string, types: SqlType[], args: Datum[]): Datum {
  const r = builtinFunctions.resolve(name, types);
  assert.ok(r, `${name} resolves`);
  if (r.def.strict && args.some((a) => a === null)) return null;
  return r.def.impl(args, ctx, r.signature);
}

describe('built-in functions', () => {
  it('resolve overloads with PostgreSQL preferences', () => {
    assert.equal(builtinFunctions.resolve('abs', [T.int4])?.signature.returns.kind, 'int4');
    assert.equal(builtinFunctions.resolve('round', [T.int4])?.signature.returns.kind, 'float8');
    assert.equal(builtinFunctions.resolve('round', [T.numeric, T.int4])?.signature.returns.kind, 'numeric');
    assert.equal(builtinFunctions.resolve('length', [T.varchar])?.signature.argTypes[0].kind, 'text');
    assert.equal(builtinFunctions.resolve('array_length', [arrayOf(T.int4), T.int4])?.signature.returns.kind, 'int4');
    assert.equal(builtinFunctions.resolve('upper', [T.int4]), undefined);
  });

  it('declare strictness and volatility', () => {
    assert.equal(builtinFunctions.resolve('random', [])?.def.volatility, 'volatile');
    assert.equal(builtinFunctions.resolve('now', [])?.def.volatility, 'stable');
    assert.equal(builtinFunctions.resolve('concat', [T.text, T.text])?.def.strict, false);
    assert.equal(builtinFunctions.resolve('upper', [T.text])?.def.strict, true);
  });

  it('compute string functions', () => {
    assert.equal(call('substr', [T.text, T.int4, T.int4], ['hello', 0, 3]), 'he');
    assert.equal(call('lpad', [T.text, T.int4, T.text], ['7', 3, '0']), '007');
    assert.equal(call('split_part', [T.text, T.text, T.int4], ['a,b,c', ',', -1]), 'c');
    assert.equal(call('concat', [T.text, T.int4, T.bool], ['a', null, true]), 'at');
    assert.equal(call('upper', [T.text], ['straße']), 'STRAßE'); // C collation: ASCII only
    assert.deepEqual(call('regexp_match', [T.text, T.text], ['foo123', '([a-z]+)(\\d+)']), ['foo', '123']);
    assert.equal(call('format', [T.text, T.text, T.text], ['%I = %L', 'my col', "it's"]), `"my col" = 'it''s'`);
  });

  it('compute date/time functions from the statement time', () => {
    assert.equal(call('now', [], []), ctx.statementTime);
    assert.equal(call('current_date', [], []), Math.floor(ctx.statementTime / 86400e6));
    assert.equal(call('date_trunc', [T.text, T.timestamp], ['month', Date.UTC(2024, 4, 17, 5) * 1000]), Date.UTC(2024, 4, 1) * 1000);
    assert.equal(call('date_part', [T.text, T.timestamp], ['dow', Date.UTC(2024, 0, 14) * 1000]), 0);
  });
});
