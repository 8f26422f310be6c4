/**
 * pg_catalog.pg_publication: logical replication publications. Freshet has none: always empty (psql \d reads it).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgPublication = defineSystemTable('pg_catalog', 'pg_publication', 6104, 'r', [
  ['oid', T.oid, true],
  ['pubname', T.name, true],
  ['pubowner', T.oid, true],
  ['puballtables', T.bool, true],
  ['pubinsert', T.bool, true],
  ['pubupdate', T.bool, true],
  ['pubdelete', T.bool, true],
  ['pubtruncate', T.bool, true],
  ['pubviaroot', T.bool, true],
], () => []);
