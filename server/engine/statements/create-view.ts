/**
 * CREATE [MATERIALIZED] VIEW. A plain view stores its query, which the binder expands where the view
 * is read. A materialized view is a continuous query: checked to be maintainable at CREATE time,
 * backfilled from its inputs, then kept current after every commit by the view runtime.
 */
import type { ColumnMeta, RelationDef } from '../../catalog/model.js';
import { PUBLIC_SCHEMA } from '../../catalog/model.js';
import { continuousPlan } from '../../dynamic-table/incremental-check.js';
import { checkEmitOnWindowClose } from '../../dynamic-table/watermark-lineage.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery, type BoundQuery, type LogicalPlan } from '../../plan/api.js';
import type { CreateStreamStatement, CreateViewStatement, ParsedStatement } from '../../sql/ast.js';
import { validateRelationOptions } from './relation-options.js';
import { tokenize } from '../../sql/lexer.js';
import { T } from '../../types/sql-type.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement } from './simple-result.js';

/** The text of the defining query: what follows the first top-level AS of the statement. */
export function viewQueryText(statementText: string): string {
  let depth = 0;
  for (const t of tokenize(statementText)) {
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.value === 'as') return withoutEmitClause(statementText.slice(t.end).trim());
  }
  throw new SqlError(SQLSTATE.syntaxError, 'CREATE VIEW without AS');
}

/** The query without a trailing `EMIT ON WINDOW CLOSE` (kept as a catalog flag instead). */
function withoutEmitClause(query: string): string {
  return query.replace(/\s+emit\s+on\s+window\s+close\s*;?\s*$/i, '');
}

/** The relations a plan scans (for a plain view's dependencies). */
function relationsRead(plan: LogicalPlan): RelationDef[] {
  if (plan.kind === 'scan') return plan.rel.kind === 'system' ? [] : [plan.rel];
  return plan.inputs.flatMap(relationsRead);
}

export function viewColumns(bound: BoundQuery, names: readonly string[] | undefined): ColumnMeta[] {
  if (names && names.length > bound.fields.length) {
    throw new SqlError(SQLSTATE.syntaxError, 'CREATE VIEW specifies more column names than columns');
  }
  const seen = new Set<string>();
  return bound.fields.map((f, i) => {
    const name = names?.[i] ?? f.name;
    if (seen.has(name)) throw new SqlError(SQLSTATE.duplicateColumn, `column "${name}" specified more than once`);
    seen.add(name);
    return { name, type: f.type.kind === 'unknown' ? T.text : f.type, notNull: false, attnum: i + 1 };
  });
}

export function prepareCreateView(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as CreateViewStatement;
  const kind = s.materialized ? 'materializedView' : 'view';
  const tag = s.materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW';
  return commandStatement(parsed, ctx, () => {
    const schema = s.name.schema ?? PUBLIC_SCHEMA;
    if (schema !== PUBLIC_SCHEMA) throw new SqlError(SQLSTATE.invalidSchemaName, `schema "${schema}" does not exist`, { position: s.name.pos });
    const existing = ctx.engine.catalog.lookup(schema, s.name.name);
    if (existing?.schema === schema) {
      if (s.ifNotExists) return tag;
      if (s.orReplace) throw new SqlError(SQLSTATE.featureNotSupported, 'CREATE OR REPLACE VIEW is not supported yet');
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${s.name.name}" already exists`);
    }
    const bound = bindQuery(s.query, [], ctx.bind);
    if (bound.paramTypes.length > 0) throw new SqlError(SQLSTATE.featureNotSupported, 'a view cannot have parameters');
    const continuous = s.materialized ? continuousPlan(bound.plan) : undefined;
    if (continuous && s.emitOnWindowClose) checkEmitOnWindowClose(continuous.plan);
    const inputs = continuous ? continuous.inputs : relationsRead(bound.plan);
    const def: Omit<RelationDef, 'oid'> = {
      schema,
      name: s.name.name,
      kind,
      columns: viewColumns(bound, s.columnNames),
      primaryKey: [],
      options: {},
      definition: viewQueryText(parsed.source.text),
      dependsOn: [...new Set(inputs.map((r) => r.oid))],
      ...(s.emitOnWindowClose ? { emitOnWindowClose: true } : {}),
    };
    const rel = ctx.engine.createRelation(def);
    ctx.onRollback(() => ctx.engine.forgetRelation(rel));
    if (continuous) ctx.engine.startView(rel, continuous.plan);
    return tag;
  });
}

