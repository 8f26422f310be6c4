/**
 * pg_catalog.pg_range: range types. Freshet has none: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgRange = defineSystemTable('pg_catalog', 'pg_range', 3541, 'r', [
  ['rngtypid', T.oid, true],
  ['rngsubtype', T.oid, true],
  ['rngmultitypid', T.oid, true],
  ['rngcollation', T.oid, true],
  ['rngsubopc', T.oid, true],
  ['rngcanonical', T.regproc, true],
  ['rngsubdiff', T.regproc, true],
], () => []);
