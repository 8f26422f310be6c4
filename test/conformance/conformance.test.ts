/**
 * Runs every conformance/*.slt file twice: against a fresh database on a real PostgreSQL 15 (the oracle:
 * a file PostgreSQL rejects is a wrong file) and against a fresh Freshet server with its own data dir.
 * Engine names for skipif/onlyif: `postgres` and `freshet`. Filter with mocha --grep <file name>.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase, sharedPostgres } from '../support/postgres-server.js';
import { repoRoot, startFreshet } from '../support/freshet-server.js';
import { runSltFile, type SltReport } from '../support/slt.js';

const conformanceDir = path.join(repoRoot, 'conformance');
const files = fs.existsSync(conformanceDir)
  ? fs.readdirSync(conformanceDir).filter((f) => f.endsWith('.slt')).sort()
  : [];

function assertPassed(report: SltReport): void {
  if (report.failures.length > 0) {
    assert.fail(`${report.failures.length} failure(s) on ${report.engine}:\n\n${report.failures.join('\n\n')}`);
  }
}

describe('conformance (sqllogictest over the wire)', function () {
  this.timeout(120_000);

  it('has conformance files', () => {
    assert.ok(files.length > 0, `no .slt files in ${conformanceDir}`);
  });

  for (const file of files) {
    const fullPath = path.join(conformanceDir, file);
    const dbName = `slt_${file.replace(/\.slt$/, '').replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;

    describe(file, () => {
      it('passes on PostgreSQL', async () => {
        const pgServer = await sharedPostgres();
        const url = await createDatabase(pgServer, dbName);
        assertPassed(await runSltFile(fullPath, { engine: 'postgres', connection: url }));
      });

      it('passes on Freshet', async () => {
        const freshet = await startFreshet();
        try {
          assertPassed(await runSltFile(fullPath, { engine: 'freshet', connection: freshet.url }));
        } finally {
          await freshet.stop();
        }
      });
    });
  }
});
