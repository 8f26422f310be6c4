/**
 * Binds VALUES rows: every row the same width, each column typed by the INSERT target when given,
 * else by the common supertype of its entries (unknown literals become text), PostgreSQL style.
 */
import type { Expr } from '../../sql/ast.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType } from '../../types/sql-type.js';
import { FromScope } from './scope.js';
import type { BoundExpr } from '../bound/expr.js';
import type { PlanColumn } from '../logical/plan.js';
import { ValuesNode } from '../logical/values.js';
import { commonSupertype, typeDisplayName } from '../type-runtime.js';
import { coerce } from './coerce.js';
import { bindExpr, exprPos } from './expr-binder.js';
import type { ExprScope } from './expr-scope.js';

/** `DEFAULT` as a VALUES item: the parser's `default()` call. */
function isDefaultItem(e: Expr): boolean {
  return e.kind === 'func' && e.name === 'default' && e.schema === undefined && e.args.length === 0 && !e.star;
}

/**
 * `targetDefaults` (INSERT only): each target column's default expression (undefined: NULL), which
 * a `DEFAULT` item stands for.
 */
export function bindValuesRows(
  rows: readonly (readonly Expr[])[],
  s: ExprScope,
  targetTypes: readonly SqlType[] | undefined,
  targetDefaults?: readonly (Expr | undefined)[],
): ValuesNode {
  const width = rows[0]?.length ?? 0;
  const valuesScope: ExprScope = { ...s, aggregates: 'aggregate functions are not allowed in VALUES', windows: 'window functions are not allowed in VALUES' };
  const bound: BoundExpr[][] = rows.map((r) => {
    if (r.length !== width) throw new SqlError(SQLSTATE.syntaxError, 'VALUES lists must all be the same length', { position: exprPos(r[0] ?? r[r.length - 1]!) });
    return r.map((e, c): BoundExpr => {
      if (!isDefaultItem(e)) return bindExpr(e, valuesScope);
      if (!targetDefaults) throw new SqlError(SQLSTATE.syntaxError, 'DEFAULT is not allowed in this context', { position: exprPos(e) });
      const d = targetDefaults[c];
      return d ? bindExpr(d, { ...valuesScope, from: FromScope.empty }) : { kind: 'const', value: null, type: targetTypes?.[c] ?? T.unknown };
    });
  });
  const schema: PlanColumn[] = [];
  for (let c = 0; c < width; c++) {
    const target = targetTypes?.[c];
    const type = target ?? commonSupertype(bound.map((r) => r[c]!.type));
    if (!type) {
      throw new SqlError(SQLSTATE.datatypeMismatch, `VALUES types ${bound.map((r) => typeDisplayName(r[c]!.type)).join(' and ')} cannot be matched`);
    }
    for (let r = 0; r < bound.length; r++) {
      bound[r]![c] = coerce(bound[r]![c]!, type, target ? 'assignment' : 'implicit', s.state, exprPos(rows[r]![c]!),
        target ? `column is of type ${typeDisplayName(type)} but expression is of type ${typeDisplayName(bound[r]![c]!.type)}` : undefined);
    }
    schema.push({ name: `column${c + 1}`, type, tableOid: 0, attnum: 0 });
  }
  return new ValuesNode(schema, bound);
}
