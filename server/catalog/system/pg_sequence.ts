/**
 * pg_catalog.pg_sequence: sequences. Freshet has none: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgSequence = defineSystemTable('pg_catalog', 'pg_sequence', 2224, 'r', [
  ['seqrelid', T.oid, true],
  ['seqtypid', T.oid, true],
  ['seqstart', T.int8, true],
  ['seqincrement', T.int8, true],
  ['seqmax', T.int8, true],
  ['seqmin', T.int8, true],
  ['seqcache', T.int8, true],
  ['seqcycle', T.bool, true],
], () => []);
