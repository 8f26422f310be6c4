/**
 * pg_catalog.pg_publication_namespace: schemas in publications. Always empty (psql \d reads it).
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';

export const pgPublicationNamespace = defineSystemTable('pg_catalog', 'pg_publication_namespace', 6237, 'r', [
  ['oid', T.oid, true],
  ['pnpubid', T.oid, true],
  ['pnnspid', T.oid, true],
], () => []);
