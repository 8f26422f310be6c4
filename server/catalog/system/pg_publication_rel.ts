/**
 * pg_catalog.pg_publication_rel: tables in publications. Always empty (psql \d reads it).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgPublicationRel = defineSystemTable('pg_catalog', 'pg_publication_rel', 6106, 'r', [
  ['oid', T.oid, true],
  ['prpubid', T.oid, true],
  ['prrelid', T.oid, true],
  ['prqual', T.text, false],
  ['prattrs', T.int2vector, false],
], () => []);
