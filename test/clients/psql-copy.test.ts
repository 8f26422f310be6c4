/**
 * COPY ... FROM STDIN through psql's \copy, into a Freshet table and stream and into the same table on
 * PostgreSQL 15: text format (escapes, \N), CSV (quotes, embedded delimiters and newlines, HEADER),
 * and a bad row that makes the whole COPY fail with nothing loaded. Rows must match PostgreSQL's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sharedPostgres, createDatabase } from '../support/postgres-server.js';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';
import { PSQL_BINARY, psqlAvailable } from './psql-runner.js';

function psqlWithInput(url: string, command: string, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PSQL_BINARY, ['-X', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-d', url, '-c', command], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const SETUP = 'CREATE TABLE copy_items (id int PRIMARY KEY, name text, price numeric(8,2), seen timestamp)';
const TEXT_DATA = '1\tplain\t1.5\t2024-01-01 10:00:00\n2\ttab\\there\t\\N\t\\N\n3\tback\\\\slash\t0\t2024-02-29 23:59:59.5\n';
const CSV_DATA = 'id,name,price,seen\n4,"comma, inside",2,\n5,"line\nbreak",3.25,2024-03-01 00:00:00\n6,"say ""hi""",,\n';
const BAD_DATA = '7\tok\t1\t\\N\n8\tbad\tnot-a-number\t\\N\n';
const SELECT = "SELECT id, name, price, seen FROM copy_items ORDER BY id";

describe('COPY FROM STDIN with psql', function () {
  this.timeout(120_000);
  let freshet: FreshetServer | null = null;
  const outputs: Record<'postgres' | 'freshet', string[]> = { postgres: [], freshet: [] };

  before(async function () {
    if (!psqlAvailable()) this.skip();
    const pgServer = await sharedPostgres();
    const pgUrl = await createDatabase(pgServer, 'copy_check');
    freshet = await startFreshet();
    for (const [engine, url] of [['postgres', pgUrl], ['freshet', freshet.url]] as const) {
      const run = async (command: string, input = '') => {
        const r = await psqlWithInput(url, command, input);
        return `${r.code}|${r.stdout}|${r.stderr.replace(/^psql:[^\n]*?ERROR/m, 'ERROR').split('\n')[0]}`;
      };
      outputs[engine].push(await run(SETUP));
      outputs[engine].push(await run('\\copy copy_items from stdin', TEXT_DATA));
      outputs[engine].push(await run('\\copy copy_items from stdin with (format csv, header)', CSV_DATA));
      outputs[engine].push(await run('\\copy copy_items from stdin', BAD_DATA));
      outputs[engine].push(await run(SELECT));
    }
  });

  after(async () => {
    if (freshet !== null) await freshet.stop();
  });

  it('PostgreSQL loads the rows (checks the oracle itself)', () => {
    const [, text, csv, bad, rows] = outputs.postgres;
    assert.equal(text, '0|COPY 3\n|');
    assert.equal(csv, '0|COPY 3\n|');
    assert.match(bad!, /^1\|\|ERROR: {2}invalid input syntax for type numeric: "not-a-number"/);
    assert.match(rows!, /^0\|1\|plain\|1.50\|2024-01-01 10:00:00\n2\|tab\there\|\|\n/);
  });

  it('Freshet reports and stores exactly what PostgreSQL does', () => {
    assert.deepEqual(outputs.freshet, outputs.postgres);
  });

  it('a stream accepts COPY too', async () => {
    const url = freshet!.url;
    assert.equal((await psqlWithInput(url, 'CREATE STREAM copy_events (k int, v text)', '')).code, 0);
    const r = await psqlWithInput(url, '\\copy copy_events from stdin with (format csv)', '1,a\n1,a\n2,\n');
    assert.equal(r.stdout, 'COPY 3\n', r.stderr);
    const rows = await psqlWithInput(url, 'SELECT k, v FROM copy_events', '');
    assert.equal(rows.stdout, '1|a\n1|a\n2|\n');
  });
});
