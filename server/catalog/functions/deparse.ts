/**
 * The pg_get_*def family and pg_get_expr: SQL text of stored expressions, primary key indexes and
 * constraints, view definitions and function signatures. Freshet stores defaults and view queries
 * as SQL text, so deparsing returns that text; objects it does not have give NULL.
 */
import { defineFunction, over } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import { T } from '../../types/sql-type.js';
import type { CatalogReader, RelationDef } from '../model.js';
import { primaryKeyConstraintDef, primaryKeyIndexDef } from '../ddl-text.js';
import { formatType } from '../format-type.js';
import { quoteIdent } from '../quote-ident.js';
import { regclassIn, relationIsVisible } from '../regnames.js';
import { FIXED_PROCS } from '../system/fixed-procs.js';
import { primaryKeyIndex } from '../system/listed-relations.js';
import { searchPathOf } from './session-context.js';

// Expressions (pg_attrdef.adbin, pg_index.indpred, ...) are stored as their SQL text.
const getExpr = over([T.text, T.oid], T.text, ([expr]) => expr);
const getExprPretty = over([T.text, T.oid, T.bool], T.text, ([expr]) => expr);
defineFunction('pg_get_expr', [getExpr, getExprPretty], { volatility: 'stable' });

function relationOfIndex(catalog: CatalogReader, indexOid: number): RelationDef | undefined {
  return catalog.relations().find((rel) => primaryKeyIndex(rel)?.indexOid === indexOid);
}

function relationOfConstraint(catalog: CatalogReader, constraintOid: number): RelationDef | undefined {
  return catalog.relations().find((rel) => primaryKeyIndex(rel)?.constraintOid === constraintOid);
}

/**
 * Column `column` (1-based) of the index, or the whole CREATE INDEX text for column 0. Pretty
 * output names the table bare when the search path finds it.
 */
function indexDef(ctx: FunctionContext, indexOid: number, column: number, pretty: boolean): string | null {
  const rel = relationOfIndex(ctx.catalog, indexOid);
  if (!rel) return null;
  if (column === 0) return primaryKeyIndexDef(rel, !(pretty && relationIsVisible(rel.oid, ctx.catalog, searchPathOf(ctx))));
  const colIndex = rel.primaryKey[column - 1];
  return colIndex === undefined ? '' : quoteIdent(rel.columns[colIndex]!.name);
}

defineFunction('pg_get_indexdef', [
  over([T.oid], T.text, ([oid], ctx) => indexDef(ctx, oid as number, 0, false)),
  over([T.oid, T.int4, T.bool], T.text, ([oid, column, pretty], ctx) => indexDef(ctx, oid as number, column as number, pretty as boolean)),
], { volatility: 'stable' });

const constraintDef = (oid: number, catalog: CatalogReader): string | null => {
  const rel = relationOfConstraint(catalog, oid);
  return rel ? primaryKeyConstraintDef(rel) : null;
};
defineFunction('pg_get_constraintdef', [
  over([T.oid], T.text, ([oid], ctx) => constraintDef(oid as number, ctx.catalog)),
  over([T.oid, T.bool], T.text, ([oid], ctx) => constraintDef(oid as number, ctx.catalog)),
], { volatility: 'stable' });

function viewDef(catalog: CatalogReader, oid: number): string | null {
  const rel = catalog.byOid(oid);
  return rel && (rel.kind === 'view' || rel.kind === 'materializedView') ? rel.definition ?? null : null;
}
defineFunction('pg_get_viewdef', [
  over([T.oid], T.text, ([oid], ctx) => viewDef(ctx.catalog, oid as number)),
  over([T.oid, T.bool], T.text, ([oid], ctx) => viewDef(ctx.catalog, oid as number)),
  over([T.oid, T.int4], T.text, ([oid], ctx) => viewDef(ctx.catalog, oid as number)),
  over([T.text], T.text, ([name], ctx) => viewDef(ctx.catalog, regclassIn(name as string, ctx.catalog, searchPathOf(ctx)))),
  over([T.text, T.bool], T.text, ([name], ctx) => viewDef(ctx.catalog, regclassIn(name as string, ctx.catalog, searchPathOf(ctx)))),
], { volatility: 'stable' });

// Freshet has no partitioned tables, extended statistics, triggers or rules.
for (const name of ['pg_get_partkeydef', 'pg_get_statisticsobjdef_columns', 'pg_get_triggerdef', 'pg_get_ruledef']) {
  defineFunction(name, [over([T.oid], T.text, () => null), over([T.oid, T.bool], T.text, () => null)], { volatility: 'stable' });
}

const fixedProcs = new Map(FIXED_PROCS.map(([oid, name, rettype, argtypes]) => [oid, { name, rettype, argtypes }]));

/** Argument list text of a function; registry functions have no declared signature, so ''. */
function functionArguments(oid: number): string | null {
  const proc = fixedProcs.get(oid);
  if (proc) return proc.argtypes.map((t) => formatType(t, null)).join(', ');
  return null;
}
for (const name of ['pg_get_function_arguments', 'pg_get_function_identity_arguments']) {
  defineFunction(name, [over([T.oid], T.text, ([oid]) => functionArguments(oid as number))], { volatility: 'stable' });
}
defineFunction('pg_get_function_result', [
  over([T.oid], T.text, ([oid]) => {
    const proc = fixedProcs.get(oid as number);
    return proc ? formatType(proc.rettype, null) : null;
  }),
], { volatility: 'stable' });
