/**
 * pg_catalog.pg_attribute: one row per column of every listed relation (system tables, user relations,
 * primary key indexes). No system columns (attnum < 0): Freshet rows have none.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { ColumnMeta } from '../model.js';
import type { Row } from '../../types/datum.js';
import { builtinTypeOf, collationOf, ndimsOf } from './column-facts.js';
import { listedRelations } from './listed-relations.js';
import type { RowShaper } from './system-table.js';
import { typeOid } from '../../types/sql-type.js';

function attributeRow(shape: RowShaper, relOid: number, col: ColumnMeta, attnum: number, isIndex: boolean): Row {
  const bt = builtinTypeOf(col.type);
  return shape.row({
    attrelid: relOid,
    attname: col.name,
    atttypid: typeOid(col.type),
    attstattarget: -1,
    attlen: bt?.typlen ?? -1,
    attnum,
    attndims: ndimsOf(col.type),
    attcacheoff: -1,
    atttypmod: col.type.typmod,
    attbyval: bt?.typbyval ?? false,
    attalign: bt?.typalign ?? 'i',
    attstorage: bt?.typstorage ?? 'x',
    attcompression: '',
    attnotnull: !isIndex && col.notNull,
    atthasdef: !isIndex && col.defaultSql !== undefined,
    atthasmissing: false,
    attidentity: '',
    attgenerated: '',
    attisdropped: false,
    attislocal: true,
    attinhcount: 0,
    attcollation: collationOf(col.type),
    attacl: null,
    attoptions: null,
    attfdwoptions: null,
    attmissingval: null,
  });
}

export const pgAttribute = defineSystemTable('pg_catalog', 'pg_attribute', 1249, 'r', [
  ['attrelid', T.oid, true],
  ['attname', T.name, true],
  ['atttypid', T.oid, true],
  ['attstattarget', T.int4, true],
  ['attlen', T.int2, true],
  ['attnum', T.int2, true],
  ['attndims', T.int4, true],
  ['attcacheoff', T.int4, true],
  ['atttypmod', T.int4, true],
  ['attbyval', T.bool, true],
  ['attalign', T.char, true],
  ['attstorage', T.char, true],
  ['attcompression', T.char, true],
  ['attnotnull', T.bool, true],
  ['atthasdef', T.bool, true],
  ['atthasmissing', T.bool, true],
  ['attidentity', T.char, true],
  ['attgenerated', T.char, true],
  ['attisdropped', T.bool, true],
  ['attislocal', T.bool, true],
  ['attinhcount', T.int4, true],
  ['attcollation', T.oid, true],
  ['attacl', arrayOf(T.text), false],
  ['attoptions', arrayOf(T.text), false],
  ['attfdwoptions', arrayOf(T.text), false],
  ['attmissingval', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const r of listedRelations(ctx)) {
    if (r.relkind === 'i') {
      r.rel.primaryKey.forEach((colIndex, i) => rows.push(attributeRow(shape, r.oid, r.rel.columns[colIndex]!, i + 1, true)));
    } else {
      for (const col of r.rel.columns) rows.push(attributeRow(shape, r.oid, col, col.attnum, false));
    }
  }
  return rows;
});
