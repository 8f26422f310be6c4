/**
 * pg_catalog.pg_extension: installed extensions. Freshet has none: always empty.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgExtension = defineSystemTable('pg_catalog', 'pg_extension', 3079, 'r', [
  ['oid', T.oid, true],
  ['extname', T.name, true],
  ['extowner', T.oid, true],
  ['extnamespace', T.oid, true],
  ['extrelocatable', T.bool, true],
  ['extversion', T.text, true],
  ['extconfig', arrayOf(T.oid), false],
  ['extcondition', arrayOf(T.text), false],
], () => []);
