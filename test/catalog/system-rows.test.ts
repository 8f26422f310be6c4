/**
 * System table rows for a catalog with a composite-key table, a stream and a view, compared with
 * what PostgreSQL 15 holds for the equivalent objects (values captured by hand from a real server
 * after the CREATE statements in fixture.ts; the stream was created there as a plain table).
 */
import assert from 'node:assert/strict';
import { systemTables } from '../../server/catalog/system/index.js';
import type { Datum } from '../../server/types/datum.js';
import type { SqlType } from '../../server/types/sql-type.js';
import { fixture } from './fixture.js';
import { pick, rowsOf } from './rows-helper.js';

describe('system table rows match PostgreSQL 15', () => {
  const { ctx, t, s, v } = fixture();
  const indexOid = t.primaryKeyIndexOid!;

  it('pg_class: table, primary key index, stream, view', () => {
    const byOid = new Map(rowsOf('pg_class', ctx).map((r) => [r.oid, r]));
    const keys = ['relname', 'relnamespace', 'relowner', 'relam', 'relkind', 'relnatts', 'relhasindex', 'relhasrules', 'relpersistence', 'relreplident', 'relpages', 'reltuples'];
    assert.deepEqual(pick(byOid.get(t.oid), keys), ['t', 2200, 10, 2, 'r', 5, true, false, 'p', 'd', 0, -1]);
    assert.deepEqual(pick(byOid.get(indexOid), keys), ['t_pkey', 2200, 10, 403, 'i', 2, false, false, 'p', 'n', 1, 0]);
    assert.deepEqual(pick(byOid.get(s.oid), keys), ['s', 2200, 10, 2, 'r', 2, false, false, 'p', 'd', 0, -1]);
    assert.deepEqual(pick(byOid.get(v.oid), keys), ['v', 2200, 10, 0, 'v', 2, false, true, 'p', 'n', 0, -1]);
    assert.deepEqual(pick(byOid.get(1259), ['relname', 'relnamespace', 'relkind']), ['pg_class', 11, 'r']);
    assert.deepEqual(pick(byOid.get(12104), ['relname', 'relkind']), ['pg_settings', 'v']);
  });

  it('pg_attribute: the table’s columns and the index’s', () => {
    const attrs = rowsOf('pg_attribute', ctx);
    const keys = ['attname', 'atttypid', 'attlen', 'attnum', 'attndims', 'atttypmod', 'attbyval', 'attalign', 'attstorage', 'attnotnull', 'atthasdef', 'attcollation', 'attisdropped'];
    assert.deepEqual(
      attrs.filter((a) => a.attrelid === t.oid).map((a) => pick(a, keys)),
      [
        ['a', 23, 4, 1, 0, -1, true, 'i', 'p', true, false, 0, false],
        ['b', 1043, -1, 2, 0, 24, false, 'i', 'x', true, false, 100, false],
        ['c', 1700, -1, 3, 0, 655366, false, 'i', 'm', false, true, 0, false],
        ['d', 1114, 8, 4, 0, -1, true, 'd', 'p', false, false, 0, false],
        ['e', 1009, -1, 5, 1, -1, false, 'i', 'x', false, false, 100, false],
      ],
    );
    assert.deepEqual(
      attrs.filter((a) => a.attrelid === indexOid).map((a) => pick(a, ['attname', 'attnum', 'attnotnull'])),
      [['a', 1, false], ['b', 2, false]],
    );
    assert.deepEqual(
      attrs.filter((a) => a.attrelid === v.oid).map((a) => pick(a, ['attname', 'atttypmod', 'attnotnull'])),
      [['a', -1, false], ['b', 24, false]],
    );
  });

  it('pg_attribute covers every column of every system table', () => {
    const attrs = rowsOf('pg_attribute', ctx);
    for (const table of systemTables()) {
      const names = attrs.filter((a) => a.attrelid === table.def.oid).map((a) => a.attname);
      assert.deepEqual(names, table.def.columns.map((c) => c.name), table.def.name);
    }
  });

  it('pg_attrdef: the default as text, which pg_get_expr prints', () => {
    const defs = rowsOf('pg_attrdef', ctx);
    assert.deepEqual(defs.map((d) => pick(d, ['adrelid', 'adnum', 'adbin'])), [[t.oid, 3, '0']]);
  });

  it('pg_index: the composite primary key', () => {
    const [index, ...more] = rowsOf('pg_index', ctx);
    assert.equal(more.length, 0);
    assert.deepEqual(
      pick(index, ['indexrelid', 'indrelid', 'indnatts', 'indnkeyatts', 'indisunique', 'indnullsnotdistinct', 'indisprimary', 'indisexclusion', 'indimmediate', 'indisclustered', 'indisvalid', 'indcheckxmin', 'indisready', 'indislive', 'indisreplident', 'indkey', 'indcollation', 'indclass', 'indoption', 'indexprs', 'indpred']),
      [indexOid, t.oid, 2, 2, true, false, true, false, true, false, true, false, true, true, false, [1, 2], [0, 100], [1978, 3126], [0, 0], null, null],
    );
  });

  it('pg_constraint: contype p with conkey', () => {
    const [con, ...more] = rowsOf('pg_constraint', ctx);
    assert.equal(more.length, 0);
    assert.deepEqual(
      pick(con, ['conname', 'connamespace', 'contype', 'condeferrable', 'condeferred', 'convalidated', 'conrelid', 'contypid', 'conindid', 'confrelid', 'confupdtype', 'conislocal', 'coninhcount', 'connoinherit', 'conkey']),
      ['t_pkey', 2200, 'p', false, false, true, t.oid, 0, indexOid, 0, ' ', true, 0, true, [1, 2]],
    );
  });

  it('pg_description marks the stream; pg_namespace lists the schemas', () => {
    const streamComment = rowsOf('pg_description', ctx).filter((d) => d.objoid === s.oid);
    assert.deepEqual(streamComment.map((d) => pick(d, ['classoid', 'objsubid', 'description'])), [[1259, 0, 'Freshet stream']]);
    assert.deepEqual(
      rowsOf('pg_namespace', ctx).map((n) => [n.oid, n.nspname]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      [[11, 'pg_catalog'], [99, 'pg_toast'], [2200, 'public'], [13207, 'information_schema']],
    );
  });

  it('pg_indexes, pg_tables, pg_views', () => {
    assert.deepEqual(
      rowsOf('pg_indexes', ctx).map((r) => pick(r, ['schemaname', 'tablename', 'indexname', 'tablespace', 'indexdef'])),
      [['public', 't', 't_pkey', null, 'CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a, b)']],
    );
    const tables = rowsOf('pg_tables', ctx).filter((r) => r.schemaname === 'public');
    assert.deepEqual(tables.map((r) => pick(r, ['tablename', 'tableowner', 'hasindexes', 'hasrules', 'hastriggers', 'rowsecurity'])), [
      ['t', 'freshet', true, false, false, false],
      ['s', 'freshet', false, false, false, false],
    ]);
    assert.deepEqual(rowsOf('pg_views', ctx).map((r) => pick(r, ['schemaname', 'viewname', 'viewowner'])), [['public', 'v', 'freshet']]);
  });

  it('information_schema.columns', () => {
    const cols = rowsOf('information_schema.columns', ctx).filter((r) => r.table_name === 't');
    const keys = ['table_catalog', 'table_schema', 'column_name', 'ordinal_position', 'column_default', 'is_nullable', 'data_type', 'character_maximum_length', 'character_octet_length', 'numeric_precision', 'numeric_precision_radix', 'numeric_scale', 'datetime_precision', 'udt_name', 'dtd_identifier', 'is_updatable'];
    assert.deepEqual(cols.map((c) => pick(c, keys)), [
      ['postgres', 'public', 'a', 1, null, 'NO', 'integer', null, null, 32, 2, 0, null, 'int4', '1', 'YES'],
      ['postgres', 'public', 'b', 2, null, 'NO', 'character varying', 20, 80, null, null, null, null, 'varchar', '2', 'YES'],
      ['postgres', 'public', 'c', 3, '0', 'YES', 'numeric', null, null, 10, 10, 2, null, 'numeric', '3', 'YES'],
      ['postgres', 'public', 'd', 4, null, 'YES', 'timestamp without time zone', null, null, null, null, null, 6, 'timestamp', '4', 'YES'],
      ['postgres', 'public', 'e', 5, null, 'YES', 'ARRAY', null, null, null, null, null, null, '_text', '5', 'YES'],
    ]);
  });

  it('information_schema.tables, table_constraints, key_column_usage, schemata, views', () => {
    const tables = rowsOf('information_schema.tables', ctx).filter((r) => r.table_schema === 'public');
    assert.deepEqual(tables.map((r) => pick(r, ['table_name', 'table_type', 'is_insertable_into', 'is_typed'])), [
      ['t', 'BASE TABLE', 'YES', 'NO'],
      ['s', 'BASE TABLE', 'YES', 'NO'],
      ['v', 'VIEW', 'NO', 'NO'],
    ]);
    const constraints = rowsOf('information_schema.table_constraints', ctx);
    assert.deepEqual(constraints.map((r) => pick(r, ['constraint_schema', 'constraint_name', 'table_name', 'constraint_type', 'is_deferrable', 'initially_deferred', 'enforced'])), [
      ['public', 't_pkey', 't', 'PRIMARY KEY', 'NO', 'NO', 'YES'],
      ['public', `2200_${t.oid}_1_not_null`, 't', 'CHECK', 'NO', 'NO', 'YES'],
      ['public', `2200_${t.oid}_2_not_null`, 't', 'CHECK', 'NO', 'NO', 'YES'],
    ]);
    assert.deepEqual(rowsOf('information_schema.key_column_usage', ctx).map((r) => pick(r, ['constraint_name', 'table_name', 'column_name', 'ordinal_position', 'position_in_unique_constraint'])), [
      ['t_pkey', 't', 'a', 1, null],
      ['t_pkey', 't', 'b', 2, null],
    ]);
    assert.deepEqual(rowsOf('information_schema.schemata', ctx).map((r) => r.schema_name).sort(), ['information_schema', 'pg_catalog', 'pg_toast', 'public']);
    assert.deepEqual(rowsOf('information_schema.views', ctx).map((r) => pick(r, ['table_name', 'view_definition', 'check_option'])), [['v', 'SELECT a, b FROM t', 'NONE']]);
  });

  it('pg_database, pg_roles, pg_settings follow the catalog and the session', () => {
    assert.deepEqual(rowsOf('pg_database', ctx).map((r) => pick(r, ['oid', 'datname', 'datdba', 'encoding', 'datlocprovider', 'datcollate'])), [[5, 'postgres', 10, 6, 'c', 'C.UTF-8']]);
    assert.deepEqual(rowsOf('pg_roles', ctx).map((r) => pick(r, ['rolname', 'rolsuper', 'rolcanlogin', 'oid'])), [['freshet', true, true, 10]]);
    const session = fixture({ timezone: 'Europe/Paris' });
    const tz = rowsOf('pg_settings', session.ctx).find((r) => r.name === 'TimeZone')!;
    assert.deepEqual(pick(tz, ['setting', 'source', 'boot_val']), ['Europe/Paris', 'session', 'UTC']);
    const dateStyle = rowsOf('pg_settings', ctx).find((r) => r.name === 'DateStyle')!;
    assert.deepEqual(pick(dateStyle, ['setting', 'source']), ['ISO, MDY', 'default']);
  });

  it('every datum is held as datum.ts says for its column type', () => {
    for (const table of systemTables()) {
      for (const row of rowsOf(`${table.def.schema}.${table.def.name}`, ctx)) {
        for (const c of table.def.columns) {
          const value = row[c.name];
          assert.ok(fits(c.type, value), `${table.def.name}.${c.name} (${c.type.kind}) holds ${String(value)}`);
          if (c.notNull) assert.notEqual(value, null, `${table.def.name}.${c.name} is NOT NULL`);
        }
      }
    }
  });
});

function fits(type: SqlType, value: Datum | undefined): boolean {
  if (value === null) return true;
  switch (type.kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'int2': case 'int4': case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace':
      return typeof value === 'number' && Number.isInteger(value) && (type.kind !== 'oid' || (value >= 0 && value <= 0xffffffff));
    case 'float4': case 'float8': case 'timestamptz': case 'timestamp': case 'date':
      return typeof value === 'number';
    case 'int8':
      return typeof value === 'bigint';
    case 'text': case 'varchar': case 'bpchar': case 'name': case 'json': case 'jsonb': case 'uuid':
      return typeof value === 'string';
    case 'char':
      return typeof value === 'string' && value.length <= 1;
    case 'int2vector': case 'oidvector':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'array':
      return Array.isArray(value) && value.every((v) => fits(type.element!, v));
    default:
      return false;
  }
}
