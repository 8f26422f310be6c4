/**
 * Freshet's type runtime against a real PostgreSQL 15: generated values (fast-check, fixed seed)
 * for every major type go through text input/output, arithmetic, casts and built-in functions on
 * both sides, compared as text ('NULL' and 'ERROR <sqlstate>' included). Skips without PostgreSQL.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pg from 'pg';
import { makeNumericTypmod } from '../../server/types/numeric.js';
import { arrayOf, scalar, T, type SqlType } from '../../server/types/sql-type.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { call, cast, evalToText, extract, lit, neg, op, type Env, type Expr } from './sql-expr.js';

const SEED = Number(process.env.FRESHET_ORACLE_SEED ?? 20241124);
const sample = <V>(arb: fc.Arbitrary<V>, n: number, seedOffset = 0): V[] => fc.sample(arb, { seed: SEED + seedOffset, numRuns: n });

const TRY_EVAL = `
CREATE FUNCTION try_eval(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE q INTO r;
  RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$`;

// --- generators ------------------------------------------------------------------------------

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const intText = (min: number, max: number) => fc.oneof(fc.integer({ min, max }).map(String), fc.constantFrom(String(min), String(max), '0', '-1', ' 42 ', '+7'));
const int8Text = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.constantFrom('9223372036854775807', '-9223372036854775808', '0'));
const float8Text = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toPrecision(6)),
  fc.integer({ min: -30, max: 30 }).map((e) => `1.5e${e}`),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '0', '-0', '1e15', '1e14', '0.0001', '0.00001', '123456789012345678'),
);
const float4Text = fc.oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
  fc.constantFrom('0.1', '1e6', '123456', '1234567', '3.4e38', '1e-4', '1e-5', '-0'),
);
const numericText = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,25}$/), fc.stringMatching(/^[0-9]{0,12}$/))
  .map(([negative, i, f]) => `${negative ? '-' : ''}${i}${f ? '.' + f : ''}`);
const smallNumericText = fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 4 }))
  .map(([v, s]) => (v / 10 ** s).toFixed(s));
const dateText = fc.integer({ min: -2_400_000, max: 2_900_000 }).map((d) => {
  const dt = new Date(d * 86400000);
  const y = dt.getUTCFullYear();
  const ys = y <= 0 ? `${pad(1 - y, 4)}-${pad(dt.getUTCMonth() + 1, 2)}-${pad(dt.getUTCDate(), 2)} BC` : `${pad(y, 4)}-${pad(dt.getUTCMonth() + 1, 2)}-${pad(dt.getUTCDate(), 2)}`;
  return ys;
});
const timeOfDayText = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 6 }))
  .map(([h, m, s, us, digits]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${digits ? '.' + pad(us, 6).slice(0, digits) : ''}`);
const timestampText = fc.tuple(fc.integer({ min: 1760, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), timeOfDayText)
  .map(([y, mo, d, t]) => `${y}-${pad(mo, 2)}-${pad(d, 2)} ${t}`);
const zoneSuffix = fc.constantFrom('', '+00', '+05:30', '-08', ' UTC', ' America/New_York', ' Europe/Berlin', 'Z', '-03:30');
const intervalText = fc.oneof(
  fc.tuple(fc.integer({ min: -25, max: 25 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: -400, max: 400 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999999 }))
    .map(([y, mo, d, h, mi, s, us]) => `${y} years ${mo} mons ${d} days ${h < 0 ? '-' : ''}${pad(Math.abs(h), 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(us, 6)}`),
  fc.tuple(fc.double({ min: -200, max: 200, noNaN: true }), fc.constantFrom('seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years', 'ms'))
    .map(([v, u]) => `${Number(v.toFixed(3))} ${u}`),
  fc.constantFrom('0', '1 day', '-1 days', '1 day -02:00', '@ 3 hours ago', 'P1Y2M3DT4H5M6S', '1.5 months', '100:00:00', '-1 year +2 days'),
);
const textValue = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '"', '\\', ',', '{', '}', 'é', '😀', 'NULL', 'x', '\t'), maxLength: 8 });

// --- harness ---------------------------------------------------------------------------------

interface Case { readonly expr: Expr; readonly timeZone: string }

async function pgResults(client: pg.Client, cases: readonly Case[]): Promise<string[]> {
  const out: string[] = [];
  const byZone = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const list = byZone.get(c.timeZone) ?? [];
    list.push(i);
    byZone.set(c.timeZone, list);
  });
  for (const [zone, idxs] of byZone) {
    await client.query(`SET TimeZone = '${zone}'`);
    const queries = idxs.map((i) => `SELECT (${cases[i].expr.sql})::text`);
    const r = await client.query<{ r: string }>('SELECT try_eval(q) AS r FROM unnest($1::text[]) WITH ORDINALITY AS t(q, n) ORDER BY n', [queries]);
    r.rows.forEach((row, k) => { out[idxs[k]] = row.r; });
  }
  return out;
}

const STATEMENT_TIME = Date.UTC(2024, 10, 24, 12, 0, 0) * 1000;

async function check(client: pg.Client, cases: readonly Case[]): Promise<void> {
  const expected = await pgResults(client, cases);
  const failures: string[] = [];
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const env: Env = { timeZone: c.timeZone, statementTime: STATEMENT_TIME };
    const got = evalToText(c.expr, env);
    const key = c.expr.sql.slice(0, 14);
    if (got !== expected[i] && !seen.has(key)) seen.add(key);
    else if (got !== expected[i] && failures.length > 40) return;
    if (got !== expected[i]) failures.push(`${c.expr.sql} [TimeZone=${c.timeZone}]\n   postgres: ${expected[i]}\n   freshet:  ${got}`);
  });
  assert.ok(failures.length === 0, `${failures.length}/${cases.length} mismatches:\n${failures.slice(0, 25).join('\n')}`);
}

const utc = (expr: Expr): Case => ({ expr, timeZone: 'UTC' });

describe('types against PostgreSQL 15', function () {
  this.timeout(60_000);
  let server: PostgresServer | undefined;
  let client: pg.Client;

  before(async function () {
    if (!postgresAvailable()) {
      console.log('      (skipped: PostgreSQL 15 binaries not found; set PG_BIN)');
      this.skip();
    }
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(TRY_EVAL);
  });

  after(async () => {
    await client?.end().catch(() => undefined);
    await server?.stop();
  });

  it('round-trips integers, floats and numerics through text', async () => {
    const cases: Case[] = [
      ...sample(intText(-32768, 32767), 60).map((s) => utc(lit(s, T.int2))),
      ...sample(intText(-2147483648, 2147483647), 100, 1).map((s) => utc(lit(s, T.int4))),
      ...sample(int8Text, 100, 2).map((s) => utc(lit(s, T.int8))),
      ...sample(float8Text, 300, 3).map((s) => utc(lit(s, T.float8))),
      ...sample(float4Text, 200, 4).map((s) => utc(lit(s, T.float4))),
      ...sample(numericText, 200, 5).map((s) => utc(lit(s, T.numeric))),
      ...['99999', '32768', '-32769', 'abc', '', '1.5', '2147483648', '9223372036854775808', '1e400', '1e-400', 'NaN', '  nan ', '1e5', '-0.000', '.5', '5.', '1_000']
        .flatMap((s) => [T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric].map((t) => utc(lit(s, t)))),
    ];
    await check(client, cases);
  });

  it('round-trips dates, times, timestamps, timestamptz and intervals', async () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/London'];
    const cases: Case[] = [
      ...sample(dateText, 200, 6).map((s) => utc(lit(s, T.date))),
      ...sample(timeOfDayText, 60, 7).map((s) => utc(lit(s, T.time))),
      ...sample(timestampText, 200, 8).map((s) => utc(lit(s, T.timestamp))),
      ...sample(fc.tuple(timestampText, zoneSuffix, fc.constantFrom(...zones)), 300, 9).map(([s, z, tz]) => ({ expr: lit(s + z, T.timestamptz), timeZone: tz })),
      ...sample(intervalText, 300, 10).map((s) => utc(lit(s, T.interval))),
      ...['2020-02-30', '2020-13-01', 'infinity', '-infinity', 'epoch', 'Jan 5 2020', '1/2/2020', '2020-01-02T03:04:05', 'garbage', '0044-03-15 BC', '20200102']
        .flatMap((s) => [T.date, T.timestamp, T.timestamptz].map((t) => utc(lit(s, t)))),
      ...['2020-03-08 02:30', '2020-11-01 01:30', '1800-01-01 00:00', '2038-01-19 03:14:07'].map((s) => ({ expr: lit(s, T.timestamptz), timeZone: 'America/New_York' })),
    ];
    await check(client, cases);
  });

  it('round-trips strings, arrays, bool, bytea, uuid and jsonb', async () => {
    const cases: Case[] = [
      ...sample(fc.array(fc.option(textValue, { nil: null }), { maxLength: 5 }), 100, 11).map((xs) => {
        const body = xs.map((x) => (x === null ? 'NULL' : '"' + x.replace(/["\\]/g, (c) => '\\' + c) + '"')).join(',');
        return utc(lit(`{${body}}`, arrayOf(T.text)));
      }),
      ...sample(fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 6 }), 40, 12).map((xs) => utc(lit(`{${xs.map((x) => (x === null ? 'NULL' : String(x))).join(', ')}}`, arrayOf(T.int4)))),
      ...['t', 'TRUE', ' yes ', 'on', '1', 'f', 'No', 'off', '0', 'tr', 'o', 'maybe'].map((s) => utc(lit(s, T.bool))),
      ...['\\x', '\\xDEADbeef', 'abc', 'a\\\\b', '\\001\\377', '\\xzz'].map((s) => utc(lit(s, T.bytea))),
      ...['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', 'nope'].map((s) => utc(lit(s, T.uuid))),
      ...['{"b": 1, "a": [1, 2.50, 1e2, -0], "aa": {"z": null, "y": true}}', '[1,"x\\n\\u0041",false]', '  "str"  ', '{"a":1,"a":2}', '12.500', '{"ab":1,"b":2,"abc":3}']
        .map((s) => utc(lit(s, T.jsonb))),
      ...sample(textValue, 40, 13).map((s) => utc(cast(lit(s, T.text), scalar('varchar', 7)))),
      ...sample(textValue, 40, 14).map((s) => utc(cast(lit(s, T.text), scalar('bpchar', 7)))),
      utc(lit('{{1,2},{3,4}}', arrayOf(T.int4))),
      utc(lit('{1,2', arrayOf(T.int4))),
    ];
    await check(client, cases);
  });

  it('computes arithmetic like PostgreSQL, including overflow and division by zero', async () => {
    const ops = ['+', '-', '*', '/', '%'];
    const intPairs = sample(fc.tuple(intText(-2147483648, 2147483647), intText(-2147483648, 2147483647), fc.constantFrom(...ops)), 150, 15);
    const int2Pairs = sample(fc.tuple(fc.integer({ min: -32768, max: 32767 }), fc.integer({ min: -300, max: 300 }), fc.constantFrom(...ops)), 60, 16);
    const int8Pairs = sample(fc.tuple(int8Text, int8Text, fc.constantFrom(...ops)), 100, 17);
    const floatPairs = sample(fc.tuple(float8Text, float8Text, fc.constantFrom('+', '-', '*', '/')), 150, 18);
    const numPairs = sample(fc.tuple(fc.oneof(numericText, smallNumericText), fc.oneof(numericText, smallNumericText), fc.constantFrom(...ops)), 250, 19);
    const mixed = sample(fc.tuple(smallNumericText, intText(-1000, 1000), float8Text, fc.constantFrom('+', '-', '*', '/')), 60, 20);
    const cases: Case[] = [
      ...intPairs.map(([a, b, o]) => utc(op(o, lit(a, T.int4), lit(b, T.int4)))),
      ...int2Pairs.map(([a, b, o]) => utc(op(o, lit(String(a), T.int2), lit(String(b), T.int2)))),
      ...int8Pairs.map(([a, b, o]) => utc(op(o, lit(a, T.int8), lit(b, T.int8)))),
      ...floatPairs.map(([a, b, o]) => utc(op(o, lit(a, T.float8), lit(b, T.float8)))),
      ...numPairs.map(([a, b, o]) => utc(op(o, lit(a, T.numeric), lit(b, T.numeric)))),
      ...mixed.flatMap(([n, i, f, o]) => [
        utc(op(o, lit(n, T.numeric), lit(i, T.int4))), utc(op(o, lit(i, T.int4), lit(f, T.float8))), utc(op(o, lit(n, T.numeric), lit(f, T.float8))),
        utc(op(o, lit(i, T.int2), lit(i, T.int8))),
      ]),
      ...['-2147483648', '5', '0'].map((s) => utc(neg(lit(s, T.int4)))),
      utc(op('/', lit('-2147483648', T.int4), lit('-1', T.int4))),
      utc(op('^', lit('2', T.float8), lit('0.5', T.float8))),
      ...[['2', '3'], ['2.0', '3'], ['1.5', '3.00'], ['10', '20'], ['4', '0.5'], ['0.001', '3'], ['123.456', '2']].map(([a, b]) => utc(op('^', lit(a, T.numeric), lit(b, T.numeric)))),
    ];
    await check(client, cases);
  });

  it('does date/time arithmetic like PostgreSQL', async () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin'];
    const cases: Case[] = [
      ...sample(fc.tuple(dateText, fc.integer({ min: -100000, max: 100000 })), 50, 21).map(([d, n]) => utc(op('+', lit(d, T.date), lit(String(n), T.int4)))),
      ...sample(fc.tuple(dateText, dateText), 40, 22).map(([a, b]) => utc(op('-', lit(a, T.date), lit(b, T.date)))),
      ...sample(fc.tuple(timestampText, intervalText, fc.constantFrom('+', '-')), 150, 23).map(([t, i, o]) => utc(op(o, lit(t, T.timestamp), lit(i, T.interval)))),
      ...sample(fc.tuple(timestampText, intervalText, fc.constantFrom(...zones)), 150, 24).map(([t, i, z]) => ({ expr: op('+', lit(t, T.timestamptz), lit(i, T.interval)), timeZone: z })),
      ...sample(fc.tuple(timestampText, timestampText), 80, 25).map(([a, b]) => utc(op('-', lit(a, T.timestamp), lit(b, T.timestamp)))),
      ...sample(fc.tuple(intervalText, intervalText, fc.constantFrom('+', '-')), 80, 26).map(([a, b, o]) => utc(op(o, lit(a, T.interval), lit(b, T.interval)))),
      ...sample(fc.tuple(intervalText, fc.constantFrom('2', '0.5', '1.5', '-3', '0.3333', '7')), 80, 27).map(([a, f]) => utc(op('*', lit(a, T.interval), lit(f, T.float8)))),
      ...sample(fc.tuple(intervalText, fc.constantFrom('2', '3', '7', '-4')), 60, 28).map(([a, f]) => utc(op('/', lit(a, T.interval), lit(f, T.float8)))),
      ...sample(fc.tuple(intervalText, intervalText), 60, 29).map(([a, b]) => utc(op('<', lit(a, T.interval), lit(b, T.interval)))),
    ];
    await check(client, cases);
  });

  it('compares, concatenates and pattern-matches text like PostgreSQL (C collation)', async () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'B', '%', '_', '\\', 'x', '.', 'é'), maxLength: 5 });
    const subject = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '%', '_', 'x', '.', 'é', '😀', '\uffff'), maxLength: 6 });
    const regex = fc.constantFrom('^a', 'b$', '[[:upper:]]', 'a.b', '(a|x)+', '^[^a]*$', '\\.', '😀', 'A');
    const cases: Case[] = [
      ...sample(fc.tuple(subject, subject, fc.constantFrom('<', '=', '>=', '<>')), 150, 38).map(([a, b, o]) => utc(op(o, lit(a, T.text), lit(b, T.text)))),
      ...sample(fc.tuple(subject, pattern, fc.constantFrom('LIKE', 'NOT LIKE', 'ILIKE')), 200, 39).map(([a, b, o]) => utc(op(o, lit(a, T.text), lit(b, T.text)))),
      ...sample(fc.tuple(subject, regex, fc.constantFrom('~', '!~', '~*')), 120, 40).map(([a, b, o]) => utc(op(o, lit(a, T.text), lit(b, T.text)))),
      ...sample(fc.tuple(subject, fc.oneof(intText(-99, 99).map((x) => lit(x, T.int4)), smallNumericText.map((x) => lit(x, T.numeric)), dateText.map((x) => lit(x, T.date)))), 60, 41)
        .map(([a, b]) => utc(op('||', lit(a, T.text), b))),
      utc(op('||', lit('ab  ', scalar('bpchar', 8)), lit('x', T.text))),
      utc(op('<', lit('ab', scalar('bpchar', 8)), lit('ab ', scalar('bpchar', 8)))),
    ];
    await check(client, cases);
  });

  it('casts like PostgreSQL', async () => {
    const cases: Case[] = [
      ...sample(float8Text, 120, 30).flatMap((s) => [utc(cast(lit(s, T.float8), T.int4)), utc(cast(lit(s, T.float8), T.numeric)), utc(cast(lit(s, T.float8), T.int8))]),
      ...sample(fc.oneof(numericText, smallNumericText), 120, 31).flatMap((s) => [
        utc(cast(lit(s, T.numeric), T.int4)), utc(cast(lit(s, T.numeric), T.float8)), utc(cast(lit(s, T.numeric), T.float4)),
        utc(cast(lit(s, T.numeric), scalar('numeric', makeNumericTypmod(10, 2)))), utc(cast(lit(s, T.numeric), scalar('numeric', makeNumericTypmod(5, 0)))),
      ]),
      ...sample(fc.tuple(float4Text), 60, 32).map(([s]) => utc(cast(lit(s, T.float4), T.float8))),
      ...sample(timestampText, 60, 33).flatMap((s) => [
        { expr: cast(lit(s, T.timestamp), T.timestamptz), timeZone: 'America/New_York' },
        { expr: cast(lit(s, T.timestamptz), T.date), timeZone: 'Asia/Kolkata' },
        { expr: cast(lit(s, T.timestamptz), T.timestamp), timeZone: 'Europe/Berlin' },
        utc(cast(lit(s, T.timestamp), scalar('timestamp', 2))),
        utc(cast(lit(s, T.timestamp), T.time)),
      ]),
      ...['true', 'false'].map((s) => utc(cast(lit(s, T.bool), T.text))),
      ...['0', '7', '-1'].map((s) => utc(cast(lit(s, T.int4), T.bool))),
      utc(cast(lit('abc  ', scalar('bpchar', 10)), T.text)), utc(lit('abcdef', scalar('bpchar', 6))), utc(lit('ab', scalar('varchar', 5))),
      utc(cast(lit('1 day 25:00', T.interval), T.time)),
      utc(cast(lit('-1', T.int4), T.oid)),
      utc(cast(lit('32768', T.int4), T.int2)),
      utc(cast(lit('2.5', T.numeric), T.int4)),
      utc(cast(lit('-2.5', T.float8), T.int4)),
    ];
    await check(client, cases);
  });

  it('evaluates built-in functions like PostgreSQL', async () => {
    const s = (v: string) => lit(v, T.text);
    const i = (v: number) => lit(String(v), T.int4);
    const n = (v: string) => lit(v, T.numeric);
    const f = (v: string) => lit(v, T.float8);
    const ts = (v: string) => lit(v, T.timestamp);
    const tz = (v: string) => lit(v, T.timestamptz);
    const iv = (v: string) => lit(v, T.interval);
    const strings = sample(textValue, 30, 34);
    const cases: Case[] = [
      ...strings.flatMap((x) => [
        utc(call('length', s(x))), utc(call('upper', s(x))), utc(call('lower', s(x))), utc(call('initcap', s(x))), utc(call('reverse', s(x))),
        utc(call('substr', s(x), i(2), i(3))), utc(call('substr', s(x), i(0))), utc(call('lpad', s(x), i(6), s('*-'))), utc(call('rpad', s(x), i(3))),
        utc(call('btrim', s(x))), utc(call('ltrim', s(x), s('a '))), utc(call('left', s(x), i(-2))), utc(call('right', s(x), i(2))), utc(call('md5', s(x))),
        utc(call('octet_length', s(x))), utc(call('strpos', s(x), s('a'))), utc(call('replace', s(x), s('a'), s('XY'))), utc(call('split_part', s(x), s(' '), i(2))),
        utc(call('split_part', s(x), s('a'), i(-1))), utc(call('repeat', s(x), i(2))), utc(call('ascii', s(x))), utc(call('quote_literal', s(x))), utc(call('quote_ident', s(x))),
      ]),
      utc(call('concat', s('a'), i(1), lit('t', T.bool), lit('', T.unknown), n('1.50'))),
      utc(call('concat_ws', s(','), s('a'), lit('2020-01-02', T.date), s('b'))),
      utc(call('format', s('%s-%I-%L-%%-%2$s'), s('x y'), s("it's"))),
      utc(call('chr', i(233))), utc(call('chr', i(0))),
      utc(call('regexp_replace', s('Hello World'), s('o(.)'), s('<\\1>'), s('g'))),
      utc(call('regexp_replace', s('abcabc'), s('b'), s('X'))),
      utc(call('regexp_match', s('foo123bar45'), s('([a-z]+)(\\d+)'))),
      utc(call('regexp_match', s('abc'), s('x'))),
      utc(call('starts_with', s('alphabet'), s('alp'))),
      utc(call('translate', s('12345'), s('143'), s('ax'))),
      ...['1.5', '-2.5', '2.567', '-0.5', '1234.5678', '0', 'NaN'].flatMap((x) => [
        utc(call('round', n(x))), utc(call('round', n(x), i(2))), utc(call('round', n(x), i(-1))), utc(call('trunc', n(x), i(1))),
        utc(call('ceil', n(x))), utc(call('floor', n(x))), utc(call('abs', n(x))), utc(call('sign', n(x))),
        utc(call('round', f(x))), utc(call('ceil', f(x))), utc(call('trunc', f(x))), utc(call('abs', f(x))),
      ]),
      ...['2', '100.00', '0.5', '12345678901234567890', '0.000123'].flatMap((x) => [
        utc(call('sqrt', n(x))), utc(call('ln', n(x))), utc(call('log', n(x))), utc(call('exp', n(x === '12345678901234567890' ? '3' : x))),
        utc(call('sqrt', f(x))), utc(call('ln', f(x))), utc(call('log', f(x))), utc(call('exp', f(x))),
      ]),
      utc(call('mod', i(-7), i(3))), utc(call('mod', n('10.5'), n('3'))), utc(call('div', n('7.5'), n('2'))), utc(call('power', i(2), i(10))),
      utc(call('power', n('2'), n('10'))), utc(call('log', n('2'), n('8.0'))), utc(call('pi')), utc(call('sqrt', f('-1'))), utc(call('ln', n('0'))),
      ...sample(fc.tuple(timestampText, fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata')), 40, 35).flatMap(([t, zone]) => [
        ...['year', 'month', 'day', 'hour', 'minute', 'second', 'epoch', 'dow', 'isodow', 'doy', 'week', 'quarter', 'decade', 'century', 'millennium', 'milliseconds', 'microseconds', 'isoyear']
          .flatMap((fld) => [{ expr: call('date_part', s(fld), tz(t)), timeZone: zone }, utc(extract(fld, ts(t)))]),
        ...['microseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']
          .flatMap((fld) => [utc(call('date_trunc', s(fld), ts(t))), { expr: call('date_trunc', s(fld), tz(t)), timeZone: zone }]),
        utc(call('age', ts(t), ts('2000-02-29 12:00:00'))), utc(call('age', ts('1999-12-31 23:59:59'), ts(t))),
        { expr: call('to_char', tz(t), s('YYYY-MM-DD HH24:MI:SS.MS OF Day Mon FMMonth DDD IW Q AM')), timeZone: zone },
        utc(call('to_char', ts(t), s('FMDD "of" Month, YYYY HH12:MI:SS pm'))),
      ]),
      ...sample(intervalText, 30, 36).flatMap((x) => [
        ...['epoch', 'year', 'month', 'day', 'hour', 'minute', 'second', 'milliseconds'].flatMap((fld) => [utc(extract(fld, iv(x))), utc(call('date_part', s(fld), iv(x)))]),
        utc(call('justify_interval', iv(x))), utc(call('justify_hours', iv(x))), utc(call('date_trunc', s('hour'), iv(x))),
      ]),
      ...sample(dateText, 20, 37).flatMap((d) => ['year', 'dow', 'week', 'epoch', 'century'].map((fld) => utc(extract(fld, lit(d, T.date))))),
      utc(extract('hour', lit('2020-01-01', T.date))),
      utc(call('make_date', i(2020), i(2), i(29))), utc(call('make_date', i(-44), i(3), i(15))), utc(call('make_date', i(2021), i(2), i(29))),
      utc(call('to_timestamp', f('1700000000.5'))),
      utc(call('to_date', s('05 Mar 2021'), s('DD Mon YYYY'))), utc(call('to_timestamp', s('2021-03-05 14:07:08'), s('YYYY-MM-DD HH24:MI:SS'))),
      ...['0', '1', '-1', '12.345', '-1234.5', '123456789', '0.5', '-0.004'].flatMap((x) => [
        '999', '9999.99', 'FM9999.99', '0000', 'S999.9', '999MI', 'FM999,999.000', '9,999', 'FM0.00', '99', '9.99', 'FM9.99', '999S', 'FM999MI', '000.00'].map((fmt) => utc(call('to_char', n(x), s(fmt))))),
      utc(call('to_char', i(-42), s('00000'))), utc(call('to_char', f('3.14159'), s('9.99'))),
      utc(call('array_length', lit('{1,2,3}', arrayOf(T.int4)), i(1))), utc(call('array_length', lit('{}', arrayOf(T.int4)), i(1))),
      utc(call('cardinality', lit('{{1,2},{3,4}}', arrayOf(T.int4)))), utc(call('array_upper', lit('{1,2}', arrayOf(T.int4)), i(1))),
      utc(call('array_to_string', lit('{a,NULL,"b c"}', arrayOf(T.text)), s('|'))), utc(call('array_to_string', lit('{1,NULL,3}', arrayOf(T.int4)), s(','), s('*'))),
    ];
    await check(client, cases);
  });
});
