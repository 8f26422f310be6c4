/**
 * pg_catalog.pg_roles: pg_authid without the password, as PostgreSQL's view shows it.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { BOOTSTRAP_ROLE_OID } from './builtin.js';

export const pgRoles = defineSystemTable('pg_catalog', 'pg_roles', 12000, 'v', [
  ['rolname', T.name, false],
  ['rolsuper', T.bool, false],
  ['rolinherit', T.bool, false],
  ['rolcreaterole', T.bool, false],
  ['rolcreatedb', T.bool, false],
  ['rolcanlogin', T.bool, false],
  ['rolreplication', T.bool, false],
  ['rolconnlimit', T.int4, false],
  ['rolpassword', T.text, false],
  ['rolvaliduntil', T.timestamptz, false],
  ['rolbypassrls', T.bool, false],
  ['rolconfig', arrayOf(T.text), false],
  ['oid', T.oid, false],
], (ctx, shape) => [
  shape.row({
    rolname: ctx.user,
    rolsuper: true,
    rolinherit: true,
    rolcreaterole: true,
    rolcreatedb: true,
    rolcanlogin: true,
    rolreplication: true,
    rolconnlimit: -1,
    rolpassword: '********',
    rolvaliduntil: null,
    rolbypassrls: true,
    rolconfig: null,
    oid: BOOTSTRAP_ROLE_OID,
  }),
]);
