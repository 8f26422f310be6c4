/**
 * pg_catalog.pg_collation: the default, C and POSIX collations (Freshet compares text by code point).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { BOOTSTRAP_ROLE_OID, COLLATIONS, PG_CATALOG_NAMESPACE } from './builtin.js';

export const pgCollation = defineSystemTable('pg_catalog', 'pg_collation', 3456, 'r', [
  ['oid', T.oid, true],
  ['collname', T.name, true],
  ['collnamespace', T.oid, true],
  ['collowner', T.oid, true],
  ['collprovider', T.char, true],
  ['collisdeterministic', T.bool, true],
  ['collencoding', T.int4, true],
  ['collcollate', T.text, false],
  ['collctype', T.text, false],
  ['colliculocale', T.text, false],
  ['collversion', T.text, false],
], (_ctx, shape) =>
  COLLATIONS.map((c) =>
    shape.row({
      oid: c.oid,
      collname: c.name,
      collnamespace: PG_CATALOG_NAMESPACE,
      collowner: BOOTSTRAP_ROLE_OID,
      collprovider: c.provider,
      collisdeterministic: true,
      collencoding: -1,
      collcollate: c.collate,
      collctype: c.collate,
      colliculocale: null,
      collversion: null,
    }),
  ));
