/**
 * pg_catalog.pg_tablespace: pg_default and pg_global; Freshet keeps all data under its data dir.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { BOOTSTRAP_ROLE_OID, TABLESPACES } from './builtin.js';

export const pgTablespace = defineSystemTable('pg_catalog', 'pg_tablespace', 1213, 'r', [
  ['oid', T.oid, true],
  ['spcname', T.name, true],
  ['spcowner', T.oid, true],
  ['spcacl', arrayOf(T.text), false],
  ['spcoptions', arrayOf(T.text), false],
], (_ctx, shape) => TABLESPACES.map((t) => shape.row({ oid: t.oid, spcname: t.name, spcowner: BOOTSTRAP_ROLE_OID, spcacl: null, spcoptions: null })));
