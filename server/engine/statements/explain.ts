/** EXPLAIN query: the logical plan, one line per operator with its stream key and append-only flag. */
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery } from '../../plan/api.js';
import type { ExplainStatement, ParsedStatement } from '../../sql/ast.js';
import { T } from '../../types/sql-type.js';
import { declaredParamTypes, finalParamTypes } from '../param-types.js';
import { rowsSource } from '../row-source.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { field } from './simple-result.js';

export function prepareExplain(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as ExplainStatement;
  if (s.statement.kind !== 'query') {
    throw new SqlError(SQLSTATE.featureNotSupported, `EXPLAIN of ${s.statement.kind} statements is not supported yet`);
  }
  const bound = bindQuery(s.statement.query, declaredParamTypes(paramTypeOids), ctx.bind);
  const fields = [field('QUERY PLAN', T.text)];
  return {
    parsed,
    paramTypes: finalParamTypes(bound.paramTypes, T.text),
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => ({ kind: 'rows', fields, rows: rowsSource(bound.explain().map((line) => [line])), tag: () => 'EXPLAIN' }),
  };
}
