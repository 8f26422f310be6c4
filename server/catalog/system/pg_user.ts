/**
 * pg_catalog.pg_user: the login roles, as PostgreSQL's view shows them: the one role.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { BOOTSTRAP_ROLE_OID } from './builtin.js';

export const pgUser = defineSystemTable('pg_catalog', 'pg_user', 12014, 'v', [
  ['usename', T.name, false],
  ['usesysid', T.oid, false],
  ['usecreatedb', T.bool, false],
  ['usesuper', T.bool, false],
  ['userepl', T.bool, false],
  ['usebypassrls', T.bool, false],
  ['passwd', T.text, false],
  ['valuntil', T.timestamptz, false],
  ['useconfig', arrayOf(T.text), false],
], (ctx, shape) => [
  shape.row({
    usename: ctx.user,
    usesysid: BOOTSTRAP_ROLE_OID,
    usecreatedb: true,
    usesuper: true,
    userepl: true,
    usebypassrls: true,
    passwd: '********',
    valuntil: null,
    useconfig: null,
  }),
]);
