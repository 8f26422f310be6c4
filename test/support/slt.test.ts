/**
 * Tests of the sqllogictest runner itself: parsing, value formatting, engine conditions, and that a
 * wrong expectation really fails (run against the shared PostgreSQL), so a passing .slt file means something.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appliesTo, parseSlt } from './slt-parser.js';
import { formatValue, runSltFile } from './slt.js';
import { createDatabase, sharedPostgres } from './postgres-server.js';

describe('slt parser', () => {
  it('reads statements, queries, conditions and halt', () => {
    const records = parseSlt([
      '# comment',
      'statement ok',
      'CREATE TABLE t (a int)',
      '',
      'skipif freshet',
      'statement error 23505 duplicate',
      'INSERT INTO t',
      'VALUES (1)',
      '',
      'query IT rowsort lbl',
      'SELECT a, b',
      'FROM t',
      '----',
      '1 x',
      '2 (empty)',
      '',
      'query error division',
      'SELECT 1/0',
      '',
      'onlyif freshet',
      'halt',
    ].join('\n'), 'x.slt');
    assert.equal(records.length, 5);
    const [create, insert, query, queryError, halt] = records;
    assert.equal(create!.kind, 'statement');
    assert.equal(insert!.kind === 'statement' && insert.sql, 'INSERT INTO t\nVALUES (1)');
    assert.equal(insert!.kind === 'statement' && insert.expectedError?.source, '23505 duplicate');
    assert.deepEqual(insert!.conditions, [{ kind: 'skipif', engine: 'freshet' }]);
    assert.ok(query!.kind === 'query');
    assert.equal(query.line, 10);
    assert.equal(query.types, 'IT');
    assert.equal(query.sortMode, 'rowsort');
    assert.equal(query.label, 'lbl');
    assert.equal(query.sql, 'SELECT a, b\nFROM t');
    assert.deepEqual(query.expectedRows, ['1 x', '2 (empty)']);
    assert.equal(queryError!.kind, 'queryError');
    assert.ok(halt!.kind === 'halt');
    assert.equal(appliesTo(halt.conditions, 'freshet'), true);
    assert.equal(appliesTo(halt.conditions, 'postgres'), false);
    assert.equal(appliesTo(insert!.conditions, 'freshet'), false);
  });

  it('rejects malformed records with file:line', () => {
    assert.throws(() => parseSlt('statement maybe\nSELECT 1\n', 'bad.slt'), /bad\.slt:1: statement must be/);
    assert.throws(() => parseSlt('query\nSELECT 1\n', 'bad.slt'), /bad\.slt:1: query needs column type letters/);
    assert.throws(() => parseSlt('\n\nselect 1\n', 'bad.slt'), /bad\.slt:3: unknown record/);
  });
});

describe('slt value formatting', () => {
  it('follows sqllogictest conventions over the server text', () => {
    assert.deepEqual(formatValue(null, 'T'), { text: 'NULL' });
    assert.deepEqual(formatValue('', 'T'), { text: '(empty)' });
    assert.deepEqual(formatValue('1.50', 'T'), { text: '1.50' });
    assert.deepEqual(formatValue('0.30000000000000004', 'R'), { text: '0.300' });
    assert.deepEqual(formatValue('-0.0001', 'R'), { text: '0.000' });
    assert.deepEqual(formatValue('-12', 'I'), { text: '-12' });
    assert.ok('error' in formatValue('1.5', 'I'));
  });
});

describe('slt runner against PostgreSQL', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slt-selftest-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(text: string, engine = 'postgres'): Promise<readonly string[]> {
    const file = path.join(dir, `case${Math.random().toString(36).slice(2)}.slt`);
    fs.writeFileSync(file, text);
    const url = await createDatabase(await sharedPostgres(), 'slt_selftest');
    return (await runSltFile(file, { engine, connection: url })).failures;
  }

  it('passes a correct file, with raw text values, sorting and labels', async () => {
    const failures = await run([
      'statement ok', 'CREATE TABLE t (a int, b numeric, c boolean, d text)', '',
      'statement ok', "INSERT INTO t VALUES (2, 1.50, true, ''), (1, NULL, false, 'x y')", '',
      'query ITTT rowsort one', 'SELECT a, b, c, d FROM t', '----', '1 NULL f x y', '2 1.50 t (empty)', '',
      'query ITTT one', 'SELECT a, b, c, d FROM t ORDER BY a', '----', '1 NULL f x y', '2 1.50 t (empty)', '',
      'query I valuesort', 'SELECT a FROM t', '----', '2', '1', '',
      'statement error 23505|42P01', 'INSERT INTO nope VALUES (1)', '',
      'skipif postgres', 'statement ok', 'THIS IS NOT SQL', '',
    ].join('\n'));
    assert.deepEqual(failures, []);
  });

  it('reports a wrong row with file:line, SQL, expected and actual', async () => {
    const failures = await run(['', 'query I', 'SELECT 1 + 1', '----', '3', ''].join('\n'));
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /case\w+\.slt:2 \[postgres\]/);
    assert.match(failures[0]!, /SELECT 1 \+ 1/);
    assert.match(failures[0]!, /expected \(nosort\):\n\s+3\n\s+actual:\n\s+2/);
  });

  it('reports wrong order under nosort, a wrong column count, a missing error and a wrong error', async () => {
    const failures = await run([
      'query I', 'VALUES (2), (1)', '----', '1', '2', '',
      'query II', 'SELECT 1', '----', '1 1', '',
      'statement error .*', 'SELECT 1', '',
      'statement error 22012', "SELECT 'x'::int", '',
      'statement ok', 'SELECT 1/0', '',
      'query T', "SELECT 'abc'", '----', 'abd', '',
    ].join('\n'));
    assert.equal(failures.length, 6, failures.join('\n\n'));
    assert.match(failures[2]!, /expected error matching .*\n\s+actual: success/);
    assert.match(failures[3]!, /actual error: 22P02 invalid input syntax for type integer/);
    assert.match(failures[4]!, /actual error: 22012 division by zero/);
  });

  it('skips onlyif records of another engine', async () => {
    const failures = await run(['onlyif freshet', 'statement ok', 'CREATE STREAM s (a int)', '', 'query I', 'SELECT 1', '----', '1', ''].join('\n'));
    assert.deepEqual(failures, []);
  });
});
