/**
 * pg_catalog.pg_auth_members: role memberships. Freshet has one role, member of nothing: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgAuthMembers = defineSystemTable('pg_catalog', 'pg_auth_members', 1261, 'r', [
  ['roleid', T.oid, true],
  ['member', T.oid, true],
  ['grantor', T.oid, true],
  ['admin_option', T.bool, true],
], () => []);
