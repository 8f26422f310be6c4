/**
 * pg_catalog.pg_namespace: one row per schema: pg_catalog, public, information_schema, pg_toast.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { allNamespaces, BOOTSTRAP_ROLE_OID } from './builtin.js';

export const pgNamespace = defineSystemTable('pg_catalog', 'pg_namespace', 2615, 'r', [
  ['oid', T.oid, true],
  ['nspname', T.name, true],
  ['nspowner', T.oid, true],
  ['nspacl', arrayOf(T.text), false],
], (ctx, shape) =>
  allNamespaces(ctx.catalog).map((n) => shape.row({ oid: n.oid, nspname: n.name, nspowner: BOOTSTRAP_ROLE_OID, nspacl: null })));
