/**
 * psql against Freshet, compared with psql against PostgreSQL 15 holding the same tables: plain queries
 * with `-A -t`, and the catalog commands \l, \dt, \d, \d <table>. Both servers are reached as user
 * `freshet` in a database named `freshet` (on PostgreSQL: a superuser role and a database it owns), so
 * owner and database names match without rewriting.
 *
 * The PostgreSQL database is created with LOCALE 'C.UTF-8' (code point order, as Freshet reports for its
 * database), so \l's Collate/Ctype columns are compared as they are, not rewritten.
 *
 * Normalizations (the only ones; everything else must match byte for byte):
 *  - \l: PostgreSQL lists every database of the cluster (postgres, template0, template1 and the
 *    databases of other test files); Freshet has its own set. Only the title, the header and the row of
 *    the database we are connected to (`freshet`) are compared, in unaligned mode so column widths set by
 *    other rows do not matter; the "(N rows)" footer is dropped for the same reason.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { sharedPostgres, type PostgresServer } from '../support/postgres-server.js';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';
import { psqlAvailable, runPsql } from './psql-runner.js';

const SETUP = [
  `CREATE TABLE psql_orders (region text, order_id int, amount numeric(10,2) NOT NULL, placed_at timestamp, note text, PRIMARY KEY (region, order_id))`,
  `CREATE TABLE psql_notes (body text, score bigint)`,
  `INSERT INTO psql_orders VALUES ('east', 2, 7.5, '2024-01-02 03:04:05', NULL), ('east', 1, 10.25, '2024-01-01 00:00:00', 'first'), ('west', 1, 3, NULL, '')`,
  `INSERT INTO psql_notes VALUES ('hello world', 9000000000)`,
];

const SELECT_ORDERS = 'SELECT region, order_id, amount, placed_at, note FROM psql_orders ORDER BY region, order_id';
const EXPECTED_SELECT = 'east|1|10.25|2024-01-01 00:00:00|first\neast|2|7.50|2024-01-02 03:04:05|\nwest|1|3.00||\n';

const CATALOG_COMMANDS = ['\\dt', '\\d', '\\d psql_orders', '\\d psql_notes'];

/** A fresh database `freshet` owned by role `freshet` in the C.UTF-8 locale; returns a URL connecting as `freshet`. */
async function createFreshetLikeDatabase(server: PostgresServer): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const role = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'freshet'");
    if (role.rowCount === 0) await admin.query('CREATE ROLE freshet LOGIN SUPERUSER');
    await admin.query('DROP DATABASE IF EXISTS freshet WITH (FORCE)');
    await admin.query("CREATE DATABASE freshet OWNER freshet TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'");
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.username = 'freshet';
  url.pathname = '/freshet';
  return url.toString();
}

/** The \l normalization described at the top of this file. */
function normalizeDatabaseList(unalignedOutput: string, database: string): string {
  const lines = unalignedOutput.split('\n');
  return lines.filter((line, i) => i < 2 || line.startsWith(`${database}|`)).join('\n');
}

async function psqlOk(url: string, command: string, extraArgs: readonly string[] = []): Promise<string> {
  const r = await runPsql(url, command, extraArgs);
  assert.equal(r.code, 0, `psql ${command} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  assert.equal(r.stderr, '', `psql ${command} wrote to stderr`);
  return r.stdout;
}

describe('psql client', function () {
  this.timeout(120_000);
  let pgUrl = '';
  let freshet: FreshetServer | null = null;
  /** Output of each command on PostgreSQL, the oracle. */
  const oracle = new Map<string, string>();

  before(async function () {
    if (!psqlAvailable()) this.skip();
    const pgServer = await sharedPostgres();
    pgUrl = await createFreshetLikeDatabase(pgServer);
    for (const sql of SETUP) await psqlOk(pgUrl, sql);
    oracle.set('select', await psqlOk(pgUrl, SELECT_ORDERS, ['-A', '-t']));
    oracle.set('\\l', normalizeDatabaseList(await psqlOk(pgUrl, '\\l', ['-A']), 'freshet'));
    for (const c of CATALOG_COMMANDS) oracle.set(c, await psqlOk(pgUrl, c));
  });

  after(async () => {
    if (freshet !== null) await freshet.stop();
  });

  it('PostgreSQL gives the expected rows (checks the oracle itself)', () => {
    assert.equal(oracle.get('select'), EXPECTED_SELECT);
    assert.match(oracle.get('\\d psql_orders')!, /"psql_orders_pkey" PRIMARY KEY, btree \(region, order_id\)/);
    assert.match(oracle.get('\\l')!, /^List of databases\nName\|Owner\|Encoding\|.*\nfreshet\|freshet\|UTF8\|C\.UTF-8\|C\.UTF-8\|/);
  });

  describe('against Freshet', () => {
    let url = '';
    before(async () => {
      freshet = await startFreshet();
      url = freshet.url;
      for (const sql of SETUP) await psqlOk(url, sql);
    });

    it('returns the same rows with -A -t', async () => {
      assert.equal(await psqlOk(url, SELECT_ORDERS, ['-A', '-t']), EXPECTED_SELECT);
    });

    it('reports the command tag of an INSERT', async () => {
      assert.equal(await psqlOk(url, "INSERT INTO psql_notes VALUES ('x', 1), ('y', 2)"), 'INSERT 0 2\n');
      assert.equal(await psqlOk(url, "DELETE FROM psql_notes WHERE body IN ('x', 'y')"), 'DELETE 2\n');
    });

    it('shows an error with its message on stderr', async () => {
      const r = await runPsql(url, 'SELECT * FROM psql_missing');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /ERROR: {2}relation "psql_missing" does not exist/);
    });

    it('\\l lists the database as PostgreSQL does (normalized, see top of file)', async () => {
      assert.equal(normalizeDatabaseList(await psqlOk(url, '\\l', ['-A']), 'freshet'), oracle.get('\\l'));
    });

    for (const command of CATALOG_COMMANDS) {
      it(`${command} prints what PostgreSQL prints`, async () => {
        assert.equal(await psqlOk(url, command), oracle.get(command));
      });
    }
  });
});
