/**
 * The live relation catalog: user relations by oid and by (schema, name), oid allocation, DDL
 * (create, drop, rename) and name resolution along a search path, plus the system tables, which
 * resolve like relations but are never listed, persisted or changed. The engine persists
 * `snapshot()` after every change; nothing here touches storage.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { CatalogSnapshot } from '../storage/api.js';
import { FIRST_USER_OID, PUBLIC_SCHEMA, type CatalogReader, type ColumnMeta, type RelationDef } from './model.js';
import { systemTables } from './system/index.js';

export const PG_CATALOG_SCHEMA = 'pg_catalog';
export const INFORMATION_SCHEMA = 'information_schema';
const SYSTEM_SCHEMAS = new Set([PG_CATALOG_SCHEMA, INFORMATION_SCHEMA, 'pg_toast']);
const DEFAULT_SEARCH_PATH: readonly string[] = [PUBLIC_SCHEMA];

/** A relation as `create` takes it: everything but the oids the catalog assigns. */
export type NewRelation = Omit<RelationDef, 'oid' | 'primaryKeyIndexOid' | 'primaryKeyConstraintOid' | 'primaryKeyName'>;

export interface CatalogOptions {
  readonly databaseName?: string;
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

export class Catalog implements CatalogReader {
  readonly databaseName: string;
  private readonly userByOid = new Map<number, RelationDef>();
  /** Relations and primary key index names per (schema, name): both share PostgreSQL's pg_class names. */
  private readonly userByName = new Map<string, RelationDef>();
  private readonly indexNames = new Set<string>();
  private readonly systemByOid = new Map<number, RelationDef>();
  private readonly systemByName = new Map<string, RelationDef>();
  private nextOid = FIRST_USER_OID;

  constructor(options: CatalogOptions = {}) {
    this.databaseName = options.databaseName ?? 'freshet';
    for (const t of systemTables()) {
      this.systemByOid.set(t.def.oid, t.def);
      this.systemByName.set(key(t.def.schema, t.def.name), t.def);
    }
  }

  static fromSnapshot(snapshot: CatalogSnapshot, options: CatalogOptions = {}): Catalog {
    const catalog = new Catalog(options);
    const highest = Math.max(FIRST_USER_OID - 1, ...snapshot.relations.flatMap(usedOids));
    catalog.nextOid = Math.max(snapshot.nextOid, highest + 1);
    for (const rel of snapshot.relations) catalog.install(Object.freeze({ ...rel }));
    // Snapshots written before primary keys had index oids get them now.
    for (const rel of snapshot.relations) {
      if (rel.primaryKey.length > 0 && rel.primaryKeyIndexOid === undefined) catalog.install(catalog.withPrimaryKeyObjects(rel));
    }
    return catalog;
  }

  snapshot(): CatalogSnapshot {
    return { relations: this.relations(), nextOid: this.nextOid };
  }

  /**
   * Resolve a relation name. Qualified: only that schema. Unqualified: pg_catalog first (always,
   * as PostgreSQL does when it is not on the path explicitly), then each schema of `searchPath`;
   * information_schema only when named.
   */
  lookup(schema: string | undefined, name: string, searchPath: readonly string[] = DEFAULT_SEARCH_PATH): RelationDef | undefined {
    if (schema !== undefined) return this.inSchema(schema, name);
    const path = searchPath.includes(PG_CATALOG_SCHEMA) ? searchPath : [PG_CATALOG_SCHEMA, ...searchPath];
    for (const s of path) {
      const rel = this.inSchema(s, name);
      if (rel) return rel;
    }
    return undefined;
  }

  /** Like lookup, but a missing relation is a 42P01 error. */
  resolve(schema: string | undefined, name: string, searchPath?: readonly string[]): RelationDef {
    const rel = this.lookup(schema, name, searchPath);
    if (!rel) throw new SqlError(SQLSTATE.undefinedTable, `relation "${schema === undefined ? name : `${schema}.${name}`}" does not exist`);
    return rel;
  }

  byOid(oid: number): RelationDef | undefined {
    return this.userByOid.get(oid) ?? this.systemByOid.get(oid);
  }

  /** User relations, by oid (system tables are not included). */
  relations(): readonly RelationDef[] {
    return [...this.userByOid.values()].sort((a, b) => a.oid - b.oid);
  }