/**
 * CREATE STREAM s AS query: a continuous query whose output is kept as a stream. An append-only
 * query's rows are the stream's rows; otherwise each row also carries `op` (+I, -U, +U, -D), the
 * changelog in the order it was produced.
 */
export function prepareCreateStreamAs(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as CreateStreamStatement;
  const query = s.asQuery;
  if (!query) throw new SqlError(SQLSTATE.internalError, 'CREATE STREAM AS without a query');
  return commandStatement(parsed, ctx, () => {
    const schema = s.name.schema ?? PUBLIC_SCHEMA;
    if (schema !== PUBLIC_SCHEMA) throw new SqlError(SQLSTATE.invalidSchemaName, `schema "${schema}" does not exist`, { position: s.name.pos });
    if (ctx.engine.catalog.lookup(schema, s.name.name)?.schema === schema) {
      if (s.ifNotExists) return s.connectorRole === 'sink' ? 'CREATE SINK' : 'CREATE STREAM';
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${s.name.name}" already exists`);
    }
    const bound = bindQuery(query, [], ctx.bind);
    const sink = s.connectorRole === 'sink';
    const { plan, inputs } = continuousPlan(bound.plan, { processingTime: sink });
    if (s.emitOnWindowClose) checkEmitOnWindowClose(plan);
    const sinkOptions = sink ? sinkOptionsOf(s) : undefined;
    const columns = viewColumns(bound, undefined);
    // EMIT ON WINDOW CLOSE makes the output append-only: one final row per closed window.
    const withOp = !bound.plan.appendOnly && !s.emitOnWindowClose;
    if (withOp) {
      if (columns.some((c) => c.name === 'op')) {
        throw new SqlError(SQLSTATE.duplicateColumn, 'column "op" specified more than once', {
          hint: 'The query produces updates, so the stream gets an "op" column; rename the query\'s "op" column.',
        });
      }
      columns.push({ name: 'op', type: T.text, notNull: true, attnum: columns.length + 1 });
    }
    const rel = ctx.engine.createRelation({
      schema,
      name: s.name.name,
      kind: 'stream',
      columns,
      primaryKey: [],
      options: sinkOptions ?? { ...validateRelationOptions(s.with, 'stream'), changelog: withOp ? 'true' : 'false' },
      definition: viewQueryText(parsed.source.text),
      dependsOn: [...new Set(inputs.map((r) => r.oid))],
      ...(s.emitOnWindowClose ? { emitOnWindowClose: true } : {}),
    });
    ctx.onRollback(() => ctx.engine.forgetRelation(rel));
    ctx.engine.startView(rel, plan);
    return sink ? 'CREATE SINK' : 'CREATE STREAM';
  });
}

/**
 * `CREATE SINK ... WITH (connector = 'blackhole')`: the query runs and its output is counted and
 * dropped (the sink of benchmarks, and a way to keep a query's watermarks and state running).
 */
function sinkOptionsOf(s: CreateStreamStatement): Record<string, string> {
  const out: Record<string, string> = { role: 'sink' };
  for (const { key, value } of s.with) {
    if (key !== 'connector') throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized sink option "${key}"`, { hint: 'Valid options are: connector.' });
    out['connector'] = String(value).toLowerCase();
  }
  if (out['connector'] !== 'blackhole') {
    throw new SqlError(SQLSTATE.featureNotSupported, out['connector'] === undefined ? 'CREATE SINK needs a connector option' : `connector "${out['connector']}" is not available for sinks`, {
      hint: "The available sink connector is 'blackhole'.",
    });
  }
  return out;
}
