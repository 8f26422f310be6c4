/**
 * EXPLAIN query: the logical plan, one line per operator with its stream key and append-only flag.
 * EXPLAIN CREATE MATERIALIZED VIEW / CREATE STREAM ... AS / SUBSCRIBE: the plan the continuous query
 * runs (subqueries rewritten into joins), after the same checks CREATE makes.
 * EXPLAIN (GRAPH) of either: the StreamGraph, JobGraph and ExecutionGraph of that plan at the
 * session's `parallelism` (server/cluster/).
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
import { graphLines, planGraphs } from '../../cluster/graph-text.js';
import type { SinkKind } from '../../cluster/stream-graph.js';
import { sessionParallelism } from '../settings.js';

/** Whether the options ask for the graphs: `GRAPH`, `GRAPH true|on|1` or `FORMAT GRAPH`. */
function wantsGraph(options: readonly string[]): boolean {
  let graph = false;
  for (const option of options) {
    const [name, value] = option.split(' ', 2) as [string, string | undefined];
    if (name === 'format' && value === 'graph') graph = true;
    if (name !== 'graph') continue;
    if (value === undefined || ['true', 'on', '1'].includes(value)) graph = true;
    else if (['false', 'off', '0'].includes(value)) graph = false;
    else throw new SqlError(SQLSTATE.invalidParameterValue, `EXPLAIN option GRAPH requires a Boolean value`);
  }
  return graph;
}

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
  const plan = continuousQuery ? continuousPlan(bound.plan).plan : undefined;
  let lines: string[];
  if (wantsGraph(s.options)) {
    const sink: SinkKind = inner.kind === 'createView' ? 'materializedView' : inner.kind === 'createStream' ? 'stream' : 'result';
    lines = graphLines(planGraphs(plan ?? bound.plan, { parallelism: sessionParallelism(ctx.settings), continuous: plan !== undefined, sink }));
  } else {
    lines = plan ? explainPlan(plan) : bound.explain();
  }
  const fields = [field('QUERY PLAN', T.text)];
  return {
    parsed,
    paramTypes: finalParamTypes(bound.paramTypes, T.text),
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => ({ kind: 'rows', fields, rows: rowsSource(lines.map((line) => [line])), tag: () => 'EXPLAIN' }),
  };
}
