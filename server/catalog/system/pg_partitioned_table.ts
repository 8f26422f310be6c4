/**
 * pg_catalog.pg_partitioned_table: partitioned tables. Freshet has none: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgPartitionedTable = defineSystemTable('pg_catalog', 'pg_partitioned_table', 3350, 'r', [
  ['partrelid', T.oid, true],
  ['partstrat', T.char, true],
  ['partnatts', T.int2, true],
  ['partdefid', T.oid, true],
  ['partattrs', T.int2vector, true],
  ['partclass', T.oidvector, true],
  ['partcollation', T.oidvector, true],
  ['partexprs', T.text, false],
], () => []);
