/**
 * A long IN list (and any AND/OR of thousands of terms) compiles to flat code: it used to nest one
 * block per term, and V8 ran out of stack compiling an UPDATE ... WHERE id IN (2,000 values).
 */
import assert from 'node:assert/strict';
import { rows, run, withEngine } from './engine-harness.js';

describe('long IN lists and OR chains', function () {
  this.timeout(60_000);

  it('filters, updates and deletes with 2,500 listed keys, with PostgreSQL three-valued logic', async () => {
    await withEngine(async (s) => {
      await run(s, 'CREATE TABLE kv (id int PRIMARY KEY, v int)');
      await run(s, 'INSERT INTO kv SELECT i, i % 10 FROM generate_series(0, 1999) AS i');
      const ids = Array.from({ length: 2500 }, (_, i) => i * 3);
      // ids 0, 3, ..., 7497: the 667 of them below 2000 are rows of kv.
      assert.deepEqual(await rows(s, `SELECT count(*) FROM kv WHERE id IN (${ids.join(',')})`), [[667n]]);
      await run(s, `UPDATE kv SET v = -1 WHERE id IN (${ids.join(',')})`);
      assert.deepEqual(await rows(s, 'SELECT count(*) FROM kv WHERE v = -1'), [[667n]]);
      const ors = ids.map((id) => `id = ${id}`).join(' OR ');
      await run(s, `DELETE FROM kv WHERE ${ors}`);
      assert.deepEqual(await rows(s, 'SELECT count(*) FROM kv'), [[1333n]]);
      // NULL in the list: not found gives NULL (not false), found gives true.
      assert.deepEqual(await rows(s, `SELECT 7 IN (${ids.join(',')}, NULL), 9 IN (${ids.join(',')}, NULL)`), [[null, true]]);
      const ands = ids.map((id) => `id <> ${id}`).join(' AND ');
      assert.deepEqual(await rows(s, `SELECT count(*) FROM kv WHERE ${ands}`), [[1333n]]);
    });
  });
});
