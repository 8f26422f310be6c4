/**
 * pg_catalog.pg_am: the access methods: heap for tables, btree for primary key indexes, hash.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { ACCESS_METHODS } from './builtin.js';
import { procOidByName } from './pg_proc.js';

export const pgAm = defineSystemTable('pg_catalog', 'pg_am', 2601, 'r', [
  ['oid', T.oid, true],
  ['amname', T.name, true],
  ['amhandler', T.regproc, true],
  ['amtype', T.char, true],
], (_ctx, shape) =>
  ACCESS_METHODS.map((am) => shape.row({ oid: am.oid, amname: am.name, amhandler: procOidByName(am.handler) ?? 0, amtype: am.type })));
