/**
 * EXPLAIN query: the logical plan, one line per operator with its stream key and append-only flag.
 * EXPLAIN CREATE MATERIALIZED VIEW / CREATE STREAM ... AS / SUBSCRIBE: the plan the continuous query
 * runs (subqueries rewritten into joins), after the same checks CREATE makes.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery } from '../../plan/api.js';
import { explainPlan } from '../../plan/logical/plan.js';
import { continuousPlan } from '../../dynamic-table/incremental-check.js';
import type { ExplainStatement, ParsedStatement } from '../../sql/ast.js';
import { T } from '../../types/sql-type.js';
import { declaredParamTypes, finalParamTypes } from '../param-types.js';
import { rowsSource } from '../row-source.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { field } from './simple-result.js';

export function prepareExplain(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as ExplainStatement;
  const inner = s.statement;
  const continuousQuery =
    inner.kind === 'createView' && inner.materialized ? inner.query
      : inner.kind === 'createStream' && inner.asQuery ? inner.asQuery
        : undefined;
  const query = inner.kind === 'query' ? inner.query : continuousQuery;
  if (!query) throw new SqlError(SQLSTATE.featureNotSupported, `EXPLAIN of ${inner.kind} statements is not supported yet`);
  const bound = bindQuery(query, declaredParamTypes(paramTypeOids), ctx.bind);
  const lines = continuousQuery ? explainPlan(continuousPlan(bound.plan).plan) : bound.explain();
  const fields = [field('QUERY PLAN', T.text)];
  return {
    parsed,
    paramTypes: finalParamTypes(bound.paramTypes, T.text),
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => ({ kind: 'rows', fields, rows: rowsSource(lines.map((line) => [line])), tag: () => 'EXPLAIN' }),
  };
}
