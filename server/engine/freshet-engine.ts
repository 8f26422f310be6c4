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

export interface EngineOptions {
  /** When set, clients must send this password (cleartext auth). */
  readonly password?: string;
}

export class FreshetEngine implements Engine {
  readonly functions: FunctionRegistry = builtinFunctions;
  /** Bumped by every DDL; prepared statements bound against an older version re-bind. */
  catalogVersion = 1;
  private nextSessionId = 1;
  readonly startedAt = Date.now();

  constructor(
    readonly store: Store,
    readonly catalog: Catalog,
    private readonly options: EngineOptions = {},
  ) {}

  static open(dataDir: string, options: EngineOptions = {}): FreshetEngine {
    const store = openSqliteStore(dataDir);
    const snapshot = store.loadCatalog();
    const catalog = snapshot ? Catalog.fromSnapshot(snapshot) : new Catalog();
    return new FreshetEngine(store, catalog, options);
  }

  openSession(startup: SessionStartup): EngineSession {
    return new Session(this, startup, this.nextSessionId++);
  }

  checkPassword(_user: string, password: string): boolean {
    return this.options.password !== undefined && password === this.options.password;
  }

  createRelation(def: Omit<RelationDef, 'oid'>): RelationDef {
    const rel = this.catalog.create(def);
    this.store.createRelation(rel);
    this.persistCatalog();
    return rel;
  }

  /** Undoes a createRelation (a CREATE in a rolled-back block). */
  forgetRelation(rel: RelationDef): void {
    this.catalog.drop(rel.oid);
    this.persistCatalog();
    this.store.dropRelation(rel.oid);
  }

  /** Removes a relation from the catalog; its rows go when `dropStorage` runs (at COMMIT in a block). */
  dropRelation(rel: RelationDef): { dropStorage(): void; undo(): void } {
    this.catalog.drop(rel.oid);
    this.persistCatalog();
    return {
      dropStorage: () => this.store.dropRelation(rel.oid),
      undo: () => {
        this.catalog.reinstate(rel);
        this.persistCatalog();
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
    this.store.close();
  }
}
