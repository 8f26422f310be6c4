import assert from 'node:assert/strict';
import { SqlError } from '../errors.js';
import { Interval } from './datum.js';
import { arrayOf, T } from './sql-type.js';
import { formatText, parseText } from './text-io.js';

const roundTrip = (s: string, t = T.text, timeZone = 'UTC') => formatText(parseText(s, t, { timeZone }), t, { timeZone });
const code = (f: () => unknown) => {
  try { f(); } catch (e) { return (e as SqlError).code; }
  return 'no error';
};

describe('text-io', () => {
  it('prints and reads booleans and integers as PostgreSQL does', () => {
    assert.equal(roundTrip(' YES ', T.bool), 't');
    assert.equal(roundTrip('of', T.bool), 'f');
    assert.equal(code(() => parseText('o', T.bool)), '22P02');
    assert.equal(roundTrip(' +42 ', T.int4), '42');
    assert.equal(code(() => parseText('2147483648', T.int4)), '22003');
    assert.throws(() => parseText('1.5', T.int2), /invalid input syntax for type smallint: "1.5"/);
    assert.equal(roundTrip('-9223372036854775808', T.int8), '-9223372036854775808');
  });

  it('prints floats in shortest round-trip form', () => {
    assert.equal(roundTrip('0.1', T.float4), '0.1');
    assert.equal(roundTrip('1e15', T.float8), '1e+15');
    assert.equal(roundTrip('123456789012345', T.float8), '123456789012345');
    assert.equal(roundTrip('1234567', T.float4), '1.234567e+06');
    assert.equal(roundTrip('-inf', T.float8), '-Infinity');
    assert.equal(code(() => parseText('1e39', T.float4)), '22003');
  });

  it('keeps numeric scale as written', () => {
    assert.equal(roundTrip('1.50', T.numeric), '1.50');
    assert.equal(roundTrip('-0.000', T.numeric), '0.000');
    assert.equal(roundTrip('1e3', T.numeric), '1000');
    assert.equal(roundTrip('1.5e-3', T.numeric), '0.0015');
  });

  it('handles dates, timestamps and zones', () => {
    assert.equal(roundTrip('0044-03-15 BC', T.date), '0044-03-15 BC');
    assert.equal(roundTrip('1/2/2020', T.date), '2020-01-02');
    assert.equal(roundTrip('2020-01-02T03:04:05.120', T.timestamp), '2020-01-02 03:04:05.12');
    assert.equal(roundTrip('2020-07-01 12:00+02', T.timestamptz, 'Asia/Kolkata'), '2020-07-01 15:30:00+05:30');
    assert.equal(roundTrip('2020-11-01 01:30', T.timestamptz, 'America/New_York'), '2020-11-01 01:30:00-05');
    assert.equal(code(() => parseText('2020-02-30', T.date)), '22008');
  });

  it('prints intervals in postgres style', () => {
    assert.equal(formatText(new Interval(14, 3, 14706500000), T.interval), '1 year 2 mons 3 days 04:05:06.5');
    assert.equal(formatText(new Interval(0, -1, 0), T.interval), '-1 days');
    assert.equal(formatText(new Interval(0, 0, 0), T.interval), '00:00:00');
    assert.equal(roundTrip('1 day -02:00', T.interval), '1 day -02:00:00');
    assert.equal(roundTrip('-1 year +2 days', T.interval), '-1 years +2 days');
  });

  it('quotes array elements and reads nested arrays', () => {
    assert.equal(roundTrip('{a,"b c","",NULL,"NULL","x\\"y"}', arrayOf(T.text)), '{a,"b c","",NULL,"NULL","x\\"y"}');
    assert.equal(roundTrip('{{1,2},{3,4}}', arrayOf(T.int4)), '{{1,2},{3,4}}');
    assert.equal(code(() => parseText('{1,2', arrayOf(T.int4))), '22P02');
  });

  it('normalizes bytea, uuid and jsonb', () => {
    assert.equal(roundTrip('\\xDEADbeef', T.bytea), '\\xdeadbeef');
    assert.equal(roundTrip('{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}', T.uuid), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.equal(roundTrip('{"bb":1, "a": [1,2.50], "bb": 3}', T.jsonb), '{"a": [1, 2.50], "bb": 3}');
  });
});
