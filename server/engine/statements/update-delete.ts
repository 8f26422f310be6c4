/**
 * UPDATE and DELETE on tables: the matching rows are found over a snapshot of the transaction's
 * view of the table, then changed by key in the same transaction. A changed primary key is a
 * delete of the old key and an insert of the new one (with the duplicate check).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindScalar, type BoundScalar, type ExecContext } from '../../plan/api.js';
import type { RelationDef } from '../../catalog/model.js';
import type { Datum } from '../../types/datum.js';
import { keyCandidates, rowWithKey, type KeyCandidates } from './key-lookup.js';
import type { DeleteStatement, Expr, ParsedStatement, UpdateStatement } from '../../sql/ast.js';
import type { SqlType } from '../../types/sql-type.js';
import type { Row } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { KeyedRow, Store, WriteTransaction } from '../../storage/api.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { declaredParamTypes, finalParamTypes } from '../param-types.js';
import { rowsSource } from '../row-source.js';
import { bindReturning } from './returning.js';
import { checkNotNull, columnDefaultExpr, isDefaultMarker, duplicateKeyError, resolveWriteTarget, targetColumns } from './write-target.js';

/** A bound WHERE of UPDATE/DELETE: finds the matching rows, by primary key when WHERE pins it. */
interface RowFilter {
  matching(tx: WriteTransaction, params: readonly Datum[], exec: ExecContext): KeyedRow[];
}

function bindRowFilter(whereExpr: Expr | undefined, rel: RelationDef, alias: string, paramTypes: (SqlType | undefined)[], ctx: StatementContext): RowFilter {
  const where = whereExpr ? bindScalar(whereExpr, [{ alias, rel }], paramTypes, ctx.bind, T.bool) : undefined;
  const byKey = keyCandidates(whereExpr, rel, alias, paramTypes, ctx);
  return { matching: (tx, params, exec) => matchingRows(tx, rel, where, byKey, params, exec, ctx.engine.store) };
}

/** The rows of `rel` matching WHERE: fetched by primary key when WHERE pins it, else a scan. */
function matchingRows(
  tx: WriteTransaction,
  rel: RelationDef,
  where: BoundScalar | undefined,
  byKey: KeyCandidates | undefined,
  params: readonly Datum[],
  exec: ExecContext,
  store: Store,
): KeyedRow[] {
  const matches: KeyedRow[] = [];
  let tuples: Datum[][] | undefined;
  try {
    tuples = byKey?.(params, exec);
  } catch {
    // A key value that does not fit the key's type (id = 3000000000 on an int4 key): scan instead,
    // where WHERE compares with PostgreSQL's cross-type rules.
    tuples = undefined;
  }
  if (tuples) {
    const seen = new Set<string>();
    for (const tuple of tuples) {
      const key = store.keyOf(rel, rowWithKey(rel, tuple));
      if (seen.has(key)) continue;
      seen.add(key);
      const row = tx.get(rel, key);
      if (row !== undefined && (!where || where.evaluate([row], params, exec) === true)) matches.push({ key, row });
    }
    return matches;
  }
  for (const kr of tx.scan(rel)) if (!where || where.evaluate([kr.row], params, exec) === true) matches.push(kr);
  return matches;
}

export function prepareUpdate(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as UpdateStatement;
  const rel = resolveWriteTarget(s.table, 'update', ctx);
  if (s.from.length > 0) throw new SqlError(SQLSTATE.featureNotSupported, 'UPDATE ... FROM is not supported yet');
  const alias = s.alias ?? rel.name;
  const scopes = [{ alias, rel }];
  const paramTypes = declaredParamTypes(paramTypeOids);
  const sets = s.set.map((a) => {
    const column = targetColumns(rel, [a.column])[0]!;
    const value = isDefaultMarker(a.value) ? columnDefaultExpr(rel, column) : a.value;
    return { column, value: bindScalar(value, scopes, paramTypes, ctx.bind, rel.columns[column]!.type) };
  });
  const filter = bindRowFilter(s.where, rel, alias, paramTypes, ctx);
  const returning = s.returning ? bindReturning(s.returning, rel, alias, paramTypes, ctx) : undefined;
  const pkColumns = new Set(rel.primaryKey);
  const changesKey = sets.some((a) => pkColumns.has(a.column));
  return {
    parsed,
    paramTypes: finalParamTypes(paramTypes, T.text),
    fields: returning ? returning.fields : null,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => {
      const exec = ctx.exec();
      const returned: Row[] = [];
      let count = 0;
      ctx.write((tx) => {
        const matches = filter.matching(tx, params, exec);
        const updates: { key: string; row: Row }[] = [];
        for (const { key, row } of matches) {
          exec.checkCancel();
          const next = row.slice();
          for (const a of sets) next[a.column] = a.value.evaluate([row], params, exec);
          checkNotNull(rel, next);
          updates.push({ key, row: next });
        }
        if (changesKey) {
          // Row by row, as PostgreSQL checks a (non-deferrable) primary key: a new key that another
          // row still holds is a duplicate even if that row would move away later in the statement.
          for (const u of updates) {
            const newKey = ctx.engine.store.keyOf(rel, u.row);
            if (newKey !== u.key && tx.get(rel, newKey) !== undefined) throw duplicateKeyError(rel, u.row);
            tx.delete(rel, u.key);
            tx.put(rel, newKey, u.row);
          }
        } else {
          for (const u of updates) tx.put(rel, u.key, u.row);
        }
        count = updates.length;
        if (returning) for (const u of updates) returned.push(returning.project(u.row, params, exec));
      });
      const tag = `UPDATE ${count}`;
      if (returning) return { kind: 'rows', fields: returning.fields, rows: rowsSource(returned), tag: () => tag };
      return { kind: 'command', tag };
    },
  };
}

export function prepareDelete(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as DeleteStatement;
  const rel = resolveWriteTarget(s.table, 'delete', ctx);
  const alias = s.alias ?? rel.name;
  const paramTypes = declaredParamTypes(paramTypeOids);
  const filter = bindRowFilter(s.where, rel, alias, paramTypes, ctx);
  const returning = s.returning ? bindReturning(s.returning, rel, alias, paramTypes, ctx) : undefined;
  return {
    parsed,
    paramTypes: finalParamTypes(paramTypes, T.text),
    fields: returning ? returning.fields : null,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => {
      const exec = ctx.exec();
      const returned: Row[] = [];
      let count = 0;
      ctx.write((tx) => {
        const matches = filter.matching(tx, params, exec);
        for (const { key, row } of matches) {
          exec.checkCancel();
          tx.delete(rel, key);
          if (returning) returned.push(returning.project(row, params, exec));
        }
        count = matches.length;
      });
      const tag = `DELETE ${count}`;
      if (returning) return { kind: 'rows', fields: returning.fields, rows: rowsSource(returned), tag: () => tag };
      return { kind: 'command', tag };
    },
  };
}
