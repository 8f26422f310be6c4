/**
 * pg_catalog.pg_enum: enum labels. Freshet has no enum types: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgEnum = defineSystemTable('pg_catalog', 'pg_enum', 3501, 'r', [
  ['oid', T.oid, true],
  ['enumtypid', T.oid, true],
  ['enumsortorder', T.float4, true],
  ['enumlabel', T.name, true],
], () => []);