  /**
   * Add a relation; the catalog assigns its oid and, with a primary key, the oids and name of the
   * key's index and constraint (`<table>_pkey`, numbered on a clash as PostgreSQL does).
   */
  create(def: NewRelation): RelationDef {
    if (SYSTEM_SCHEMAS.has(def.schema)) {
      throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied to create "${def.schema}.${def.name}"`, {
        detail: 'System catalog modifications are currently disallowed.',
      });
    }
    if (this.nameTaken(def.schema, def.name)) {
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${def.name}" already exists`);
    }
    checkColumns(def.columns);
    const { primaryKeyIndexOid: _i, primaryKeyConstraintOid: _c, primaryKeyName: _n, ...plain } = def as Partial<RelationDef> & NewRelation;
    const rel = this.withPrimaryKeyObjects({ ...plain, oid: this.nextOid++ });
    this.install(rel);
    return rel;
  }

  drop(oid: number): RelationDef {
    const rel = this.userRelation(oid);
    this.userByOid.delete(oid);
    this.userByName.delete(key(rel.schema, rel.name));
    if (rel.primaryKeyName !== undefined) this.indexNames.delete(key(rel.schema, rel.primaryKeyName));
    return rel;
  }

  /** Put back a relation exactly as it was (its oids and names), undoing a drop in a rolled-back block. */
  reinstate(rel: RelationDef): void {
    if (this.userByOid.has(rel.oid) || this.nameTaken(rel.schema, rel.name)) {
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${rel.name}" already exists`);
    }
    this.install(Object.freeze(rel));
  }

  rename(oid: number, newName: string): RelationDef {
    const rel = this.userRelation(oid);
    if (newName === rel.name) return rel;
    if (this.nameTaken(rel.schema, newName)) {
      throw new SqlError(SQLSTATE.duplicateTable, `relation "${newName}" already exists`);
    }
    return this.replace(rel, { ...rel, name: newName });
  }

  renameColumn(oid: number, oldName: string, newName: string): RelationDef {
    const rel = this.userRelation(oid);
    const index = rel.columns.findIndex((c) => c.name === oldName);
    if (index < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${oldName}" does not exist`);
    if (oldName === newName) return rel;
    if (rel.columns.some((c) => c.name === newName)) {
      throw new SqlError(SQLSTATE.duplicateColumn, `column "${newName}" of relation "${rel.name}" already exists`);
    }
    const columns = rel.columns.map((c, i) => (i === index ? Object.freeze({ ...c, name: newName }) : c));
    return this.replace(rel, { ...rel, columns: Object.freeze(columns) });
  }

  /** The relation with its primary key's index/constraint oids and name assigned, frozen. */
  private withPrimaryKeyObjects(rel: RelationDef): RelationDef {
    if (rel.primaryKey.length === 0) return Object.freeze(rel);
    return Object.freeze({
      ...rel,
      primaryKeyIndexOid: this.nextOid++,
      primaryKeyConstraintOid: this.nextOid++,
      primaryKeyName: this.freeIndexName(rel.schema, `${rel.name}_pkey`),
    });
  }

  private inSchema(schema: string, name: string): RelationDef | undefined {
    const k = key(schema, name);
    return this.systemByName.get(k) ?? this.userByName.get(k);
  }

  private nameTaken(schema: string, name: string): boolean {
    const k = key(schema, name);
    return this.userByName.has(k) || this.systemByName.has(k) || this.indexNames.has(k);
  }

  private freeIndexName(schema: string, wanted: string): string {
    if (!this.nameTaken(schema, wanted)) return wanted;
    for (let n = 1; ; n++) {
      if (!this.nameTaken(schema, `${wanted}${n}`)) return `${wanted}${n}`;
    }
  }

  private userRelation(oid: number): RelationDef {
    const rel = this.userByOid.get(oid);
    if (rel) return rel;
    const system = this.systemByOid.get(oid);
    if (system) {
      throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: "${system.name}" is a system catalog`);
    }
    throw new SqlError(SQLSTATE.undefinedTable, `relation with OID ${oid} does not exist`);
  }

  private install(rel: RelationDef): void {
    this.userByOid.set(rel.oid, rel);
    this.userByName.set(key(rel.schema, rel.name), rel);
    if (rel.primaryKeyName !== undefined) this.indexNames.add(key(rel.schema, rel.primaryKeyName));
  }

  private replace(old: RelationDef, next: RelationDef): RelationDef {
    const frozen = Object.freeze(next);
    this.userByName.delete(key(old.schema, old.name));
    this.install(frozen);
    return frozen;
  }
}

function usedOids(rel: RelationDef): number[] {
  return [rel.oid, rel.primaryKeyIndexOid ?? 0, rel.primaryKeyConstraintOid ?? 0];
}

function checkColumns(columns: readonly ColumnMeta[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new SqlError(SQLSTATE.duplicateColumn, `column "${c.name}" specified more than once`);
    seen.add(c.name);
  }
}
