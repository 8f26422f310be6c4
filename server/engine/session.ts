/**
 * One client session: parses and prepares statements, runs them, and owns the session's
 * transaction state (autocommit, an open BEGIN block, or a failed block) and settings.
 * Statement kinds are dispatched to handlers in statements/; this file holds no statement logic.
 */
import type { RelationDef } from '../catalog/model.js';
import { systemRows } from '../catalog/system/index.js';
import { ChangelogChunk } from '../dynamic-table/chunk.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import type { FunctionContext } from '../functions/registry.js';
import type { SettingWriter } from '../catalog/functions/settings.js';
import type { BindContext, ExecContext } from '../plan/api.js';
import { parseStatements } from '../sql/parse.js';
import type { ParsedStatement, Statement } from '../sql/ast.js';
import type { WriteTransaction } from '../storage/api.js';
import type { Datum } from '../types/datum.js';
import type { EngineSession, ExecutionResult, PreparedStatement, SessionStartup, TransactionStatus } from './api.js';
import type { FreshetEngine } from './freshet-engine.js';
import { SessionSettings } from './settings.js';
import type { TextFormatContext } from '../types/text-io.js';
import { regOut } from '../catalog/regnames.js';
import { parseSearchPath } from '../catalog/search-path.js';
import type { EnginePrepared, StatementContext } from './statement-context.js';
import { prepareAlterRename, prepareDrop } from './statements/drop-alter.js';
import { prepareCopyFrom } from './statements/copy-from.js';
import { prepareCreateRelation } from './statements/create-relation.js';
import { prepareCreateTableAs } from './statements/create-table-as.js';
import { prepareCreateView } from './statements/create-view.js';
import { prepareExplain } from './statements/explain.js';
import { prepareInsert } from './statements/insert.js';
import { prepareQuery } from './statements/query.js';
import { prepareReset, prepareSet, prepareSetSessionCharacteristics, prepareShow } from './statements/settings-statements.js';
import { commandStatement } from './statements/simple-result.js';
import { prepareDelete, prepareUpdate } from './statements/update-delete.js';
import { prepareCloseCursor, prepareDeclareCursor, prepareFetch, prepareSubscribe, type CursorContext } from './statements/subscribe.js';
import { prepareCopyTo } from './statements/copy-to.js';
import { CursorRegistry } from './cursors.js';
import { checkpointStats } from '../checkpoint/coordinator.js';

const SCAN_CHUNK_ROWS = 1024;

/**
 * An open transaction: explicit (BEGIN ... COMMIT) or implicit (the statements of one multi-statement
 * simple Query, which PostgreSQL runs as one transaction). Catalog changes made inside register undo
 * actions; work that must wait for COMMIT (dropping a relation's storage) is deferred.
 */
interface TransactionBlock {
  kind: 'explicit' | 'implicit';
  tx: WriteTransaction | null;
  failed: boolean;
  readOnly: boolean;
  startedAt: number;
  readonly undo: (() => void)[];
  readonly onCommit: (() => void)[];
}

function nowMicros(): number {
  return Date.now() * 1000;
}

export class Session implements EngineSession, CursorContext {
  readonly cursors = new CursorRegistry();
  readonly settings: SessionSettings;
  readonly user: string;
  readonly bind: BindContext;
  private block: TransactionBlock | null = null;
  /** Statements left in the current multi-statement simple Query (its implicit transaction). */
  private implicitRemaining = 0;
  private cancelRequested = false;
  private statementTime = nowMicros();
  private closed = false;
  private textContextCache: TextFormatContext | null = null;

  constructor(
    readonly engine: FreshetEngine,
    startup: SessionStartup,
    readonly id: number,
  ) {
    this.user = startup.user;
    this.settings = new SessionSettings(startup.parameters, startup.user);
    const session = this;
    const fn: FunctionContext & SettingWriter = {
      catalog: engine.catalog,
      setting: (name) => session.settings.get(name),
      setSetting: (name, value, isLocal) => (isLocal ? session.settings.setLocal(name, value) : session.settings.set(name, value)),
      user: startup.user,
      get statementTime() {
        return session.statementTime;
      },
    };
    this.bind = { catalog: engine.catalog, functions: engine.functions, fn };
  }

