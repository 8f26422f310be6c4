/**
 * Every captured client catalog query (psql \d*, pgJDBC metadata) binds and runs through the
 * planner over the real system tables of a catalog fixture, without an error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../server/catalog/functions/index.js';
import '../../server/functions/index.js';
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import { systemRows } from '../../server/catalog/system/index.js';
import { builtinFunctions, type FunctionContext } from '../../server/functions/registry.js';
import { bindQuery, runQuery, type ExecContext } from '../../server/plan/api.js';
import { parseStatements } from '../../server/sql/parse.js';
import { fixture } from '../catalog/fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '..', '..', '..', 'test', 'corpus');

describe('planner runs the client catalog corpus', () => {
  const { catalog, ctx: sysCtx } = fixture();
  const fn: FunctionContext = { catalog, setting: (n) => sysCtx.setting(n), user: 'freshet', statementTime: Date.now() * 1000 };
  const exec: ExecContext = {
    catalog,
    functions: builtinFunctions,
    fn,
    scan: (rel) => (rel.kind === 'system' ? [ChangelogChunk.fromRows(rel.columns.length, systemRows(rel, sysCtx))] : []),
    checkCancel: () => {},
  };
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.sql')).sort()) {
    it(file, () => {
      const sql = readFileSync(join(corpusDir, file), 'utf8');
      const [parsed] = parseStatements(sql);
      const st = parsed!.statement;
      if (st.kind !== 'query') return;
      // A few captured statements read only the user table of the capture session (jdbc-prepared-select):
      // this test is about the catalog queries, which all name pg_catalog or information_schema objects.
      if (!/\bpg_|information_schema|current_(catalog|database)/.test(sql)) return;
      const params = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
      const bound = bindQuery(st.query, new Array(params.length ? Math.max(...params) : 0).fill(undefined), exec);
      let n = 0;
      for (const batch of runQuery(bound, bound.paramTypes.map(() => null), exec)) n += batch.length;
      assert.ok(n >= 0);
    });
  }
});
