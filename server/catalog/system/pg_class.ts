/**
 * pg_catalog.pg_class: one row per relation: system tables (relkind r, or v for system views),
 * user tables and streams (r), views (v), materialized views (m) and primary key indexes (i).
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable, XID } from './system-table.js';
import { BOOTSTRAP_ROLE_OID, BTREE_AM, HEAP_AM } from './builtin.js';
import { listedRelations, primaryKeyIndex } from './listed-relations.js';

export const pgClass = defineSystemTable('pg_catalog', 'pg_class', 1259, 'r', [
  ['oid', T.oid, true],
  ['relname', T.name, true],
  ['relnamespace', T.oid, true],
  ['reltype', T.oid, true],
  ['reloftype', T.oid, true],
  ['relowner', T.oid, true],
  ['relam', T.oid, true],
  ['relfilenode', T.oid, true],
  ['reltablespace', T.oid, true],
  ['relpages', T.int4, true],
  ['reltuples', T.float4, true],
  ['relallvisible', T.int4, true],
  ['reltoastrelid', T.oid, true],
  ['relhasindex', T.bool, true],
  ['relisshared', T.bool, true],
  ['relpersistence', T.char, true],
  ['relkind', T.char, true],
  ['relnatts', T.int2, true],
  ['relchecks', T.int2, true],
  ['relhasrules', T.bool, true],
  ['relhastriggers', T.bool, true],
  ['relhassubclass', T.bool, true],
  ['relrowsecurity', T.bool, true],
  ['relforcerowsecurity', T.bool, true],
  ['relispopulated', T.bool, true],
  ['relreplident', T.char, true],
  ['relispartition', T.bool, true],
  ['relrewrite', T.oid, true],
  ['relfrozenxid', XID, true],
  ['relminmxid', XID, true],
  ['relacl', arrayOf(T.text), false],
  ['reloptions', arrayOf(T.text), false],
  ['relpartbound', T.text, false],
], (ctx, shape) =>
  listedRelations(ctx).map((r) => {
    const isIndex = r.relkind === 'i';
    const hasStorage = r.relkind === 'r' || r.relkind === 'm' || isIndex;
    return shape.row({
      oid: r.oid,
      relname: r.name,
      relnamespace: r.namespace,
      reltype: 0,
      reloftype: 0,
      relowner: BOOTSTRAP_ROLE_OID,
      relam: isIndex ? BTREE_AM : hasStorage ? HEAP_AM : 0,
      relfilenode: hasStorage ? r.oid : 0,
      reltablespace: 0,
      relpages: isIndex ? 1 : 0,
      reltuples: isIndex ? 0 : -1,
      relallvisible: 0,
      reltoastrelid: 0,
      relhasindex: !isIndex && primaryKeyIndex(r.rel) !== undefined,
      relisshared: false,
      relpersistence: 'p',
      relkind: r.relkind,
      relnatts: isIndex ? r.rel.primaryKey.length : r.rel.columns.length,
      relchecks: 0,
      relhasrules: r.relkind === 'v',
      relhastriggers: false,
      relhassubclass: false,
      relrowsecurity: false,
      relforcerowsecurity: false,
      relispopulated: true,
      relreplident: r.relkind === 'r' || r.relkind === 'm' ? 'd' : 'n',
      relispartition: false,
      relrewrite: 0,
      relfrozenxid: 0,
      relminmxid: 0,
      relacl: null,
      reloptions: isIndex || Object.keys(r.rel.options).length === 0 ? null : Object.entries(r.rel.options).map(([k, v]) => `${k}=${v}`),
      relpartbound: null,
    });
  }));
