/**
 * pg_catalog.pg_inherits: table inheritance and partitions. Freshet has neither: always empty (psql \d reads it).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgInherits = defineSystemTable('pg_catalog', 'pg_inherits', 2611, 'r', [
  ['inhrelid', T.oid, true],
  ['inhparent', T.oid, true],
  ['inhseqno', T.int4, true],
  ['inhdetachpending', T.bool, true],
], () => []);
