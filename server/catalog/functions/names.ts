/**
 * Name helpers: quote_ident, and to_regclass / to_regtype / to_regproc / to_regnamespace, which
 * resolve a name like the reg* casts do but give NULL instead of an error when nothing matches.
 */
import { defineFunction, over } from '../../functions/define.js';
import { T } from '../../types/sql-type.js';
import { SqlError } from '../../errors.js';
import { quoteIdent } from '../quote-ident.js';
import { regclassIn, regnamespaceIn, regprocIn, regtypeIn } from '../regnames.js';
import { searchPathOf } from './session-context.js';

defineFunction('quote_ident', [over([T.text], T.text, ([name]) => quoteIdent(name as string))]);

function orNull(resolve: () => number): number | null {
  try {
    return resolve();
  } catch (e) {
    if (e instanceof SqlError) return null;
    throw e;
  }
}

defineFunction('to_regclass', [over([T.text], T.regclass, ([n], ctx) => orNull(() => regclassIn(n as string, ctx.catalog, searchPathOf(ctx))))], {
  volatility: 'stable',
});
defineFunction('to_regtype', [over([T.text], T.regtype, ([n]) => orNull(() => regtypeIn(n as string)))], { volatility: 'stable' });
defineFunction('to_regproc', [over([T.text], T.regproc, ([n]) => orNull(() => regprocIn(n as string)))], { volatility: 'stable' });
defineFunction('to_regnamespace', [over([T.text], T.regnamespace, ([n], ctx) => orNull(() => regnamespaceIn(n as string, ctx.catalog)))], {
  volatility: 'stable',
});
