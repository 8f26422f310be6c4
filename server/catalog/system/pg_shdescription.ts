/**
 * pg_catalog.pg_shdescription: comments on shared objects: the database's comment, as PostgreSQL
 * gives its postgres database.
 */
import { T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { DATABASE_OID } from './builtin.js';

const PG_DATABASE_OID = 1262;

export const pgShdescription = defineSystemTable('pg_catalog', 'pg_shdescription', 2396, 'r', [
  ['objoid', T.oid, true],
  ['classoid', T.oid, true],
  ['description', T.text, true],
], (_ctx, shape) => [
  shape.row({ objoid: DATABASE_OID, classoid: PG_DATABASE_OID, description: 'default administrative connection database' }),
]);
