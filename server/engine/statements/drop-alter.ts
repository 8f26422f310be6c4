/** DROP TABLE|STREAM|VIEW and ALTER ... RENAME: catalog changes, persisted before they are acknowledged. */
import type { RelationDef, RelationKind } from '../../catalog/model.js';
import { SqlError, SQLSTATE, err } from '../../errors.js';
import type { AlterRenameStatement, DropStatement, ParsedStatement } from '../../sql/ast.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement } from './simple-result.js';

type ObjectType = DropStatement['objectType'];

const KIND_OF: Readonly<Record<ObjectType, RelationKind | 'source'>> = {
  table: 'table',
  stream: 'stream',
  view: 'view',
  materializedView: 'materializedView',
  source: 'source',
};

const NAME_OF: Readonly<Record<ObjectType, string>> = {
  table: 'table',
  stream: 'stream',
  view: 'view',
  materializedView: 'materialized view',
  source: 'source',
};

const TAG_OF: Readonly<Record<ObjectType, string>> = {
  table: 'TABLE',
  stream: 'STREAM',
  view: 'VIEW',
  materializedView: 'MATERIALIZED VIEW',
  source: 'SOURCE',
};

function checkKind(rel: RelationDef, want: ObjectType, verb: string): void {
  if (rel.kind === 'system') throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: "${rel.name}" is a system catalog`);
  if (rel.kind !== KIND_OF[want]) {
    const what = rel.kind === 'materializedView' ? 'materialized view' : rel.kind;
    throw new SqlError(SQLSTATE.wrongObjectType, `"${rel.name}" is not a ${NAME_OF[want]}`, {
      hint: `Use ${verb} ${what.toUpperCase()} to remove a ${what}.`,
    });
  }
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
    for (const rel of targets) {
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
