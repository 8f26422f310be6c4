/**
 * reg* text I/O against the live catalog; expectations follow PostgreSQL 15 ('pg_class'::regclass
 * is 1259, 0::regclass is '-', an unknown oid prints as its number, 'array_in'::regproc is 750).
 */
import assert from 'node:assert/strict';
import { parseQualifiedName, regclassIn, regclassOut, regnamespaceIn, regnamespaceOut, regprocIn, regprocOut, regtypeIn, regtypeOut } from '../../server/catalog/regnames.js';
import { Catalog } from '../../server/catalog/catalog.js';
import { SqlError } from '../../server/errors.js';
import { T } from '../../server/types/sql-type.js';
import { column, fixture } from './fixture.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SqlError) return e.code;
    throw e;
  }
  return 'no error';
};

describe('reg* names', () => {
  const { catalog, t } = fixture();

  it('parses qualified and quoted names', () => {
    assert.deepEqual(parseQualifiedName('Pg_Catalog.PG_CLASS'), ['pg_catalog', 'pg_class']);
    assert.deepEqual(parseQualifiedName('"My Table"'), ['My Table']);
    assert.deepEqual(parseQualifiedName('"a.b"."c""d"'), ['a.b', 'c"d']);
    assert.equal(parseQualifiedName('a..b'), undefined);
    assert.equal(parseQualifiedName('"open'), undefined);
  });

  it('regclass', () => {
    assert.equal(regclassIn('pg_class', catalog), 1259);
    assert.equal(regclassIn('pg_catalog.pg_class', catalog), 1259);
    assert.equal(regclassIn('"pg_class"', catalog), 1259);
    assert.equal(regclassIn('T', catalog), t.oid);
    assert.equal(regclassIn('public.t_pkey', catalog), t.primaryKeyIndexOid);
    assert.equal(regclassIn('16384', catalog), 16384);
    assert.equal(code(() => regclassIn('nope', catalog)), '42P01');
    assert.equal(code(() => regclassIn('tables', catalog)), '42P01');
    assert.equal(regclassIn('information_schema.tables', catalog), 13425);
    assert.equal(regclassOut(1259, catalog), 'pg_class');
    assert.equal(regclassOut(t.oid, catalog), 't');
    assert.equal(regclassOut(t.primaryKeyIndexOid!, catalog), 't_pkey');
    assert.equal(regclassOut(13425, catalog), 'information_schema.tables');
    assert.equal(regclassOut(0, catalog), '-');
    assert.equal(regclassOut(123456, catalog), '123456');
    assert.equal(regclassOut(t.oid, catalog, ['elsewhere']), 'public.t');
  });

  it('regclass quotes names that need it and qualifies a shadowed relation', () => {
    const c = new Catalog();
    const odd = c.create({ schema: 'public', name: 'My Table', kind: 'table', columns: [column('a', T.int4, 1)], primaryKey: [], options: {} });
    assert.equal(regclassOut(odd.oid, c), '"My Table"');
    assert.equal(regclassIn('"My Table"', c), odd.oid);
    const shadowed = c.create({ schema: 'public', name: 'pg_type', kind: 'table', columns: [column('a', T.int4, 1)], primaryKey: [], options: {} });
    assert.equal(regclassOut(shadowed.oid, c), 'public.pg_type');
  });

  it('regtype', () => {
    assert.equal(regtypeIn('integer'), 23);
    assert.equal(regtypeIn('character varying(3)'), 1043);
    assert.equal(regtypeIn('text[]'), 1009);
    assert.equal(code(() => regtypeIn('nope')), '42704');
    assert.equal(regtypeOut(1042), 'character');
    assert.equal(regtypeOut(1009), 'text[]');
    assert.equal(regtypeOut(0), '-');
  });

  it('regproc', () => {
    assert.equal(regprocIn('array_in'), 750);
    assert.equal(regprocIn('pg_catalog.array_in'), 750);
    assert.equal(regprocIn('-'), 0);
    assert.equal(regprocOut(750), 'array_in');
    assert.equal(regprocOut(0), '-');
    assert.equal(code(() => regprocIn('no_such_function')), '42883');
  });

  it('regnamespace', () => {
    assert.equal(regnamespaceIn('public', catalog), 2200);
    assert.equal(regnamespaceOut(11, catalog), 'pg_catalog');
    assert.equal(code(() => regnamespaceIn('nope', catalog)), '3F000');
  });
});
