/**
 * pg_catalog.pg_settings: every setting Freshet knows, with the session's current value.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { KNOWN_SETTINGS } from '../settings.js';

export const pgSettings = defineSystemTable('pg_catalog', 'pg_settings', 12104, 'v', [
  ['name', T.text, false],
  ['setting', T.text, false],
  ['unit', T.text, false],
  ['category', T.text, false],
  ['short_desc', T.text, false],
  ['extra_desc', T.text, false],
  ['context', T.text, false],
  ['vartype', T.text, false],
  ['source', T.text, false],
  ['min_val', T.text, false],
  ['max_val', T.text, false],
  ['enumvals', arrayOf(T.text), false],
  ['boot_val', T.text, false],
  ['reset_val', T.text, false],
  ['sourcefile', T.text, false],
  ['sourceline', T.int4, false],
  ['pending_restart', T.bool, false],
], (ctx, shape) =>
  KNOWN_SETTINGS.map((s) => {
    const own = ctx.setting(s.name.toLowerCase());
    return shape.row({
      name: s.name,
      setting: own ?? s.boot,
      unit: s.unit ?? null,
      category: s.category,
      short_desc: s.description,
      extra_desc: null,
      context: s.context,
      vartype: s.vartype,
      source: own === undefined || own === s.boot ? 'default' : 'session',
      min_val: s.min ?? null,
      max_val: s.max ?? null,
      enumvals: s.enumvals ? [...s.enumvals] : null,
      boot_val: s.boot,
      reset_val: s.boot,
      sourcefile: null,
      sourceline: null,
      pending_restart: false,
    });
  }));
