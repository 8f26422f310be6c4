/**
 * The catalog functions, called through builtinFunctions as the executor calls them. Expected
 * texts were checked against PostgreSQL 15 (pg_get_indexdef, pg_get_constraintdef, quote_ident,
 * pg_size_pretty, current_schemas, obj_description, pg_get_userbyid, pg_encoding_to_char).
 */
import assert from 'node:assert/strict';
import '../../server/catalog/functions/index.js';
import type { SettingWriter } from '../../server/catalog/functions/settings.js';
import { builtinFunctions, type FunctionContext } from '../../server/functions/registry.js';
import { SqlError } from '../../server/errors.js';
import type { Datum } from '../../server/types/datum.js';
import { T, type SqlType } from '../../server/types/sql-type.js';
import { fixture } from './fixture.js';

function contextOf(settings: Record<string, string> = {}): FunctionContext & SettingWriter & { fx: ReturnType<typeof fixture> } {
  const fx = fixture();
  return {
    fx,
    catalog: fx.catalog,
    setting: (name) => settings[name],
    setSetting: (name, value) => {
      settings[name] = value;
    },
    user: 'freshet',
    statementTime: 1_700_000_000_000_000,
  };
}

function call(ctx: FunctionContext, name: string, args: readonly [SqlType, Datum][]): Datum {
  const resolved = builtinFunctions.resolve(name, args.map(([t]) => t));
  assert.ok(resolved, `${name}(${args.map(([t]) => t.kind).join(', ')}) does not resolve`);
  if (resolved.def.strict && args.some(([, v]) => v === null)) return null;
  return resolved.def.impl(args.map(([, v]) => v), ctx, resolved.signature);
}

