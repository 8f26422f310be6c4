/**
 * The engine of one Freshet process: the durable store, the catalog over it, and the sessions that
 * clients open. DDL goes through here so that the catalog, the storage of each relation and the
 * persisted catalog snapshot always change together.
 */
import { Catalog } from '../catalog/catalog.js';
import type { RelationDef } from '../catalog/model.js';
import '../catalog/functions/index.js';
import '../functions/index.js';
import { builtinFunctions, type FunctionRegistry } from '../functions/registry.js';
import type { Store } from '../storage/api.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import type { Engine, EngineSession, SessionStartup } from './api.js';
import { Session } from './session.js';
import { ViewRuntime } from '../dynamic-table/view-runtime.js';
import { SourceDriver } from '../connectors/source-driver.js';
import { continuousPlan } from '../dynamic-table/incremental-check.js';
import { bindQuery, type ExecContext, type LogicalPlan } from '../plan/api.js';
import { parseStatements } from '../sql/parse.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { FunctionContext } from '../functions/registry.js';
import { CheckpointCoordinator } from '../checkpoint/coordinator.js';
import { openWorkerCheckpointBackend } from '../checkpoint/worker-backend.js';
import type { CheckpointReport } from '../checkpoint/api.js';
import type { RestoredQuery } from '../dynamic-table/query-checkpoint.js';

/** Tables and streams keep rows in the store; views do not (a materialized view lives in memory). */
function hasStorage(rel: RelationDef): boolean {
  return rel.kind === 'table' || rel.kind === 'stream';
}

export interface EngineOptions {
  /** When set, clients must send this password (cleartext auth). */
  readonly password?: string;
  /** Connector sources generate in the background (default true); false: only on `sources.step()` / `drain()`. */
  readonly sourcesAutostart?: boolean;
  /** Milliseconds between checkpoints (default 5000); 0: only on CHECKPOINT. */
  readonly checkpointIntervalMs?: number;
  /** Complete checkpoints kept (default 3). */
  readonly checkpointRetain?: number;
  /** Simulated slow disk: the checkpoint backend waits this long before each write (tests, benchmarks). */
  readonly checkpointWriteDelayMs?: number;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5000;
const DEFAULT_CHECKPOINT_RETAIN = 3;

export class FreshetEngine implements Engine {
  readonly functions: FunctionRegistry = builtinFunctions;
  /** Bumped by every DDL; prepared statements bound against an older version re-bind. */
  catalogVersion = 1;
  private nextSessionId = 1;
  readonly startedAt = Date.now();
  readonly views: ViewRuntime;
  /** Connector sources (CREATE SOURCE): rows generated, delivered to views as epochs. */
  readonly sources: SourceDriver;
  /** Checkpoints of the running queries' state (set by `open`). */
  checkpoints: CheckpointCoordinator | undefined;

  constructor(
    readonly store: Store,
    readonly catalog: Catalog,
    private readonly options: EngineOptions = {},
  ) {
    this.views = new ViewRuntime(store, catalog);
    this.sources = new SourceDriver((deliveries) => this.views.deliverSources(deliveries), { autostart: options.sourcesAutostart ?? true });
    this.views.sources = this.sources;
  }

  /**
   * Opens the data dir: the store and catalog, then recovery (every continuous query restored from
   * the newest restorable checkpoint and caught up from its inputs' logs, or rebuilt), then the
   * sources and the checkpoint timer start.
   */
  static async open(dataDir: string, options: EngineOptions = {}): Promise<FreshetEngine> {
    const store = openSqliteStore(dataDir);
    const snapshot = store.loadCatalog();
    const catalog = snapshot ? Catalog.fromSnapshot(snapshot) : new Catalog();
    const engine = new FreshetEngine(store, catalog, options);
    engine.sources.hold();
    for (const rel of catalog.relations()) if (engine.sources.isSource(rel)) engine.sources.register(rel);
    try {
      // synchronous NORMAL: a checkpoint survives a process crash; a power loss may drop the newest
      // ones (never corrupt them), and recovery then restores an older one and replays more log.
      // On its own thread: a checkpoint's encoding, checksums and SQLite write never hold up the queries.
      const backend = await openWorkerCheckpointBackend(dataDir, { writeDelayMs: options.checkpointWriteDelayMs, synchronous: 'normal' });
      engine.checkpoints = await CheckpointCoordinator.open(backend, engine.views, engine.sources, {
        intervalMs: options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        retain: options.checkpointRetain ?? DEFAULT_CHECKPOINT_RETAIN,
      });
      await engine.recover(engine.checkpoints);
    } catch (e) {
      await engine.close();
      throw e;
    }
    engine.sources.release();
    engine.checkpoints.start();
    return engine;
  }

  /** CHECKPOINT: takes a checkpoint now and resolves once it is complete. */
  async checkpoint(): Promise<CheckpointReport> {
    if (!this.checkpoints) throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, 'checkpoints are not enabled');
    return this.checkpoints.checkpoint();
  }

  openSession(startup: SessionStartup): EngineSession {
    return new Session(this, startup, this.nextSessionId++);
  }

  checkPassword(_user: string, password: string): boolean {
    return this.options.password !== undefined && password === this.options.password;
  }

  createRelation(def: Omit<RelationDef, 'oid'>): RelationDef {
    const rel = this.catalog.create(def);
    if (hasStorage(rel)) this.store.createRelation(rel);
    this.persistCatalog();
    if (this.sources.isSource(rel)) this.sources.register(rel);
    return rel;
  }

