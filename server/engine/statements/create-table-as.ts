/** CREATE TABLE name AS query: a snapshot of the query's result in a new table without a key, as in PostgreSQL. */
import type { ColumnMeta } from '../../catalog/model.js';
import { PUBLIC_SCHEMA } from '../../catalog/model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery, runQuery } from '../../plan/api.js';
import type { CreateTableAsStatement, ParsedStatement } from '../../sql/ast.js';
import { T } from '../../types/sql-type.js';
import type { Row } from '../../types/datum.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement } from './simple-result.js';

export function prepareCreateTableAs(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as CreateTableAsStatement;
  return commandStatement(parsed, ctx, () => {
    const schema = s.name.schema ?? PUBLIC_SCHEMA;
    if (ctx.engine.catalog.lookup(schema, s.name.name)?.schema === schema) {
      if (s.ifNotExists) return 'CREATE TABLE AS';
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${s.name.name}" already exists`);
    }
    const bound = bindQuery(s.query, [], ctx.bind);
    if (s.columnNames && s.columnNames.length > bound.fields.length) {
      throw new SqlError(SQLSTATE.syntaxError, 'too many column names were specified');
    }
    const columns: ColumnMeta[] = bound.fields.map((f, i) => ({
      name: s.columnNames?.[i] ?? f.name,
      // An untyped literal column becomes text, as in PostgreSQL.
      type: f.type.kind === 'unknown' ? T.text : f.type,
      notNull: false,
      attnum: i + 1,
    }));
    const rows: Row[] = [];
    for (const batch of runQuery(bound, [], ctx.exec())) rows.push(...batch);
    const rel = ctx.engine.createRelation({ schema, name: s.name.name, kind: 'table', columns, primaryKey: [], options: {} });
    ctx.onRollback(() => ctx.engine.forgetRelation(rel));
    ctx.write((tx) => {
      for (const r of rows) tx.put(rel, null, r);
    });
    return `SELECT ${rows.length}`;
  });
}
