/**
 * CREATE TABLE and CREATE STREAM with column definitions: checks the definition the way PostgreSQL
 * does (duplicate columns, one primary key, types), records it in the catalog, creates its storage,
 * and persists the catalog before acknowledging.
 */
import type { ColumnMeta, RelationDef } from '../../catalog/model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindScalar } from '../../plan/api.js';
import type { ColumnDef, CreateStreamStatement, CreateTableStatement, ParsedStatement, TableConstraint } from '../../sql/ast.js';
import { exprSql } from '../../sql/deparse.js';
import { resolveTypeName } from '../../types/type-name.js';
import { PUBLIC_SCHEMA } from '../../catalog/model.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement } from './simple-result.js';
import { validateRelationOptions } from './relation-options.js';
import { prepareCreateStreamAs } from './create-view.js';
import { watermarkDefOf } from './watermark-def.js';
import { nexmarkSourceOptions, nexmarkSourceShape, nexmarkSourceSpec } from '../../connectors/nexmark-source-options.js';

function primaryKeyOf(table: string, columns: readonly ColumnDef[], constraints: readonly TableConstraint[]): number[] {
  const fromColumns = columns.flatMap((c, i) => (c.primaryKey ? [i] : []));
  const tableKeys = constraints.filter((c) => c.kind === 'primaryKey');
  if (fromColumns.length > 1 || tableKeys.length > 1 || (fromColumns.length > 0 && tableKeys.length > 0)) {
    throw new SqlError(SQLSTATE.invalidTableDefinition, `multiple primary keys for table "${table}" are not allowed`);
  }
  if (fromColumns.length === 1) return fromColumns;
  const pk = tableKeys[0];
  if (!pk) return [];
  return pk.columns.map((name) => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" named in key does not exist`);
    return i;
  });
}

function columnMetas(columns: readonly ColumnDef[], pk: readonly number[], ctx: StatementContext): ColumnMeta[] {
  const seen = new Set<string>();
  return columns.map((c, i) => {
    if (seen.has(c.name)) throw new SqlError(SQLSTATE.duplicateColumn, `column "${c.name}" specified more than once`, { position: c.pos });
    seen.add(c.name);
    if (c.unique && !c.primaryKey) {
      throw new SqlError(SQLSTATE.featureNotSupported, 'UNIQUE constraints other than the primary key are not supported yet', { position: c.pos });
    }
    const type = resolveTypeName(c.type);
    let defaultSql: string | undefined;
    if (c.default) {
      // Bind now so a bad default is an error at CREATE time, as in PostgreSQL.
      bindScalar(c.default, [], [], ctx.bind, type);
      defaultSql = exprSql(c.default);
    }
    return { name: c.name, type, notNull: c.notNull || pk.includes(i), defaultSql, attnum: i + 1 };
  });
}

export function prepareCreateRelation(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as CreateTableStatement | CreateStreamStatement;
  const isStream = s.kind === 'createStream';
  if (isStream && s.asQuery) return prepareCreateStreamAs(parsed, ctx);
  if (s.kind === 'createStream' && s.connectorRole === 'source') return prepareCreateSource(parsed, s, ctx);
  return commandStatement(parsed, ctx, () => {
    const schema = s.name.schema ?? PUBLIC_SCHEMA;
    if (schema !== PUBLIC_SCHEMA) throw new SqlError(SQLSTATE.invalidSchemaName, `schema "${schema}" does not exist`, { position: s.name.pos });
    const tag = isStream ? 'CREATE STREAM' : 'CREATE TABLE';
    if (ctx.engine.catalog.lookup(schema, s.name.name)?.schema === schema) {
      if (s.ifNotExists) return tag; // PostgreSQL also sends a NOTICE; the tag is what clients rely on
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${s.name.name}" already exists`);
    }
    const constraints = s.kind === 'createTable' ? s.constraints : [];
    for (const c of constraints) {
      if (c.kind === 'unique') throw new SqlError(SQLSTATE.featureNotSupported, 'UNIQUE constraints other than the primary key are not supported yet');
    }
    const pk = primaryKeyOf(s.name.name, s.columns, constraints);
    if (isStream && pk.length > 0) {
      throw new SqlError(SQLSTATE.invalidTableDefinition, 'a stream cannot have a primary key', {
        hint: 'Streams are append-only; use CREATE TABLE ... PRIMARY KEY for an upsert table.',
      });
    }
    if (s.columns.length === 0) throw new SqlError(SQLSTATE.featureNotSupported, `a ${isStream ? 'stream' : 'table'} needs at least one column`);
    const columns = columnMetas(s.columns, pk, ctx);
    const options = validateRelationOptions(s.with, isStream ? 'stream' : 'table');
    const idle = options['watermark_idle_timeout'];
    const watermarkClause = s.kind === 'createStream' ? s.watermark : undefined;
    if (idle !== undefined && !watermarkClause) {
      throw new SqlError(SQLSTATE.invalidParameterValue, 'option "watermark_idle_timeout" needs a WATERMARK on the stream');
    }
    const watermark = watermarkClause ? watermarkDefOf(watermarkClause, columns, idle === undefined ? undefined : Number(idle), ctx) : undefined;
    const def: Omit<RelationDef, 'oid'> = {
      schema,
      name: s.name.name,
      kind: isStream ? 'stream' : 'table',
      columns,
      primaryKey: pk,
      options,
      ...(watermark ? { watermark } : {}),
    };
    const rel = ctx.engine.createRelation(def);
    ctx.onRollback(() => ctx.engine.forgetRelation(rel));
    return tag;
  });
}

/**
 * CREATE SOURCE name WITH (connector = 'nexmark', type = ...): a stream whose rows the connector
 * generates; its columns and WATERMARK come from the connector (connectors/nexmark-source-options.ts).
 */
function prepareCreateSource(parsed: ParsedStatement, s: CreateStreamStatement, ctx: StatementContext): EnginePrepared {
  return commandStatement(parsed, ctx, () => {
    const schema = s.name.schema ?? PUBLIC_SCHEMA;
    if (schema !== PUBLIC_SCHEMA) throw new SqlError(SQLSTATE.invalidSchemaName, `schema "${schema}" does not exist`, { position: s.name.pos });
    if (ctx.engine.catalog.lookup(schema, s.name.name)?.schema === schema) {
      if (s.ifNotExists) return 'CREATE SOURCE';
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${s.name.name}" already exists`);
    }
    const options: Record<string, string> = { ...nexmarkSourceOptions(s.with), role: 'source' };
    const { columns, watermark } = nexmarkSourceShape(nexmarkSourceSpec(options).kind, Number(options['watermark_delay']));
    const rel = ctx.engine.createRelation({ schema, name: s.name.name, kind: 'stream', columns, primaryKey: [], options, watermark });
    ctx.onRollback(() => ctx.engine.forgetRelation(rel));
    return 'CREATE SOURCE';
  });
}
