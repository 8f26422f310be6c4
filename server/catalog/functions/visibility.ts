/**
 * Visibility predicates psql and pgJDBC filter with: pg_table_is_visible, pg_type_is_visible,
 * pg_function_is_visible, pg_relation_is_publishable.
 */
import { defineFunction, over } from '../../functions/define.js';
import { T } from '../../types/sql-type.js';
import { relationIsVisible } from '../regnames.js';
import { builtinTypeByOid } from '../system/builtin-types.js';
import { procNameByOid } from '../system/pg_proc.js';
import { searchPathOf } from './session-context.js';

defineFunction('pg_table_is_visible', [over([T.oid], T.bool, ([oid], ctx) => relationIsVisible(oid as number, ctx.catalog, searchPathOf(ctx)))], {
  volatility: 'stable',
});

// Every built-in type and function lives in pg_catalog, which is always searched.
defineFunction('pg_type_is_visible', [over([T.oid], T.bool, ([oid]) => builtinTypeByOid(oid as number) !== undefined)], { volatility: 'stable' });
defineFunction('pg_function_is_visible', [over([T.oid], T.bool, ([oid]) => procNameByOid(oid as number) !== undefined)], {
  volatility: 'stable',
});

/** Tables and streams outside the system schemas could be published (PostgreSQL's rule for tables). */
defineFunction('pg_relation_is_publishable', [
  over([T.regclass], T.bool, ([oid], ctx) => {
    const rel = ctx.catalog.byOid(oid as number);
    return rel !== undefined && (rel.kind === 'table' || rel.kind === 'stream');
  }),
], { volatility: 'stable' });
