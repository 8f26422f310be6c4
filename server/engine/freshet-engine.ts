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

/** Tables and streams keep rows in the store; views do not (a materialized view lives in memory). */
function hasStorage(rel: RelationDef): boolean {
  return rel.kind === 'table' || rel.kind === 'stream';
}

export interface EngineOptions {
  /** When set, clients must send this password (cleartext auth). */
  readonly password?: string;
  /** Connector sources generate in the background (default true); false: only on `sources.step()` / `drain()`. */
  readonly sourcesAutostart?: boolean;
}

export class FreshetEngine implements Engine {
  readonly functions: FunctionRegistry = builtinFunctions;
  /** Bumped by every DDL; prepared statements bound against an older version re-bind. */
  catalogVersion = 1;
  private nextSessionId = 1;
  readonly startedAt = Date.now();
  readonly views: ViewRuntime;
  /** Connector sources (CREATE SOURCE): rows generated, delivered to views as epochs. */
  readonly sources: SourceDriver;

  constructor(
    readonly store: Store,
    readonly catalog: Catalog,
    private readonly options: EngineOptions = {},
  ) {
    this.views = new ViewRuntime(store, catalog);
    this.sources = new SourceDriver((deliveries) => this.views.deliverSources(deliveries), { autostart: options.sourcesAutostart ?? true });
    this.views.sources = this.sources;
  }

  static open(dataDir: string, options: EngineOptions = {}): FreshetEngine {
    const store = openSqliteStore(dataDir);
    const snapshot = store.loadCatalog();
    const catalog = snapshot ? Catalog.fromSnapshot(snapshot) : new Catalog();
    const engine = new FreshetEngine(store, catalog, options);
    for (const rel of catalog.relations()) if (engine.sources.isSource(rel)) engine.sources.register(rel);
    engine.restartViews();
    return engine;
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

  /** Starts maintaining a materialized view (backfill now, then after every commit). */
  startView(rel: RelationDef, plan: LogicalPlan, restarting = false): void {
    this.views.start(rel, plan, this.viewContext(), { emitBackfill: !restarting, withOpColumn: rel.options.changelog === 'true', discardOutput: rel.options['role'] === 'sink' });
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
    return continuousPlan(bindQuery(parsed.statement.query, [], this.viewContext()).plan).plan;
  }

  /**
   * Restarts every continuous query after the process starts: re-bound and backfilled, in oid
   * order. A derived stream's backfill is not appended again; changes committed to its inputs in
   * the moment between a commit and the process dying may be missing from its log until
   * checkpoints (issue 6) give exactly-once output.
   */
  private restartViews(): void {
    for (const rel of this.catalog.relations()) {
      if ((rel.kind !== 'materializedView' && rel.kind !== 'stream') || !rel.definition) continue;
      this.startView(rel, this.bindDefinition(rel), true);
    }
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

  close(): void {
    this.sources.close();
    this.store.close();
  }
}
