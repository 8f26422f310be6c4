/**
 * node-postgres (`pg`) against Freshet and against PostgreSQL 15, with the same assertions on both:
 * parameters of each common type, the JS types pg's default parsers produce from the server's type
 * OIDs and text, named prepared statements, rowMode 'array', and errors with SQLSTATE and position.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { createDatabase, sharedPostgres } from '../support/postgres-server.js';
import { startFreshet, type FreshetServer } from '../support/freshet-server.js';

/** Type OIDs as PostgreSQL assigns them (pg_type.oid). */
const OID = { bool: 16, int8: 20, int4: 23, text: 25, float8: 701, date: 1082, timestamp: 1114, numeric: 1700 } as const;

interface Target {
  name: string;
  connect(): Promise<pg.Client>;
  stop(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const url = await createDatabase(await sharedPostgres(), 'node_pg_check', 'freshet');
  return { name: 'PostgreSQL', connect: () => connectTo(url), stop: async () => undefined };
}

async function freshetTarget(): Promise<Target> {
  const server: FreshetServer = await startFreshet();
  return { name: 'Freshet', connect: () => connectTo(server.url), stop: () => server.stop() };
}

async function connectTo(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function expectError(p: Promise<unknown>): Promise<pg.DatabaseError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof pg.DatabaseError, `expected a DatabaseError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the query to fail');
}

for (const makeTarget of [postgresTarget, freshetTarget]) {
  const engineName = makeTarget === postgresTarget ? 'PostgreSQL' : 'Freshet';

  describe(`node-postgres client against ${engineName}`, function () {
    this.timeout(60_000);
    let target: Target | null = null;
    let client: pg.Client;

    before(async () => {
      target = await makeTarget();
      client = await target.connect();
      await client.query(`CREATE TABLE npg_items (
        id int PRIMARY KEY, name text, price numeric(10,2), added timestamp, active boolean, big bigint, day date, ratio double precision)`);
    });

    after(async () => {
      await client?.end().catch(() => undefined);
      await target?.stop();
    });

    it('inserts with parameters typed from the target columns', async () => {
      const r = await client.query(
        'INSERT INTO npg_items (id, name, price, added, active, big, day, ratio) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [1, 'widget', '12.345', '2024-01-02 03:04:05.123', true, '9007199254740993', '2024-02-29', 0.5]);
      assert.equal(r.command, 'INSERT');
      assert.equal(r.rowCount, 1);
      const r2 = await client.query(
        'INSERT INTO npg_items (id, name, price, added, active, big) VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, NULL, NULL, $9, NULL)',
        [2, "it's", 0.5, new Date(2023, 11, 31, 23, 59, 58), false, -5, 3, '', null]);
      assert.equal(r2.rowCount, 2);
    });

    it('parses each column to the JS type pg gives for its OID', async () => {
      const r = await client.query('SELECT id, name, price, added, active, big, day, ratio FROM npg_items WHERE id = $1', [1]);
      assert.deepEqual(r.fields.map((f) => [f.name, f.dataTypeID]), [
        ['id', OID.int4], ['name', OID.text], ['price', OID.numeric], ['added', OID.timestamp],
        ['active', OID.bool], ['big', OID.int8], ['day', OID.date], ['ratio', OID.float8]]);
      const row = r.rows[0] as Record<string, unknown>;
      assert.strictEqual(row.id, 1);
      assert.strictEqual(row.name, 'widget');
      assert.strictEqual(row.price, '12.35', 'numeric(10,2) rounds and stays a string');
      assert.ok(row.added instanceof Date);
      assert.equal((row.added as Date).getTime(), new Date(2024, 0, 2, 3, 4, 5, 123).getTime(), 'timestamp is local time');
      assert.strictEqual(row.active, true);
      assert.strictEqual(row.big, '9007199254740993', 'int8 is a string by default, exact beyond 2^53');
      assert.ok(row.day instanceof Date);
      assert.equal((row.day as Date).getTime(), new Date(2024, 1, 29).getTime());
      assert.strictEqual(row.ratio, 0.5);
    });

    it('round-trips a Date parameter, an empty string and NULLs', async () => {
      const r = await client.query('SELECT id, name, price, added, active, big FROM npg_items WHERE id IN (2, 3) ORDER BY id');
      assert.equal(r.rows.length, 2);
      const [two, three] = r.rows as Array<Record<string, unknown>>;
      assert.equal((two!.added as Date).getTime(), new Date(2023, 11, 31, 23, 59, 58).getTime());
      assert.deepEqual([two!.name, two!.price, two!.active, two!.big], ["it's", '0.50', false, '-5']);
      assert.deepEqual([three!.name, three!.price, three!.added, three!.active, three!.big], ['', null, null, null, null]);
    });

    it('takes parameter types from casts in expressions', async () => {
      const r = await client.query('SELECT $1::int4 + 1 AS a, $2::int8 * 2 AS b, $3::numeric + 0.10 AS c, $4::bool AS d, $5::text || $6 AS e',
        [41, '4611686018427387903', '1.5', 'false', 'x', 'y']);
      assert.deepEqual(r.rows, [{ a: 42, b: '9223372036854775806', c: '1.60', d: false, e: 'xy' }]);
      const overflow = await expectError(client.query('SELECT $1::int8 * 2', ['4611686018427387904']));
      assert.equal(overflow.code, '22003');
    });

    it('runs named prepared statements many times', async () => {
      const insert = { name: 'npg_insert', text: 'INSERT INTO npg_items (id, name, big) VALUES ($1, $2, $3) RETURNING id, big' };
      for (let i = 10; i < 15; i++) {
        const r = await client.query({ ...insert, values: [i, `n${i}`, String(i) + '000000000000'] });
        assert.deepEqual(r.rows, [{ id: i, big: `${i}000000000000` }]);
      }
      const select = { name: 'npg_by_id', text: 'SELECT name FROM npg_items WHERE id = $1' };
      assert.deepEqual((await client.query({ ...select, values: [12] })).rows, [{ name: 'n12' }]);
      assert.deepEqual((await client.query({ ...select, values: [99] })).rows, []);
      const count = await client.query('SELECT count(*) AS n FROM npg_items WHERE id >= 10');
      assert.deepEqual(count.rows, [{ n: '5' }], 'count(*) is bigint, so a string');
    });

    it("returns arrays with rowMode 'array', keeping duplicate column names", async () => {
      const r = await client.query({ text: 'SELECT id, name, id * 2 AS id FROM npg_items WHERE id < 3 ORDER BY 1', rowMode: 'array' });
      assert.deepEqual(r.rows, [[1, 'widget', 2], [2, "it's", 4]]);
      assert.deepEqual(r.fields.map((f) => f.name), ['id', 'name', 'id']);
    });

    it('reports UPDATE and DELETE row counts', async () => {
      const u = await client.query('UPDATE npg_items SET active = $1 WHERE id >= $2', [true, 10]);
      assert.equal(u.command, 'UPDATE');
      assert.equal(u.rowCount, 5);
      const d = await client.query('DELETE FROM npg_items WHERE id >= 10');
      assert.equal(d.command, 'DELETE');
      assert.equal(d.rowCount, 5);
    });

    it('gives errors a SQLSTATE code and a position', async () => {
      const undefinedColumn = await expectError(client.query('SELECT nope FROM npg_items'));
      assert.equal(undefinedColumn.code, '42703');
      assert.equal(undefinedColumn.message, 'column "nope" does not exist');
      assert.equal(undefinedColumn.position, '8');
      const undefinedTable = await expectError(client.query('SELECT 1 FROM npg_missing'));
      assert.equal(undefinedTable.code, '42P01');
      assert.equal(undefinedTable.position, '15');
      const syntax = await expectError(client.query('SELECT FROM WHERE'));
      assert.equal(syntax.code, '42601');
      assert.equal(syntax.position, '13');
      const duplicate = await expectError(client.query('INSERT INTO npg_items (id) VALUES ($1)', [1]));
      assert.equal(duplicate.code, '23505');
      assert.equal(duplicate.constraint, 'npg_items_pkey');
      const badParam = await expectError(client.query('SELECT $1::int4', ['abc']));
      assert.equal(badParam.code, '22P02');
      const divide = await expectError(client.query('SELECT 1 / $1::int4', [0]));
      assert.equal(divide.code, '22012');
      // The connection is still usable after errors.
      assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
    });
  });
}
