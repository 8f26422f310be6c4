/**
 * What binding and execution may read: the catalog, the function registry, the session's function
 * context, and (for execution) the relation sources and the cancel check. api.ts re-exports these.
 */
import type { CatalogReader, RelationDef } from '../catalog/model.js';
import type { ChangelogChunk } from '../dynamic-table/chunk.js';
import type { FunctionContext, FunctionRegistry } from '../functions/registry.js';

export interface BindContext {
  readonly catalog: CatalogReader;
  readonly functions: FunctionRegistry;
  readonly fn: FunctionContext; // settings, user, statementTime
}

export interface ExecContext extends BindContext {
  /** Rows of a relation as insert-only chunks: user tables/streams (transaction-visible), or system tables. */
  scan(rel: RelationDef): Iterable<ChangelogChunk>;
  /** Throws SqlError 57014 when the statement was cancelled; call it between chunks. */
  checkCancel(): void;
}
