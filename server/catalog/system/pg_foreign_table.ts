/**
 * pg_catalog.pg_foreign_table: foreign tables. Freshet has none: always empty.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgForeignTable = defineSystemTable('pg_catalog', 'pg_foreign_table', 3118, 'r', [
  ['ftrelid', T.oid, true],
  ['ftserver', T.oid, true],
  ['ftoptions', arrayOf(T.text), false],
], () => []);
