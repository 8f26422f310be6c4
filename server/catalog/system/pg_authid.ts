/**
 * pg_catalog.pg_authid: the one role (oid 10), named after the session user: a superuser that can do everything.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { BOOTSTRAP_ROLE_OID } from './builtin.js';

export const pgAuthid = defineSystemTable('pg_catalog', 'pg_authid', 1260, 'r', [
  ['oid', T.oid, true],
  ['rolname', T.name, true],
  ['rolsuper', T.bool, true],
  ['rolinherit', T.bool, true],
  ['rolcreaterole', T.bool, true],
  ['rolcreatedb', T.bool, true],
  ['rolcanlogin', T.bool, true],
  ['rolreplication', T.bool, true],
  ['rolbypassrls', T.bool, true],
  ['rolconnlimit', T.int4, true],
  ['rolpassword', T.text, false],
  ['rolvaliduntil', T.timestamptz, false],
], (ctx, shape) => [
  shape.row({
    oid: BOOTSTRAP_ROLE_OID,
    rolname: ctx.user,
    rolsuper: true,
    rolinherit: true,
    rolcreaterole: true,
    rolcreatedb: true,
    rolcanlogin: true,
    rolreplication: true,
    rolbypassrls: true,
    rolconnlimit: -1,
    rolpassword: null,
    rolvaliduntil: null,
  }),
]);
