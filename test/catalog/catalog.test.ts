/**
 * The live catalog: oid allocation, DDL, name resolution along the search path, system tables
 * resolving but not listed, snapshot round trips, and PostgreSQL's SQLSTATEs for mistakes.
 */
import assert from 'node:assert/strict';
import { Catalog } from '../../server/catalog/catalog.js';
import { FIRST_USER_OID } from '../../server/catalog/model.js';
import { SqlError } from '../../server/errors.js';
import { T } from '../../server/types/sql-type.js';
import { column, fixture } from './fixture.js';

function sqlstate(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SqlError) return e.code;
    throw e;
  }
  assert.fail('expected a SqlError');
}

const plainTable = (name: string, schema = 'public') => ({
  schema,
  name,
  kind: 'table' as const,
  columns: [column('id', T.int4, 1, true), column('v', T.text, 2)],
  primaryKey: [0],
  options: {},
});

describe('Catalog', () => {
  it('allocates oids from FIRST_USER_OID, including the primary key index and constraint', () => {
    const { t, s, v } = fixture();
    assert.equal(t.oid, FIRST_USER_OID);
    assert.equal(t.primaryKeyIndexOid, FIRST_USER_OID + 1);
    assert.equal(t.primaryKeyConstraintOid, FIRST_USER_OID + 2);
    assert.equal(t.primaryKeyName, 't_pkey');
    assert.equal(s.oid, FIRST_USER_OID + 3);
    assert.equal(s.primaryKeyIndexOid, undefined);
    assert.equal(v.oid, FIRST_USER_OID + 4);
    assert.ok(Object.isFrozen(t));
  });

  it('lists user relations only, but resolves system tables by name and oid', () => {
    const { catalog } = fixture();
    assert.deepEqual(catalog.relations().map((r) => r.name), ['t', 's', 'v']);
    assert.equal(catalog.lookup(undefined, 'pg_class')?.oid, 1259);
    assert.equal(catalog.lookup('pg_catalog', 'pg_class')?.oid, 1259);
    assert.equal(catalog.byOid(1259)?.kind, 'system');
    assert.equal(catalog.lookup(undefined, 'tables'), undefined, 'information_schema is searched only when named');
    assert.equal(catalog.lookup('information_schema', 'tables')?.schema, 'information_schema');
    assert.equal(catalog.lookup(undefined, 't')?.name, 't');
    assert.equal(catalog.lookup('public', 't')?.name, 't');
    assert.equal(catalog.lookup('other', 't'), undefined);
  });

  it('searches pg_catalog before the search path, unless the path places it', () => {
    const catalog = new Catalog();
    const mine = catalog.create(plainTable('pg_class'));
    assert.equal(catalog.lookup(undefined, 'pg_class')?.oid, 1259);
    assert.equal(catalog.lookup(undefined, 'pg_class', ['public', 'pg_catalog'])?.oid, mine.oid);
    assert.equal(catalog.lookup('public', 'pg_class')?.oid, mine.oid);
    const other = catalog.create(plainTable('x', 'sales'));
    assert.equal(catalog.lookup(undefined, 'x'), undefined);
    assert.equal(catalog.lookup(undefined, 'x', ['sales', 'public'])?.oid, other.oid);
  });

  it('rejects duplicates (42P07), including a name taken by a primary key index', () => {
    const { catalog } = fixture();
    assert.equal(sqlstate(() => catalog.create(plainTable('t'))), '42P07');
    assert.equal(sqlstate(() => catalog.create(plainTable('t_pkey'))), '42P07');
    assert.equal(sqlstate(() => catalog.create(plainTable('pg_class', 'pg_catalog'))), '42501');
    const dupColumns = { ...plainTable('w'), columns: [column('a', T.int4, 1), column('a', T.text, 2)] };
    assert.equal(sqlstate(() => catalog.create(dupColumns)), '42701');
  });

  it('names a clashing primary key index as PostgreSQL does (t_pkey1)', () => {
    const catalog = new Catalog();
    catalog.create({ ...plainTable('u_pkey'), primaryKey: [] });
    assert.equal(catalog.create(plainTable('u')).primaryKeyName, 'u_pkey1');
  });

  it('drops, renames and renames columns', () => {
    const { catalog, t, s } = fixture();
    const renamed = catalog.rename(t.oid, 't2');
    assert.equal(renamed.name, 't2');
    assert.equal(renamed.primaryKeyName, 't_pkey', 'the index keeps its name, as in PostgreSQL');
    assert.equal(catalog.lookup(undefined, 't'), undefined);
    assert.equal(catalog.lookup(undefined, 't2')?.oid, t.oid);
    assert.equal(catalog.byOid(t.oid)?.name, 't2');
    assert.equal(sqlstate(() => catalog.rename(t.oid, 's')), '42P07');

    const withColumn = catalog.renameColumn(s.oid, 'x', 'x2');
    assert.deepEqual(withColumn.columns.map((c) => c.name), ['x2', 'y']);
    assert.equal(withColumn.columns[0]!.attnum, 1);
    assert.equal(sqlstate(() => catalog.renameColumn(s.oid, 'nope', 'z')), '42703');
    assert.equal(sqlstate(() => catalog.renameColumn(s.oid, 'y', 'x2')), '42701');

    catalog.drop(s.oid);
    assert.equal(catalog.byOid(s.oid), undefined);
    assert.equal(catalog.lookup(undefined, 's'), undefined);
    assert.equal(sqlstate(() => catalog.drop(s.oid)), '42P01');
    assert.equal(sqlstate(() => catalog.drop(1259)), '42501');
    assert.equal(sqlstate(() => catalog.resolve(undefined, 's')), '42P01');
  });

  it('round-trips through a snapshot without reusing oids', () => {
    const { catalog, t } = fixture();
    const dropped = catalog.create(plainTable('gone'));
    catalog.drop(dropped.oid);
    const restored = Catalog.fromSnapshot(catalog.snapshot());
    assert.deepEqual(restored.relations(), catalog.relations());
    assert.equal(restored.lookup(undefined, 't')?.primaryKeyIndexOid, t.primaryKeyIndexOid);
    const next = restored.create(plainTable('fresh'));
    assert.ok(next.oid > dropped.oid + 2, 'a dropped relation’s oids are not handed out again');
    assert.equal(sqlstate(() => restored.create(plainTable('t_pkey'))), '42P07');
  });

  it('gives primary key objects to relations from snapshots that lack them', () => {
    const legacy = { ...plainTable('old'), oid: 20000 };
    const restored = Catalog.fromSnapshot({ relations: [legacy], nextOid: 20001 });
    const rel = restored.lookup(undefined, 'old')!;
    assert.equal(rel.primaryKeyIndexOid, 20001);
    assert.equal(rel.primaryKeyConstraintOid, 20002);
    assert.equal(restored.create(plainTable('newer')).oid, 20003);
  });
});