  /** Undoes a createRelation (a CREATE in a rolled-back block). */
  forgetRelation(rel: RelationDef): void {
    this.sources.unregister(rel.oid);
    this.views.watermarks.forget(rel.oid);
    this.views.stop(rel.oid);
    this.catalog.drop(rel.oid);
    this.persistCatalog();
    if (hasStorage(rel)) this.store.dropRelation(rel.oid);
  }

  /**
   * Starts maintaining a materialized view (backfill now, then after every commit), or in recovery
   * restores it from `restored`; returns whether it was restored.
   */
  startView(rel: RelationDef, plan: LogicalPlan, restarting = false, restored?: RestoredQuery): boolean {
    return this.views.start(rel, plan, this.viewContext(), { emitBackfill: !restarting, withOpColumn: rel.options.changelog === 'true', discardOutput: rel.options['role'] === 'sink' }, restored);
  }

  /** Called after every commit: running views take in the committed changes. */
  afterCommit(): void {
    this.views.afterCommit();
  }

  /** Relations whose definitions read `rel` directly. */
  dependents(rel: RelationDef): RelationDef[] {
    return this.catalog.relations().filter((r) => r.dependsOn?.includes(rel.oid));
  }

  /** Context for continuous queries: no session; settings at their defaults. */
  private viewContext(): ExecContext {
    const fn: FunctionContext = { catalog: this.catalog, setting: () => undefined, user: 'freshet', statementTime: Date.now() * 1000 };
    return {
      catalog: this.catalog,
      functions: this.functions,
      fn,
      scan: (rel) => {
        throw new SqlError(SQLSTATE.internalError, `a continuous query tried to read "${rel.name}" outside its inputs`);
      },
      checkCancel: () => {},
    };
  }

  /** The plan of a view's or derived stream's stored definition. */
  private bindDefinition(rel: RelationDef): LogicalPlan {
    const [parsed] = parseStatements(rel.definition ?? '');
    if (parsed?.statement.kind !== 'query') throw new SqlError(SQLSTATE.internalError, `stored definition of "${rel.name}" is not a query`);
    return continuousPlan(bindQuery(parsed.statement.query, [], this.viewContext()).plan, { processingTime: rel.options['role'] === 'sink' }).plan;
  }

  /**
   * Restarts every continuous query after the process starts, in oid order: restored from the newest
   * restorable checkpoint where it holds the query's state (then caught up from the inputs' logs),
   * else re-bound and backfilled. A derived stream's output already appended is never appended again.
   */
  private async recover(checkpoints: CheckpointCoordinator): Promise<void> {
    const started = performance.now();
    const point = await checkpoints.loadRestorePoint();
    this.sources.resume(point.builtinPositions);
    this.views.beginRecovery();
    let restored = 0;
    let rebuilt = 0;
    try {
      for (const rel of this.catalog.relations()) {
        if ((rel.kind !== 'materializedView' && rel.kind !== 'stream') || !rel.definition) continue;
        if (this.startView(rel, this.bindDefinition(rel), true, point.queries.get(rel.oid))) restored++;
        else rebuilt++;
      }
    } finally {
      this.views.finishRecovery();
    }
    checkpoints.recovery = { checkpointId: point.checkpointId, skipped: point.skipped, restoredQueries: restored, rebuiltQueries: rebuilt, durationMs: performance.now() - started };
    for (const s of point.skipped) process.emitWarning(`checkpoint ${s.id} skipped: ${s.failure}`, { code: 'FRESHET_CHECKPOINT_DAMAGED' });
    for (const p of checkpoints.backend.openProblems()) process.emitWarning(p, { code: 'FRESHET_CHECKPOINT_STORE' });
  }

  /** Removes a relation from the catalog; its rows go when `dropStorage` runs (at COMMIT in a block). */
  dropRelation(rel: RelationDef): { dropStorage(): void; undo(): void } {
    this.catalog.drop(rel.oid);
    this.persistCatalog();
    const wasRunning = this.views.isRunning(rel.oid);
    this.views.stop(rel.oid);
    const wasSource = this.sources.isSource(rel);
    if (wasSource) this.sources.unregister(rel.oid);
    return {
      dropStorage: () => {
        if (hasStorage(rel)) this.store.dropRelation(rel.oid);
      },
      undo: () => {
        this.catalog.reinstate(rel);
        this.persistCatalog();
        if (wasSource) this.sources.register(rel);
        if (wasRunning) this.startView(rel, this.bindDefinition(rel), rel.kind === 'stream');
      },
    };
  }

  /** Renames a relation; returns the rename back (for a rolled-back block). */
  renameRelation(rel: RelationDef, newName: string): () => void {
    const oldName = this.catalog.byOid(rel.oid)?.name ?? rel.name;
    this.catalog.rename(rel.oid, newName);
    this.persistCatalog();
    return () => {
      this.catalog.rename(rel.oid, oldName);
      this.persistCatalog();
    };
  }

  renameColumn(rel: RelationDef, column: string, newName: string): () => void {
    this.catalog.renameColumn(rel.oid, column, newName);
    this.persistCatalog();
    return () => {
      this.catalog.renameColumn(rel.oid, newName, column);
      this.persistCatalog();
    };
  }

  private persistCatalog(): void {
    this.store.saveCatalog(this.catalog.snapshot());
    this.catalogVersion++;
  }

  /** Stops the sources and checkpoints (waiting for one in flight) and closes the stores. */
  async close(): Promise<void> {
    this.sources.close();
    if (this.checkpoints) {
      await this.checkpoints.close();
      await this.checkpoints.backend.close();
    }
    this.store.close();
  }
}