describe('catalog functions', () => {
  const ctx = contextOf();
  const { t, s, v } = ctx.fx;
  const index = t.primaryKeyIndexOid!;
  const constraint = t.primaryKeyConstraintOid!;

  it('format_type, including a NULL typmod', () => {
    assert.equal(call(ctx, 'format_type', [[T.oid, 1043], [T.int4, 24]]), 'character varying(20)');
    assert.equal(call(ctx, 'format_type', [[T.oid, 1042], [T.int4, null]]), 'character');
    assert.equal(call(ctx, 'format_type', [[T.oid, null], [T.int4, 1]]), null);
  });

  it('pg_get_indexdef / pg_get_constraintdef / pg_get_expr / pg_get_viewdef', () => {
    assert.equal(call(ctx, 'pg_get_indexdef', [[T.oid, index], [T.int4, 0], [T.bool, true]]), 'CREATE UNIQUE INDEX t_pkey ON t USING btree (a, b)');
    assert.equal(call(ctx, 'pg_get_indexdef', [[T.oid, index]]), 'CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a, b)');
    assert.equal(call(ctx, 'pg_get_indexdef', [[T.oid, index], [T.int4, 1], [T.bool, false]]), 'a');
    assert.equal(call(ctx, 'pg_get_indexdef', [[T.oid, index], [T.int4, 2], [T.bool, true]]), 'b');
    assert.equal(call(ctx, 'pg_get_constraintdef', [[T.oid, constraint], [T.bool, true]]), 'PRIMARY KEY (a, b)');
    assert.equal(call(ctx, 'pg_get_constraintdef', [[T.oid, 1]]), null);
    assert.equal(call(ctx, 'pg_get_expr', [[T.text, '0'], [T.oid, t.oid], [T.bool, true]]), '0');
    assert.equal(call(ctx, 'pg_get_viewdef', [[T.oid, v.oid], [T.bool, true]]), 'SELECT a, b FROM t');
    assert.equal(call(ctx, 'pg_get_partkeydef', [[T.oid, t.oid]]), null);
  });

  it('visibility', () => {
    assert.equal(call(ctx, 'pg_table_is_visible', [[T.oid, t.oid]]), true);
    assert.equal(call(ctx, 'pg_table_is_visible', [[T.oid, index]]), true);
    assert.equal(call(ctx, 'pg_table_is_visible', [[T.oid, 1259]]), true);
    assert.equal(call(ctx, 'pg_table_is_visible', [[T.oid, 13295]]), false, 'information_schema.columns is not on the path');
    const elsewhere = contextOf({ search_path: 'nothing_here' });
    assert.equal(call(elsewhere, 'pg_table_is_visible', [[T.oid, elsewhere.fx.t.oid]]), false);
    assert.equal(call(ctx, 'pg_type_is_visible', [[T.oid, 23]]), true);
  });

  it('session information', () => {
    assert.equal(call(ctx, 'current_user', []), 'freshet');
    assert.equal(call(ctx, 'current_database', []), 'postgres');
    assert.deepEqual(call(ctx, 'current_schemas', [[T.bool, true]]), ['pg_catalog', 'public']);
    assert.deepEqual(call(ctx, 'current_schemas', [[T.bool, false]]), ['public']);
    assert.equal(call(ctx, 'current_schema', []), 'public');
    assert.match(call(ctx, 'version', []) as string, /^PostgreSQL 15\.\d+ \(Freshet \d+\.\d+\.\d+\) on /);
    assert.equal(call(ctx, 'pg_get_userbyid', [[T.oid, 10]]), 'freshet');
    assert.equal(call(ctx, 'pg_get_userbyid', [[T.oid, 999]]), 'unknown (OID=999)');
    assert.equal(call(ctx, 'pg_encoding_to_char', [[T.int4, 6]]), 'UTF8');
    assert.equal(call(ctx, 'pg_encoding_to_char', [[T.int4, 99]]), '');
    assert.equal(call(ctx, 'pg_is_in_recovery', []), false);
    assert.equal(call(ctx, 'inet_server_addr', []), null);
    assert.equal(typeof call(ctx, 'pg_backend_pid', []), 'number');
    assert.ok((call(ctx, 'pg_postmaster_start_time', []) as number) <= Date.now() * 1000);
  });

  it('privileges are granted on what exists and fail on what does not', () => {
    assert.equal(call(ctx, 'has_table_privilege', [[T.text, 't'], [T.text, 'SELECT']]), true);
    assert.equal(call(ctx, 'has_table_privilege', [[T.oid, t.oid], [T.text, 'SELECT']]), true);
    assert.equal(call(ctx, 'has_table_privilege', [[T.name, 'freshet'], [T.text, 'public.t'], [T.text, 'INSERT']]), true);
    assert.throws(() => call(ctx, 'has_table_privilege', [[T.text, 'nope'], [T.text, 'SELECT']]), (e: unknown) => e instanceof SqlError && e.code === '42P01');
    assert.equal(call(ctx, 'has_schema_privilege', [[T.text, 'public'], [T.text, 'USAGE']]), true);
    assert.equal(call(ctx, 'has_database_privilege', [[T.text, 'postgres'], [T.text, 'CONNECT']]), true);
  });

  it('quote_ident matches PostgreSQL', () => {
    const inputs = ['abc', 'Abc', 'a b', 'select', 'user', 'name', 'text', 'a"b', '_x1', '1a', 'int', 'c$d'];
    const expected = 'abc "Abc" "a b" "select" "user" name text "a""b" _x1 "1a" "int" "c$d"';
    assert.equal(inputs.map((i) => call(ctx, 'quote_ident', [[T.text, i]])).join(' '), expected);
  });

  it('descriptions', () => {
    assert.equal(call(ctx, 'obj_description', [[T.oid, s.oid], [T.name, 'pg_class']]), 'Freshet stream');
    assert.equal(call(ctx, 'obj_description', [[T.oid, t.oid], [T.name, 'pg_class']]), null);
    assert.equal(call(ctx, 'obj_description', [[T.oid, 2200], [T.name, 'pg_namespace']]), 'standard public schema');
    assert.equal(call(ctx, 'col_description', [[T.oid, t.oid], [T.int4, 1]]), null);
    assert.equal(call(ctx, 'shobj_description', [[T.oid, 5], [T.name, 'pg_database']]), 'default administrative connection database');
  });

  it('sizes and pg_size_pretty', () => {
    assert.equal(call(ctx, 'pg_relation_size', [[T.regclass, t.oid]]), 0n);
    assert.equal(call(ctx, 'pg_total_relation_size', [[T.regclass, 424242]]), null);
    const sizes = [0n, 10239n, 10240n, 1048575n, 10485760n, 20971519n, 20971520n, 107374182400n, -10240n];
    const pretty = sizes.map((n) => call(ctx, 'pg_size_pretty', [[T.int8, n]]));
    assert.deepEqual(pretty, ['0 bytes', '10239 bytes', '10 kB', '1024 kB', '10 MB', '20 MB', '20 MB', '100 GB', '-10 kB']);
  });

  it('current_setting and set_config', () => {
    const session = contextOf({ timezone: 'Asia/Tokyo' });
    assert.equal(call(session, 'current_setting', [[T.text, 'TimeZone']]), 'Asia/Tokyo');
    assert.equal(call(session, 'current_setting', [[T.text, 'server_version_num']]), '150000');
    assert.equal(call(session, 'current_setting', [[T.text, 'no.such'], [T.bool, true]]), null);
    assert.throws(() => call(session, 'current_setting', [[T.text, 'no_such']]), (e: unknown) => e instanceof SqlError && e.code === '42704');
    assert.equal(call(session, 'set_config', [[T.text, 'application_name'], [T.text, 'psql'], [T.bool, false]]), 'psql');
    assert.equal(call(session, 'current_setting', [[T.text, 'application_name']]), 'psql');
  });

  it('to_regclass / to_regtype give NULL for unknown names', () => {
    assert.equal(call(ctx, 'to_regclass', [[T.text, 't']]), t.oid);
    assert.equal(call(ctx, 'to_regclass', [[T.text, 'nope']]), null);
    assert.equal(call(ctx, 'to_regtype', [[T.text, 'integer']]), 23);
    assert.equal(call(ctx, 'to_regtype', [[T.text, 'nope']]), null);
  });
});
