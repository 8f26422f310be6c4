/**
 * pg_catalog.pg_index: one row per primary key index (Freshet has no other indexes).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import type { Row } from '../../types/datum.js';
import { btreeOpclassOf, collationOf } from './column-facts.js';
import { primaryKeyAttnums, primaryKeyIndex } from './listed-relations.js';

export const pgIndex = defineSystemTable('pg_catalog', 'pg_index', 2610, 'r', [
  ['indexrelid', T.oid, true],
  ['indrelid', T.oid, true],
  ['indnatts', T.int2, true],
  ['indnkeyatts', T.int2, true],
  ['indisunique', T.bool, true],
  ['indnullsnotdistinct', T.bool, true],
  ['indisprimary', T.bool, true],
  ['indisexclusion', T.bool, true],
  ['indimmediate', T.bool, true],
  ['indisclustered', T.bool, true],
  ['indisvalid', T.bool, true],
  ['indcheckxmin', T.bool, true],
  ['indisready', T.bool, true],
  ['indislive', T.bool, true],
  ['indisreplident', T.bool, true],
  ['indkey', T.int2vector, true],
  ['indcollation', T.oidvector, true],
  ['indclass', T.oidvector, true],
  ['indoption', T.int2vector, true],
  ['indexprs', T.text, false],
  ['indpred', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const rel of ctx.catalog.relations()) {
    const index = primaryKeyIndex(rel);
    if (!index) continue;
    const keyTypes = rel.primaryKey.map((i) => rel.columns[i]!.type);
    rows.push(
      shape.row({
        indexrelid: index.indexOid,
        indrelid: rel.oid,
        indnatts: keyTypes.length,
        indnkeyatts: keyTypes.length,
        indisunique: true,
        indnullsnotdistinct: false,
        indisprimary: true,
        indisexclusion: false,
        indimmediate: true,
        indisclustered: false,
        indisvalid: true,
        indcheckxmin: false,
        indisready: true,
        indislive: true,
        indisreplident: false,
        indkey: primaryKeyAttnums(rel),
        indcollation: keyTypes.map(collationOf),
        indclass: keyTypes.map(btreeOpclassOf),
        indoption: keyTypes.map(() => 0),
        indexprs: null,
        indpred: null,
      }),
    );
  }
  return rows;
});
