/**
 * The SQL text PostgreSQL's deparsers print for Freshet's catalog objects: a primary key's index
 * definition (pg_get_indexdef, pg_indexes.indexdef) and constraint definition
 * (pg_get_constraintdef). Only primary keys exist, so only they are printed.
 */
import type { RelationDef } from './model.js';
import { quoteIdent, quoteQualified } from './quote-ident.js';
import { primaryKeyName } from './system/builtin.js';

export function primaryKeyColumnNames(rel: RelationDef): string[] {
  return rel.primaryKey.map((i) => quoteIdent(rel.columns[i]!.name));
}

/**
 * `CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a, b)`; with `qualify` false (pg_get_indexdef's
 * pretty mode when the table is visible on the search path) the table name is left bare.
 */
export function primaryKeyIndexDef(rel: RelationDef, qualify = true): string {
  const table = qualify ? quoteQualified(rel.schema, rel.name) : quoteIdent(rel.name);
  return `CREATE UNIQUE INDEX ${quoteIdent(primaryKeyName(rel))} ON ${table} USING btree (${primaryKeyColumnNames(rel).join(', ')})`;
}

/** `PRIMARY KEY (a, b)` */
export function primaryKeyConstraintDef(rel: RelationDef): string {
  return `PRIMARY KEY (${primaryKeyColumnNames(rel).join(', ')})`;
}
