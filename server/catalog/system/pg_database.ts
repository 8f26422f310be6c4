/**
 * pg_catalog.pg_database: the one database Freshet serves, named by the catalog (UTF8, C.UTF-8).
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable, XID } from './system-table.js';
import { BOOTSTRAP_ROLE_OID, DATABASE_OID, UTF8_ENCODING } from './builtin.js';

export const pgDatabase = defineSystemTable('pg_catalog', 'pg_database', 1262, 'r', [
  ['oid', T.oid, true],
  ['datname', T.name, true],
  ['datdba', T.oid, true],
  ['encoding', T.int4, true],
  ['datlocprovider', T.char, true],
  ['datistemplate', T.bool, true],
  ['datallowconn', T.bool, true],
  ['datconnlimit', T.int4, true],
  ['datfrozenxid', XID, true],
  ['datminmxid', XID, true],
  ['dattablespace', T.oid, true],
  ['datcollate', T.text, true],
  ['datctype', T.text, true],
  ['daticulocale', T.text, false],
  ['datcollversion', T.text, false],
  ['datacl', arrayOf(T.text), false],
], (ctx, shape) => [
  shape.row({
    oid: DATABASE_OID,
    datname: ctx.catalog.databaseName,
    datdba: BOOTSTRAP_ROLE_OID,
    encoding: UTF8_ENCODING,
    datlocprovider: 'c',
    datistemplate: false,
    datallowconn: true,
    datconnlimit: -1,
    datfrozenxid: 0,
    datminmxid: 1,
    dattablespace: 1663,
    datcollate: 'C.UTF-8',
    datctype: 'C.UTF-8',
    daticulocale: null,
    datcollversion: null,
    datacl: null,
  }),
]);