  get inTransactionBlock(): boolean {
    return this.block?.kind === 'explicit';
  }

  onRollback(undo: () => void): void {
    this.block?.undo.push(undo);
  }

  afterCommit(action: () => void): void {
    if (this.block) this.block.onCommit.push(action);
    else action();
  }

  // ------------------------------------------------------------------ EngineSession

  parse(sql: string): ParsedStatement[] {
    const statements = parseStatements(sql);
    // pgwire calls parse() for a simple Query and runs what it returns in order: several statements
    // form one implicit transaction, as in PostgreSQL. (Parse of an extended query has one statement.)
    const count = statements.filter((p) => p.statement.kind !== 'empty').length;
    this.implicitRemaining = count > 1 ? count : 0;
    return statements;
  }

  async prepare(parsed: ParsedStatement, paramTypeOids: readonly number[]): Promise<PreparedStatement> {
    try {
      return this.prepareNow(parsed, paramTypeOids);
    } catch (e) {
      this.statementFailed();
      throw toSqlError(e);
    }
  }

  async execute(prepared: PreparedStatement, params: readonly Datum[]): Promise<ExecutionResult> {
    let p = prepared as EnginePrepared;
    this.cancelRequested = false;
    if (this.implicitRemaining > 0 && !this.block) this.block = this.newBlock('implicit');
    this.statementTime = this.block ? this.block.startedAt : nowMicros();
    let result: ExecutionResult;
    try {
      if (this.block?.failed && !isTransactionEnd(p.parsed.statement)) {
        throw new SqlError(SQLSTATE.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
      }
      if (p.catalogVersion !== this.engine.catalogVersion && p.parsed.statement.kind !== 'transaction') {
        p = this.prepareNow(p.parsed, p.paramTypes.map(() => 0), p);
      }
      result = await p.run(params);
    } catch (e) {
      this.statementFailed();
      throw toSqlError(e);
    }
    if (this.implicitRemaining > 0 && --this.implicitRemaining === 0 && this.block?.kind === 'implicit') {
      // The last statement of a multi-statement Query: its implicit transaction commits. A result
      // still being fetched (rows) was computed from data already read; a COPY commits itself.
      this.endBlock(true);
    }
    return result;
  }

  /** A statement failed: an implicit transaction rolls back now; an explicit block becomes failed. */
  private statementFailed(): void {
    if (this.block?.kind === 'implicit') {
      this.endBlock(false);
      this.implicitRemaining = 0;
    } else if (this.block) {
      this.block.failed = true;
    }
    this.implicitRemaining = 0;
  }

  private newBlock(kind: TransactionBlock['kind'], readOnly = false): TransactionBlock {
    this.settings.beginTransaction();
    return { kind, tx: null, failed: false, readOnly, startedAt: nowMicros(), undo: [], onCommit: [] };
  }

  /** Commits (unless failed) or rolls back the open block, with its catalog undo or deferred work. */
  private endBlock(commit: boolean): 'COMMIT' | 'ROLLBACK' {
    const block = this.block;
    this.block = null;
    if (!block) return commit ? 'COMMIT' : 'ROLLBACK';
    const committed = commit && !block.failed;
    if (committed) {
      block.tx?.commit();
      for (const action of block.onCommit) action();
      if (block.tx) this.engine.afterCommit();
    } else {
      block.tx?.rollback();
      for (let i = block.undo.length - 1; i >= 0; i--) block.undo[i]!();
    }
    this.settings.endTransaction(committed);
    this.cursors.endOfTransaction();
    return committed ? 'COMMIT' : 'ROLLBACK';
  }

  transactionStatus(): TransactionStatus {
    if (!this.block) return 'I';
    return this.block.failed ? 'E' : 'T';
  }

  markFailed(): void {
    if (this.block?.kind === 'explicit') this.block.failed = true;
  }

  initialParameters(): ReadonlyArray<readonly [string, string]> {
    return this.settings.reported();
  }

  takeParameterChanges(): ReadonlyArray<readonly [string, string]> {
    return this.settings.takeChanges();
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  cancelled(): boolean {
    return this.cancelRequested;
  }

  textFormatContext(): TextFormatContext {
    const timeZone = this.settings.get('timezone') ?? 'UTC';
    // The name function reads the live catalog and search path; only the time zone is captured.
    if (this.textContextCache?.timeZone !== timeZone) {
      const catalog = this.engine.catalog;
      const session = this;
      this.textContextCache = {
        timeZone,
        regName: (kind, oid) => regOut(kind, oid, catalog, parseSearchPath(session.settings.get('search_path'), session.user)),
      };
    }
    return this.textContextCache;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.block) this.endBlock(false);
    this.cursors.close('all');
  }

  // ------------------------------------------------------------------ StatementContext

  exec(): ExecContext {
    const session = this;
    const tx = this.block?.tx ?? null;
    return {
      ...this.bind,
      scan: (rel) => session.scan(rel, tx),
      checkCancel: () => {
        if (session.cancelRequested) {
          session.cancelRequested = false;
          throw new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');
        }
      },
    };
  }

  write<T>(fn: (tx: WriteTransaction) => T): T {
    if (this.block && this.block.kind === 'implicit' && this.implicitRemaining === 0) this.endBlock(true);
    if (this.block) {
      if (this.block.readOnly) throw new SqlError(SQLSTATE.readOnlySqlTransaction, 'cannot execute a write in a read-only transaction');
      if (!this.block.tx) this.block.tx = this.engine.store.begin();
      return fn(this.block.tx);
    }
    if (this.settings.get('default_transaction_read_only') === 'on') {
      throw new SqlError(SQLSTATE.readOnlySqlTransaction, 'cannot execute a write in a read-only transaction');
    }
    const tx = this.engine.store.begin();
    let result: T;
    try {
      result = fn(tx);
    } catch (e) {
      tx.rollback();
      throw e;
    }
    tx.commit();
    this.engine.afterCommit();
    return result;
  }

  // ------------------------------------------------------------------ internals

  private *scan(rel: RelationDef, tx: WriteTransaction | null): Iterable<ChangelogChunk> {
    if (this.engine.sources.isSource(rel)) {
      yield* this.engine.sources.scan(rel);
      return;
    }
    if (rel.kind === 'system') {
      const views = this.engine.views;
      const runtime = {
        streamWatermarks: () => views.watermarks.statuses().map((w) => ({ oid: w.rel.oid, watermark: w.watermark, lateRows: w.lateRows, nullTimeRows: w.nullTimeRows, malformedRows: w.malformedRows, idle: w.idle })),
        queryStats: () => views.queryStats(),
        checkpoints: () => checkpointStats(this.engine.checkpoints),
        recovery: () => this.engine.checkpoints?.recovery,
      };
      const rows = systemRows(rel, { catalog: this.engine.catalog, setting: (n) => this.settings.get(n), user: this.user, runtime });
      for (let i = 0; i < rows.length; i += SCAN_CHUNK_ROWS) {
        yield ChangelogChunk.fromRows(rel.columns.length, rows.slice(i, i + SCAN_CHUNK_ROWS));
      }
      return;
    }
    if (rel.kind === 'materializedView') {
      yield* this.engine.views.scan(rel.oid);
      return;
    }
    if (rel.kind === 'view') throw new SqlError(SQLSTATE.internalError, `view "${rel.name}" should have been expanded by the binder`);
    if (!tx) {
      yield* this.engine.store.scan(rel, SCAN_CHUNK_ROWS);
      return;
    }
    let batch: Datum[][] = [];
    for (const { row } of tx.scan(rel)) {
      batch.push(row);
      if (batch.length === SCAN_CHUNK_ROWS) {
        yield ChangelogChunk.fromRows(rel.columns.length, batch);
        batch = [];
      }
    }
    if (batch.length) yield ChangelogChunk.fromRows(rel.columns.length, batch);
  }

  private prepareNow(parsed: ParsedStatement, paramTypeOids: readonly number[], previous?: EnginePrepared): EnginePrepared {
    const s = parsed.statement;
    switch (s.kind) {
      case 'query':
        return prepareQuery(parsed, paramTypeOids, this);
      case 'insert':
        return prepareInsert(parsed, paramTypeOids, this);
      case 'update':
        return prepareUpdate(parsed, paramTypeOids, this);
      case 'delete':
        return prepareDelete(parsed, paramTypeOids, this);
      case 'createTable':
      case 'createStream':
        return prepareCreateRelation(parsed, this);
      case 'createTableAs':
        return prepareCreateTableAs(parsed, this);
      case 'createView':
        return prepareCreateView(parsed, this);
      case 'drop':
        return prepareDrop(parsed, this);
      case 'alterRename':
        return prepareAlterRename(parsed, this);
      case 'copyFrom':
        return prepareCopyFrom(parsed, this);
      case 'set':
        return prepareSet(parsed, this);
      case 'reset':
        return prepareReset(parsed, this);
      case 'show':
        return prepareShow(parsed, this);
      case 'setSessionCharacteristics':
        return prepareSetSessionCharacteristics(parsed, this);
      case 'transaction':
        return this.prepareTransaction(parsed, s);
      case 'explain':
        return prepareExplain(parsed, paramTypeOids, this);
      case 'discard':
        return commandStatement(parsed, this, () => {
          this.settings.reset('all');
          return `DISCARD ${s.what.toUpperCase()}`;
        });
      case 'checkpoint':
        return {
          parsed, paramTypes: [], fields: null, catalogVersion: this.engine.catalogVersion,
          run: async () => {
            await this.engine.checkpoint();
            return { kind: 'command', tag: 'CHECKPOINT' };
          },
        };
      case 'subscribe':
        return prepareSubscribe(parsed, this);
      case 'declareCursor':
        return prepareDeclareCursor(parsed, this);
      case 'fetch':
        return prepareFetch(parsed, this);
      case 'closeCursor':
        return prepareCloseCursor(parsed, this);
      case 'copyTo':
        return prepareCopyTo(parsed, this);
      case 'empty':
        return { parsed, paramTypes: [], fields: null, catalogVersion: this.engine.catalogVersion, run: () => ({ kind: 'empty' }) };
      default: {
        const never: never = s;
        void previous;
        throw new SqlError(SQLSTATE.featureNotSupported, `statement ${(never as Statement).kind} is not supported`);
      }
    }
  }

  private prepareTransaction(parsed: ParsedStatement, s: Extract<Statement, { kind: 'transaction' }>): EnginePrepared {
    return commandStatement(parsed, this, () => {
      switch (s.action) {
        case 'begin': {
          const modes = (s.modes ?? []).map((m) => m.toLowerCase().replace(/\s+/g, ' ').trim());
          const readOnly = modes.includes('read only') || (this.settings.get('default_transaction_read_only') === 'on' && !modes.includes('read write'));
          if (this.block?.kind === 'explicit') return 'BEGIN'; // PostgreSQL warns "there is already a transaction in progress"
          if (this.block) {
            // BEGIN inside a multi-statement Query turns its implicit transaction into a block.
            this.block.kind = 'explicit';
            this.block.readOnly = readOnly;
          } else {
            this.block = this.newBlock('explicit', readOnly);
          }
          this.implicitRemaining = 0;
          return 'BEGIN';
        }
        case 'commit':
        case 'rollback': {
          // Without a block PostgreSQL warns "there is no transaction in progress".
          const tag = this.endBlock(s.action === 'commit');
          if (this.implicitRemaining > 1) this.block = this.newBlock('implicit');
          return s.action === 'commit' ? tag : 'ROLLBACK';
        }
        default: {
          const never: never = s.action;
          throw new Error(`unknown transaction action ${String(never)}`);
        }
      }
    });
  }
}

function isTransactionEnd(s: Statement): boolean {
  return s.kind === 'transaction' && (s.action === 'commit' || s.action === 'rollback');
}
