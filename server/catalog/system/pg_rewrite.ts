/**
 * pg_catalog.pg_rewrite: rewrite rules. Freshet views are planned from their text, not rules: always empty.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgRewrite = defineSystemTable('pg_catalog', 'pg_rewrite', 2618, 'r', [
  ['oid', T.oid, true],
  ['rulename', T.name, true],
  ['ev_class', T.oid, true],
  ['ev_type', T.char, true],
  ['ev_enabled', T.char, true],
  ['is_instead', T.bool, true],
  ['ev_qual', T.text, true],
  ['ev_action', T.text, true],
], () => []);
