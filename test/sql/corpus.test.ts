/**
 * Every statement real clients send at start-up and for metadata (psql 15 \l \dt \d \d t, pgJDBC
 * 42.7 getTables/getColumns/getPrimaryKeys), captured from PostgreSQL's statement log into
 * test/corpus/*.sql, parses without error into one statement.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStatements } from '../../server/sql/parse.js';

// dist/test/sql -> test/corpus in the source tree
const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'corpus');

describe('sql/parse: client query corpus', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.sql')).sort();
  it('has the captured files', () => assert.ok(files.length >= 45, `only ${files.length} files in ${corpusDir}`));
  for (const file of files) {
    it(file, () => {
      const parsed = parseStatements(readFileSync(join(corpusDir, file), 'utf8'));
      assert.equal(parsed.length, 1);
    });
  }
  it("psql's \\d query reads OPERATOR(pg_catalog.~) as ~ and drops COLLATE pg_catalog.default", () => {
    const [parsed] = parseStatements(readFileSync(join(corpusDir, 'psql-d-table-1.sql'), 'utf8'));
    const s = parsed!.statement;
    assert.ok(s.kind === 'query' && s.query.body.kind === 'select');
    const where = s.query.body.where;
    assert.ok(where?.kind === 'binary' && where.op === 'and');
    assert.ok(where.left.kind === 'binary' && where.left.op === '~');
    assert.deepEqual(where.left.right, { kind: 'literal', value: { type: 'string', value: '^(t)$' }, pos: where.left.right.pos });
  });
});
