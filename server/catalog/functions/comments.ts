/**
 * Comment look-ups: obj_description, col_description, shobj_description, read from the rows of
 * pg_description / pg_shdescription so that they always agree with those tables.
 */
import { defineFunction, over } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import { T } from '../../types/sql-type.js';
import { pgDescription } from '../system/pg_description.js';
import { pgShdescription } from '../system/pg_shdescription.js';
import { systemContextOf } from './session-context.js';

/** pg_catalog table oids by name, for the classoid argument ('pg_class' -> 1259). */
const CATALOG_OIDS: Readonly<Record<string, number>> = {
  pg_class: 1259,
  pg_namespace: 2615,
  pg_proc: 1255,
  pg_type: 1247,
  pg_constraint: 2606,
  pg_database: 1262,
  pg_authid: 1260,
  pg_tablespace: 1213,
};

function description(ctx: FunctionContext, objoid: number, classoid: number | undefined, objsubid: number): string | null {
  for (const [o, c, s, text] of pgDescription.rows(systemContextOf(ctx))) {
    if (o === objoid && (classoid === undefined || c === classoid) && s === objsubid) return text as string;
  }
  return null;
}

defineFunction('obj_description', [
  over([T.oid, T.name], T.text, ([oid, catalogName], ctx) => {
    const classoid = CATALOG_OIDS[catalogName as string];
    return classoid === undefined ? null : description(ctx, oid as number, classoid, 0);
  }),
  over([T.oid], T.text, ([oid], ctx) => description(ctx, oid as number, undefined, 0)),
], { volatility: 'stable' });

defineFunction('col_description', [
  over([T.oid, T.int4], T.text, ([oid, column], ctx) => description(ctx, oid as number, CATALOG_OIDS.pg_class, column as number)),
], { volatility: 'stable' });

defineFunction('shobj_description', [
  over([T.oid, T.name], T.text, ([oid, catalogName], ctx) => {
    const classoid = CATALOG_OIDS[catalogName as string];
    for (const [o, c, text] of pgShdescription.rows(systemContextOf(ctx))) {
      if (o === oid && c === classoid) return text as string;
    }
    return null;
  }),
], { volatility: 'stable' });
