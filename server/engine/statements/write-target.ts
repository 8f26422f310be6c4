/**
 * The relation an INSERT, UPDATE, DELETE or COPY writes to: name resolution with PostgreSQL's
 * messages, per-column assignment casts, defaults and NOT NULL checks, so every write path
 * turns values into a stored row the same way.
 */
import type { RelationDef } from '../../catalog/model.js';
import { SqlError, SQLSTATE, err } from '../../errors.js';
import { bindScalar, type BoundScalar, type ExecContext } from '../../plan/api.js';
import { castDatum } from '../../plan/type-runtime.js';
import { parseExpression } from '../../sql/parse.js';
import type { QualifiedName, Expr } from '../../sql/ast.js';
import type { Datum, Row } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import { formatText } from '../../types/text-io.js';
import type { StatementContext } from '../statement-context.js';
import type { Store, WriteTransaction } from '../../storage/api.js';

export type WriteKind = 'insert' | 'update' | 'delete' | 'copy';

export function resolveWriteTarget(name: QualifiedName, kind: WriteKind, ctx: StatementContext): RelationDef {
  const rel = ctx.bind.catalog.lookup(name.schema, name.name);
  const display = name.schema ? `${name.schema}.${name.name}` : name.name;
  if (!rel) throw err.undefinedTable(display, name.pos);
  switch (rel.kind) {
    case 'table':
      return rel;
    case 'stream':
      if (rel.options['role'] === 'source') {
        const verb = { insert: 'insert into', update: 'update', delete: 'delete from', copy: 'copy to' }[kind];
        throw new SqlError(SQLSTATE.wrongObjectType, `cannot ${verb} source "${rel.name}"`, {
          detail: `Its rows come from its connector ('${rel.options['connector']}').`,
        });
      }
      if (rel.definition !== undefined) {
        const verb = { insert: 'insert into', update: 'update', delete: 'delete from', copy: 'copy to' }[kind];
        throw new SqlError(SQLSTATE.wrongObjectType, `cannot ${verb} stream "${rel.name}"`, {
          detail: 'Its rows are produced by its defining query (CREATE STREAM ... AS).',
        });
      }
      if (kind === 'update' || kind === 'delete') {
        throw new SqlError(SQLSTATE.wrongObjectType, `cannot ${kind} stream "${rel.name}"`, {
          detail: 'Streams are append-only: they accept INSERT and COPY only.',
          hint: 'Use a table with a primary key for rows that change.',
        });
      }
      return rel;
    case 'view':
    case 'materializedView':
    case 'system': {
      const what = rel.kind === 'view' ? 'view' : rel.kind === 'materializedView' ? 'materialized view' : 'system catalog';
      const verb = kind === 'copy' ? 'copy to' : kind;
      throw new SqlError(SQLSTATE.wrongObjectType, `cannot ${verb} ${what} "${rel.name}"`);
    }
    default: {
      const never: never = rel.kind;
      throw err.internal(`unknown relation kind ${String(never)}`);
    }
  }
}

/** Column indexes for an explicit column list, or all columns in order. */
export function targetColumns(rel: RelationDef, names: readonly string[] | undefined): number[] {
  if (!names) return rel.columns.map((_, i) => i);
  const seen = new Set<number>();
  return names.map((n) => {
    const i = rel.columns.findIndex((c) => c.name === n);
    if (i < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${n}" of relation "${rel.name}" does not exist`);
    if (seen.has(i)) throw new SqlError(SQLSTATE.duplicateColumn, `column "${n}" specified more than once`);
    seen.add(i);
    return i;
  });
}

/** Bound default expressions per column (undefined where the default is NULL). */
export function bindDefaults(rel: RelationDef, ctx: StatementContext): (BoundScalar | undefined)[] {
  return rel.columns.map((c) => {
    if (c.defaultSql === undefined) return undefined;
    const expr = parseDefaultExpr(c.defaultSql);
    return bindScalar(expr, [], [], ctx.bind, c.type);
  });
}

export function parseDefaultExpr(sql: string): Expr {
  return parseExpression(sql);
}

/** The parser gives `DEFAULT` in VALUES and in UPDATE SET as a call of `default()`. */
export function isDefaultMarker(e: Expr): boolean {
  return e.kind === 'func' && e.name === 'default' && e.args.length === 0 && !e.schema;
}

/** A column's default as an expression (NULL when it has none). */
export function columnDefaultExpr(rel: RelationDef, col: number): Expr {
  const sql = rel.columns[col]!.defaultSql;
  return sql !== undefined ? parseExpression(sql) : { kind: 'literal', value: { type: 'null' } };
}

/** Assignment cast of one value into a column, with PostgreSQL's error for impossible casts. */
export function assignValue(value: Datum, from: SqlType, rel: RelationDef, col: number): Datum {
  if (value === null) return null;
  const to = rel.columns[col]!.type;
  return castDatum(value, from, to, false);
}

/** NOT NULL checks (primary key columns are NOT NULL too). */
export function checkNotNull(rel: RelationDef, row: Row): void {
  for (let i = 0; i < rel.columns.length; i++) {
    const c = rel.columns[i]!;
    if (row[i] === null && (c.notNull || rel.primaryKey.includes(i))) {
      throw new SqlError(SQLSTATE.notNullViolation, `null value in column "${c.name}" of relation "${rel.name}" violates not-null constraint`, {
        detail: `Failing row contains (${row.map((v, j) => formatKeyValue(v ?? null, rel.columns[j]!.type)).join(', ')}).`,
        schema: rel.schema,
        table: rel.name,
        column: c.name,
      });
    }
  }
}

/** A row with defaults for every column not assigned. */
export function defaultRow(defaults: readonly (BoundScalar | undefined)[], params: readonly Datum[], exec: ExecContext): Row {
  return defaults.map((d) => (d ? d.evaluate([], params, exec) : null));
}

/** PostgreSQL's unique violation for a primary key. */
export function duplicateKeyError(rel: RelationDef, row: Row): SqlError {
  const cols = rel.primaryKey.map((i) => rel.columns[i]!.name).join(', ');
  const vals = rel.primaryKey.map((i) => formatKeyValue(row[i] ?? null, rel.columns[i]!.type)).join(', ');
  const constraint = rel.primaryKeyName ?? `${rel.name}_pkey`;
  return new SqlError(SQLSTATE.uniqueViolation, `duplicate key value violates unique constraint "${constraint}"`, {
    detail: `Key (${cols})=(${vals}) already exists.`,
    schema: rel.schema,
    table: rel.name,
    constraint,
  });
}

function formatKeyValue(v: Datum, type: SqlType): string {
  return v === null ? 'null' : formatText(v, type);
}

/** Writes a new row: append to a stream, hidden-row-id put, or keyed put with the duplicate check. */
export function insertRow(tx: WriteTransaction, store: Store, rel: RelationDef, row: Row): void {
  if (rel.kind === 'stream') tx.append(rel, row);
  else if (rel.primaryKey.length === 0) tx.put(rel, null, row);
  else {
    const key = store.keyOf(rel, row);
    if (tx.get(rel, key) !== undefined) throw duplicateKeyError(rel, row);
    tx.put(rel, key, row);
  }
}
