/**
 * The acceptance corpus: the SQL psql 15 (\l, \dt, \d, \d t, \d+ t, \d v, \dv, \dn, \df, \di, \du)
 * and pgJDBC 42.5 (getTables, getColumns, getPrimaryKeys, getSchemas, getIndexInfo) send, captured
 * from a real PostgreSQL 15 server log into test/catalog/corpus/. Every pg_catalog /
 * information_schema relation those queries name must exist, every `alias.column` they use on one
 * must be a column of it, and every pg_catalog function they call that is the catalog's to provide
 * must be registered.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../server/catalog/functions/index.js';
import { Catalog } from '../../server/catalog/catalog.js';
import { builtinFunctions } from '../../server/functions/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
// Compiled tests run from dist/test/catalog; the corpus stays in the source tree.
const corpusDir = join(here, '..', '..', '..', 'test', 'corpus');

/** Functions the corpus calls that other modules provide (arrays, set-returning functions). */
const PROVIDED_ELSEWHERE = new Set(['array_to_string', 'generate_series', 'unnest', 'array_upper', '_pg_expandarray']);

/** Words that can follow a table reference where an alias would stand. */
const NOT_ALIASES = new Set(['on', 'where', 'left', 'right', 'join', 'inner', 'full', 'cross', 'order', 'group', 'union', 'limit', 'and', 'or', 'using']);

interface QueryRefs {
  readonly relations: { schema: string; name: string }[];
  readonly functions: string[];
  readonly columnRefs: { alias: string; column: string }[];
  readonly aliases: Map<string, Set<string>>;
}

function scan(sql: string): QueryRefs {
  const relations: QueryRefs['relations'] = [];
  const functions: string[] = [];
  const aliases = new Map<string, Set<string>>();
  const qualified = /(::\s*|COLLATE\s+|')?\b(pg_catalog|information_schema)\.(\w+)(\s*\()?(?:\s+(?:AS\s+)?(\w+))?/gi;
  for (const m of sql.matchAll(qualified)) {
    const [, castOrCollate, schema, name, call, alias] = m;
    if (castOrCollate) continue; // a type, a collation, or a name inside a string literal
    if (call) {
      functions.push(name!.toLowerCase());
      continue;
    }
    const rel = `${schema!.toLowerCase()}.${name!.toLowerCase()}`;
    relations.push({ schema: schema!.toLowerCase(), name: name!.toLowerCase() });
    if (alias && !NOT_ALIASES.has(alias.toLowerCase())) {
      const key = alias.toLowerCase();
      if (!aliases.has(key)) aliases.set(key, new Set());
      aliases.get(key)!.add(rel);
    }
  }
  // Unqualified catalog tables (pgJDBC writes `FROM pg_namespace as ns`) resolve in pg_catalog.
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(pg_\w+)\b(?!\.)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const name = m[1]!.toLowerCase();
    relations.push({ schema: 'pg_catalog', name });
    const alias = m[2]?.toLowerCase();
    if (alias && !NOT_ALIASES.has(alias)) {
      if (!aliases.has(alias)) aliases.set(alias, new Set());
      aliases.get(alias)!.add(`pg_catalog.${name}`);
    }
  }
  const columnRefs: QueryRefs['columnRefs'] = [];
  for (const m of sql.matchAll(/\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b/g)) {
    const alias = m[1]!.toLowerCase();
    if (aliases.has(alias)) columnRefs.push({ alias, column: m[2]!.toLowerCase() });
  }
  return { relations, functions, columnRefs, aliases };
}

describe('client catalog queries (corpus)', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.sql')).sort();
  const catalog = new Catalog();

  it('holds the captured queries', () => {
    for (const must of ['psql-l-1.sql', 'psql-dt-1.sql', 'psql-d-1.sql', 'psql-d-t-3.sql', 'jdbc-getTables.sql', 'jdbc-getColumns.sql', 'jdbc-getPrimaryKeys.sql']) {
      assert.ok(files.includes(must), must);
    }
  });

  for (const file of files) {
    describe(file, () => {
      const refs = scan(readFileSync(join(corpusDir, file), 'utf8'));

      it('names only system relations that exist', () => {
        for (const { schema, name } of refs.relations) {
          const rel = catalog.lookup(schema, name);
          assert.ok(rel, `${schema}.${name} is missing`);
          assert.equal(rel.kind, 'system');
        }
      });

      it('uses only columns those relations have', () => {
        for (const { alias, column } of refs.columnRefs) {
          const candidates = [...refs.aliases.get(alias)!].map((q) => {
            const [schema, name] = q.split('.') as [string, string];
            return catalog.lookup(schema, name)!;
          });
          const found = candidates.some((rel) => rel.columns.some((c) => c.name === column));
          assert.ok(found, `${alias}.${column}: no such column in ${candidates.map((c) => c.name).join(' or ')}`);
        }
      });

      it('calls only registered catalog functions', () => {
        for (const fn of refs.functions) {
          if (PROVIDED_ELSEWHERE.has(fn)) continue;
          assert.ok(builtinFunctions.has(fn), `function ${fn} is not registered`);
        }
      });
    });
  }

  it('the scanner sees aliases and columns (guards the checks above)', () => {
    const refs = scan(readFileSync(join(corpusDir, 'psql-d-t-4.sql'), 'utf8'));
    assert.deepEqual([...refs.aliases.get('i')!], ['pg_catalog.pg_index']);
    assert.ok(refs.columnRefs.some((r) => r.alias === 'i' && r.column === 'indisprimary'));
    assert.ok(refs.functions.includes('pg_get_constraintdef'));
  });
});
