/**
 * What a statement handler gets to work with: the engine (catalog, store), the session's settings,
 * the transaction its writes go to, and the bind/exec contexts the planner needs. Handlers are pure
 * functions of this context and their statement; they never reach into pgwire.
 */
import type { ExecContext, BindContext } from '../plan/api.js';
import type { WriteTransaction } from '../storage/api.js';
import type { SessionSettings } from './settings.js';
import type { FreshetEngine } from './freshet-engine.js';
import type { ParsedStatement } from '../sql/ast.js';
import type { ExecutionResult, PreparedStatement } from './api.js';
import type { Datum } from '../types/datum.js';

export interface StatementContext {
  readonly engine: FreshetEngine;
  readonly settings: SessionSettings;
  readonly user: string;
  readonly bind: BindContext;
  /** Exec context reading through the open transaction when there is one. */
  exec(): ExecContext;
  /**
   * Runs `fn` with the transaction writes go to: the open block's, or a fresh one committed
   * (durably) when `fn` returns and rolled back when it throws.
   */
  write<T>(fn: (tx: WriteTransaction) => T): T;
  /** True inside BEGIN ... COMMIT. */
  readonly inTransactionBlock: boolean;
  /** Registers how to undo a catalog change if the open transaction rolls back (no-op outside one). */
  onRollback(undo: () => void): void;
  /** Runs `action` when the open transaction commits, or now when there is none. */
  afterCommit(action: () => void): void;
}

/** A prepared statement with the closure that runs it. */
export interface EnginePrepared extends PreparedStatement {
  run(params: readonly Datum[]): Promise<ExecutionResult> | ExecutionResult;
  /** Catalog version it was bound against; a later version triggers a re-bind before running. */
  readonly catalogVersion: number;
}

/** How each statement kind is prepared. */
export type StatementHandler = (parsed: ParsedStatement, paramTypeOids: readonly number[], ctx: StatementContext) => EnginePrepared;
