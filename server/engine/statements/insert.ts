/**
 * INSERT into a table or stream: the source query (VALUES or SELECT) is bound with the target
 * columns' types, run to completion, then written in one transaction. Tables with a primary key
 * reject duplicates (23505) unless ON CONFLICT says otherwise; streams only ever append.
 */
import type { RelationDef } from '../../catalog/model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery, bindScalar, runQuery, type BoundScalar } from '../../plan/api.js';
import type { InsertStatement, OnConflict, ParsedStatement, Query } from '../../sql/ast.js';
import type { Datum, Row } from '../../types/datum.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { declaredParamTypes, finalParamTypes } from '../param-types.js';
import { rowsSource } from '../row-source.js';
import { bindReturning } from './returning.js';
import { columnDefaultExpr, assignValue, bindDefaults, checkNotNull, defaultRow, duplicateKeyError, resolveWriteTarget, targetColumns } from './write-target.js';

const DEFAULT_VALUES_QUERY: Query = { kind: 'query', body: { kind: 'values', rows: [[]] }, orderBy: [] };

interface BoundConflict {
  readonly action: 'nothing' | 'update';
  readonly set: readonly { readonly column: number; readonly value: BoundScalar }[];
  readonly where?: BoundScalar;
}

function bindOnConflict(oc: OnConflict, rel: RelationDef, alias: string, paramTypes: (SqlType | undefined)[], ctx: StatementContext): BoundConflict {
  if (rel.kind === 'stream') throw new SqlError(SQLSTATE.wrongObjectType, `ON CONFLICT is not supported on stream "${rel.name}": streams have no keys`);
  if (rel.primaryKey.length === 0) {
    throw new SqlError(SQLSTATE.invalidColumnReference, 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
  }
  if (oc.target.length > 0) {
    const want = [...rel.primaryKey].map((i) => rel.columns[i]!.name).sort().join(',');
    const got = [...oc.target].sort().join(',');
    if (want !== got) {
      throw new SqlError(SQLSTATE.invalidColumnReference, 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
    }
  } else if (oc.action.kind === 'update') {
    throw new SqlError(SQLSTATE.syntaxError, 'ON CONFLICT DO UPDATE requires inference specification or constraint name', {
      hint: 'For example, ON CONFLICT (column_name).',
    });
  }
  if (oc.action.kind === 'nothing') return { action: 'nothing', set: [] };
  const scopes = [{ alias, rel }, { alias: 'excluded', rel }];
  const set = oc.action.set.map((a) => {
    const column = targetColumns(rel, [a.column])[0]!;
    return { column, value: bindScalar(a.value, scopes, paramTypes, ctx.bind, rel.columns[column]!.type) };
  });
  const where = oc.action.where ? bindScalar(oc.action.where, scopes, paramTypes, ctx.bind, T.bool) : undefined;
  return { action: 'update', set, where };
}

export function prepareInsert(parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as InsertStatement;
  const rel = resolveWriteTarget(s.table, 'insert', ctx);
  const alias = s.alias ?? rel.name;
  const cols = targetColumns(rel, s.columns);
  const paramTypes = declaredParamTypes(paramTypeOids);
  const source = s.source.kind === 'defaultValues' ? DEFAULT_VALUES_QUERY : s.source;
  const bound = bindQuery(source, paramTypes, ctx.bind, {
    targetTypes: cols.map((i) => rel.columns[i]!.type),
    // DEFAULT in a VALUES row stands for the target column's default.
    targetDefaults: cols.map((i) => (rel.columns[i]!.defaultSql !== undefined ? columnDefaultExpr(rel, i) : undefined)),
  });
  for (let i = 0; i < bound.paramTypes.length; i++) paramTypes[i] = bound.paramTypes[i];
  if (s.source.kind !== 'defaultValues') {
    if (bound.fields.length > cols.length) throw new SqlError(SQLSTATE.syntaxError, 'INSERT has more expressions than target columns');
    if (s.columns && bound.fields.length < cols.length) throw new SqlError(SQLSTATE.syntaxError, 'INSERT has more target columns than expressions');
  }
  const sourceTypes = bound.fields.map((f) => f.type);
  const defaults = bindDefaults(rel, ctx);
  const conflict = s.onConflict ? bindOnConflict(s.onConflict, rel, alias, paramTypes, ctx) : undefined;
  const returning = s.returning ? bindReturning(s.returning, rel, alias, paramTypes, ctx) : undefined;
  const finalTypes = finalParamTypes(paramTypes, T.text);

  return {
    parsed,
    paramTypes: finalTypes,
    fields: returning ? returning.fields : null,
    catalogVersion: ctx.engine.catalogVersion,
    run: (params) => {
      const exec = ctx.exec();
      const sourceRows: Row[] = [];
      for (const batch of runQuery(bound, params, exec)) for (const r of batch) sourceRows.push(r);
      const returned: Row[] = [];
      let count = 0;
      const store = ctx.engine.store;
      const watermarks = ctx.engine.views.watermarks;
      ctx.write((tx) => {
        const touched = new Set<string>();
        for (const src of sourceRows) {
          exec.checkCancel();
          const row = defaultRow(defaults, params, exec);
          for (let j = 0; j < src.length; j++) row[cols[j]!] = assignValue(src[j]!, sourceTypes[j]!, rel, cols[j]!);
          checkNotNull(rel, row);
          if (rel.kind === 'stream') {
            // A stream with a watermark drops (and counts) late rows and rows without event time.
            if (!watermarks.admit(rel, row)) {
              watermarks.persistCounters(rel, tx);
              continue;
            }
            tx.append(rel, row);
          } else if (rel.primaryKey.length === 0) {
            tx.put(rel, null, row);
          } else {
            const key = store.keyOf(rel, row);
            const existing = tx.get(rel, key);
            if (existing === undefined) {
              tx.put(rel, key, row);
              touched.add(key);
            } else if (!conflict) {
              throw duplicateKeyError(rel, row);
            } else if (conflict.action === 'nothing') {
              continue;
            } else {
              if (touched.has(key)) {
                throw new SqlError(SQLSTATE.cardinalityViolation, 'ON CONFLICT DO UPDATE command cannot affect row a second time', {
                  hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.',
                });
              }
              touched.add(key);
              // The target's columns then EXCLUDED's, as one row: what evaluate would flatten [existing, row] to.
              const both = new Array<Datum>(existing.length + row.length);
              for (let c = 0; c < existing.length; c++) both[c] = existing[c]!;
              for (let c = 0; c < row.length; c++) both[existing.length + c] = row[c]!;
              const scope = [both];
              if (conflict.where && conflict.where.evaluate(scope, params, exec) !== true) continue;
              const updated = existing.slice();
              for (const a of conflict.set) updated[a.column] = a.value.evaluate(scope, params, exec);
              checkNotNull(rel, updated);
              const newKey = store.keyOf(rel, updated);
              if (newKey !== key) {
                if (tx.get(rel, newKey) !== undefined) throw duplicateKeyError(rel, updated);
                tx.delete(rel, key);
              }
              tx.put(rel, newKey, updated);
              count++;
              if (returning) returned.push(returning.project(updated, params, exec));
              continue;
            }
          }
          count++;
          if (returning) returned.push(returning.project(row, params, exec));
        }
      });
      const tag = `INSERT 0 ${count}`;
      if (returning) return { kind: 'rows', fields: returning.fields, rows: rowsSource(returned), tag: () => tag };
      return { kind: 'command', tag };
    },
  };
}

