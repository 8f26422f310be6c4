/** SELECT / VALUES / set operations: bound once by the planner, run as a bounded dataflow. */
import type { ParsedStatement } from '../../sql/ast.js';
import { bindQuery, runQuery } from '../../plan/api.js';
import { T } from '../../types/sql-type.js';
import { BatchedRowSource } from '../row-source.js';
import { declaredParamTypes, finalParamTypes } from '../param-types.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';

export function prepareQuery(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement;
  if (s.kind !== 'query') throw new Error('prepareQuery: wrong statement');
  const bound = bindQuery(s.query, declaredParamTypes(paramTypeOids), ctx.bind);
  return {
    parsed,
    paramTypes: finalParamTypes(bound.paramTypes, T.text),
    fields: bound.fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => {
      const exec = ctx.exec();
      return {
        kind: 'rows',
        fields: bound.fields,
        rows: new BatchedRowSource(runQuery(bound, params, exec), () => exec.checkCancel()),
        tag: (n) => `SELECT ${n}`,
      };
    },
  };
}
