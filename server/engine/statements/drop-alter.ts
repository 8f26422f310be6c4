/** DROP TABLE|STREAM|VIEW and ALTER ... RENAME: catalog changes, persisted before they are acknowledged. */
import type { RelationDef, RelationKind } from '../../catalog/model.js';
import { SqlError, SQLSTATE, err } from '../../errors.js';
import type { AlterRenameStatement, DropStatement, ParsedStatement } from '../../sql/ast.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement } from './simple-result.js';

type ObjectType = DropStatement['objectType'];

const NAME_OF: Readonly<Record<ObjectType, string>> = {
  table: 'table',
  stream: 'stream',
  view: 'view',
  materializedView: 'materialized view',
  source: 'source',
  sink: 'sink',
};

const TAG_OF: Readonly<Record<ObjectType, string>> = {
  table: 'TABLE',
  stream: 'STREAM',
  view: 'VIEW',
  materializedView: 'MATERIALIZED VIEW',
  source: 'SOURCE',
  sink: 'SINK',
};

/** What DROP calls a relation: sources and sinks by their role, others by kind. */
function objectTypeOf(rel: RelationDef): ObjectType | undefined {
  const role = rel.options['role'];
  if (rel.kind === 'stream' && (role === 'source' || role === 'sink')) return role;
  switch (rel.kind) {
    case 'table': case 'stream': case 'view': case 'materializedView': return rel.kind;
    case 'system': return undefined;
    default: {
      const never: never = rel.kind;
      return never;
    }
  }
}

function checkKind(rel: RelationDef, want: ObjectType, verb: string): void {
  if (rel.kind === 'system') throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: "${rel.name}" is a system catalog`);
  const actual = objectTypeOf(rel);
  if (actual !== want) {
    const what = actual ? NAME_OF[actual] : rel.kind;
    throw new SqlError(SQLSTATE.wrongObjectType, `"${rel.name}" is not a ${NAME_OF[want]}`, {
      hint: `Use ${verb} ${what.toUpperCase()} to remove a ${what}.`,
    });
  }
}

const KIND_NAME: Readonly<Record<RelationKind, string>> = {
  table: 'table',
  stream: 'stream',
  view: 'view',
  materializedView: 'materialized view',
  system: 'system catalog',
};

function kindName(rel: RelationDef): string {
  const t = objectTypeOf(rel);
  return t ? NAME_OF[t] : KIND_NAME[rel.kind];
}

/** PostgreSQL's 2BP01 when a relation to drop is read by a view that is not dropped with it. */
function checkNoDependents(targets: readonly RelationDef[], ctx: StatementContext): void {
  const dropping = new Set(targets.map((t) => t.oid));
  for (const rel of targets) {
    const blockers = ctx.engine.dependents(rel).filter((d) => !dropping.has(d.oid));
    if (blockers.length === 0) continue;
    throw new SqlError(SQLSTATE.dependentObjectsStillExist, `cannot drop ${kindName(rel)} ${rel.name} because other objects depend on it`, {
      detail: blockers.map((d) => `${kindName(d)} ${d.name} depends on ${kindName(rel)} ${rel.name}`).join('\n'),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
  }
}

/** The targets and everything that reads them, dependents first (so each is dropped before its inputs). */
function withDependents(targets: readonly RelationDef[], ctx: StatementContext): RelationDef[] {
  const out: RelationDef[] = [];
  const seen = new Set<number>();
  const visit = (rel: RelationDef): void => {
    if (seen.has(rel.oid)) return;
    seen.add(rel.oid);
    for (const d of ctx.engine.dependents(rel)) visit(d);
    out.push(rel);
  };
  for (const t of targets) visit(t);
  return out;
}

export function prepareDrop(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as DropStatement;
  return commandStatement(parsed, ctx, () => {
    const targets: RelationDef[] = [];
    for (const n of s.names) {
      const rel = ctx.engine.catalog.lookup(n.schema, n.name);
      if (!rel || (n.schema === undefined && rel.kind === 'system')) {
        if (s.ifExists) continue;
        throw new SqlError(SQLSTATE.undefinedTable, `${NAME_OF[s.objectType]} "${n.name}" does not exist`, { position: n.pos });
      }
      checkKind(rel, s.objectType, 'DROP');
      targets.push(rel);
    }
    const order = s.cascade ? withDependents(targets, ctx) : targets;
    if (!s.cascade) checkNoDependents(targets, ctx);
    for (const rel of order) {
      const dropped = ctx.engine.dropRelation(rel);
      ctx.onRollback(dropped.undo);
      ctx.afterCommit(dropped.dropStorage);
    }
    return `DROP ${TAG_OF[s.objectType]}`;
  });
}

export function prepareAlterRename(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as AlterRenameStatement;
  return commandStatement(parsed, ctx, () => {
    const rel = ctx.engine.catalog.lookup(s.name.schema, s.name.name);
    if (!rel) {
      if (s.ifExists) return `ALTER ${TAG_OF[s.objectType]}`;
      throw err.undefinedTable(s.name.name, s.name.pos);
    }
    // PostgreSQL lets ALTER TABLE rename any relation; Freshet does too, but not system catalogs.
    if (rel.kind === 'system') throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: "${rel.name}" is a system catalog`);
    ctx.onRollback(s.column !== undefined ? ctx.engine.renameColumn(rel, s.column, s.newName) : ctx.engine.renameRelation(rel, s.newName));
    return `ALTER ${TAG_OF[s.objectType]}`;
  });
}
