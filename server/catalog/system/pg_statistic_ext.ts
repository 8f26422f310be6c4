/**
 * pg_catalog.pg_statistic_ext: extended statistics objects. Freshet has none: always empty (psql \d reads it).
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgStatisticExt = defineSystemTable('pg_catalog', 'pg_statistic_ext', 3381, 'r', [
  ['oid', T.oid, true],
  ['stxrelid', T.oid, true],
  ['stxname', T.name, true],
  ['stxnamespace', T.oid, true],
  ['stxowner', T.oid, true],
  ['stxstattarget', T.int4, true],
  ['stxkeys', T.int2vector, true],
  ['stxkind', arrayOf(T.char), true],
  ['stxexprs', T.text, false],
], () => []);
