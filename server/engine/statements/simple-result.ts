/**
 * Small builders for prepared statements whose result is a fixed command tag or a few computed
 * rows (SET, SHOW, BEGIN, EXPLAIN ...), so each handler states only what differs.
 */
import type { FieldDescription } from '../api.js';
import type { ParsedStatement } from '../../sql/ast.js';
import type { Datum, Row } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { rowsSource } from '../row-source.js';

export function field(name: string, type: SqlType): FieldDescription {
  return { name, type, tableOid: 0, columnAttr: 0 };
}

/** A statement that does its work when run and answers with a command tag. */
export function commandStatement(parsed: ParsedStatement, ctx: StatementContext, run: (params: readonly Datum[]) => string): EnginePrepared {
  return {
    parsed,
    paramTypes: [],
    fields: null,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => ({ kind: 'command', tag: run(params) }),
  };
}

/** A statement whose rows are computed when run; `tag` defaults to `SELECT n`. */
export function rowsStatement(
  parsed: ParsedStatement,
  ctx: StatementContext,
  fields: readonly FieldDescription[],
  compute: (params: readonly Datum[]) => Row[],
  tag: (n: number) => string = (n) => `SELECT ${n}`,
): EnginePrepared {
  return {
    parsed,
    paramTypes: [],
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => ({ kind: 'rows', fields, rows: rowsSource(compute(params)), tag }),
  };
}
