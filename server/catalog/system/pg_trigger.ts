/**
 * pg_catalog.pg_trigger: triggers. Freshet has none: always empty (psql \d reads it).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgTrigger = defineSystemTable('pg_catalog', 'pg_trigger', 2620, 'r', [
  ['oid', T.oid, true],
  ['tgrelid', T.oid, true],
  ['tgparentid', T.oid, true],
  ['tgname', T.name, true],
  ['tgfoid', T.oid, true],
  ['tgtype', T.int2, true],
  ['tgenabled', T.char, true],
  ['tgisinternal', T.bool, true],
  ['tgconstrrelid', T.oid, true],
  ['tgconstrindid', T.oid, true],
  ['tgconstraint', T.oid, true],
  ['tgdeferrable', T.bool, true],
  ['tginitdeferred', T.bool, true],
  ['tgnargs', T.int2, true],
  ['tgattr', T.int2vector, true],
  ['tgargs', T.bytea, true],
  ['tgqual', T.text, false],
  ['tgoldtable', T.name, false],
  ['tgnewtable', T.name, false],
], () => []);
