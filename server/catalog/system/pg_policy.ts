/**
 * pg_catalog.pg_policy: row security policies. Freshet has none: always empty (psql \d reads it).
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgPolicy = defineSystemTable('pg_catalog', 'pg_policy', 3256, 'r', [
  ['oid', T.oid, true],
  ['polname', T.name, true],
  ['polrelid', T.oid, true],
  ['polcmd', T.char, true],
  ['polpermissive', T.bool, true],
  ['polroles', arrayOf(T.oid), true],
  ['polqual', T.text, false],
  ['polwithcheck', T.text, false],
], () => []);
