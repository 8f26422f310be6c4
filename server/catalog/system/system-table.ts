/**
 * The shape of a system table (pg_catalog / information_schema): a fixed RelationDef plus a function
 * computing its rows from the live catalog and the session. Rows are computed on every scan, so they
 * always reflect the catalog as it stands; nothing here is stored.
 */
import type { CatalogReader, ColumnMeta, RelationDef } from '../model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import { scalar, T, type SqlType } from '../../types/sql-type.js';

/** What a system table may read: the live catalog, the session's settings and user. */
export interface SystemTableContext {
  readonly catalog: CatalogReader;
  /** Session settings by lower-case name; undefined falls back to the built-in default. */
  setting(name: string): string | undefined;
  readonly user: string;
  /** Server start, ms since the epoch (pg_postmaster_start_time); absent: this module's load time. */
  readonly startedAt?: number;
  /** Live figures of the running dataflows (freshet_watermarks); absent outside a server. */
  readonly runtime?: RuntimeStatsReader;
}

/** What the engine reports about streams' watermarks and running continuous queries. */
export interface RuntimeStatsReader {
  streamWatermarks(): readonly { readonly oid: number; readonly watermark: number; readonly lateRows: number; readonly nullTimeRows: number; readonly malformedRows: number; readonly idle: boolean }[];
  /** Materialized views and derived streams: late rows their operators dropped, rows of operator state. */
  queryStats(): readonly { readonly oid: number; readonly lateRows: number; readonly stateRows: number }[];
  /** Checkpoints still recorded, oldest first (freshet_checkpoints); absent without checkpoints. */
  checkpoints?(): readonly CheckpointStats[];
  /** What recovery did when the process started (freshet_recovery). */
  recovery?(): RecoveryStats | undefined;
}

/** One checkpoint as the system views show it. Times in ms (epoch ms for instants). */
export interface CheckpointStats {
  readonly id: number;
  readonly status: string;
  readonly trigger: string | null;
  readonly startedAt: number;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
  readonly alignmentMs: number | null;
  readonly epoch: number | null;
  readonly captureMs: number | null;
  readonly encodeMs: number | null;
  readonly writeMs: number | null;
  readonly bytes: number;
  readonly failure: string | null;
  readonly operators: readonly {
    readonly queryOid: number;
    readonly operatorId: string;
    readonly kind: string;
    readonly baseCheckpointId: number | null;
    readonly upserts: number;
    readonly deletes: number;
    readonly bytes: number;
  }[];
}

export interface RecoveryStats {
  readonly checkpointId: number | null;
  readonly restoredQueries: number;
  readonly rebuiltQueries: number;
  readonly durationMs: number;
  readonly skipped: readonly { readonly id: number; readonly failure: string }[];
}

export interface SystemTable {
  readonly def: RelationDef;
  /** pg_class.relkind PostgreSQL gives it: 'r' for a catalog table, 'v' for a system view. */
  readonly relkind: 'r' | 'v';
  rows(ctx: SystemTableContext): Row[];
}

/**
 * Stand-ins for PostgreSQL types Freshet does not have: xid (unsigned 32-bit, held like an oid),
 * information_schema.yes_or_no (a varchar(3) domain). aclitem[] is text[], pg_node_tree is text.
 */
export const XID: SqlType = T.oid;
export const YES_OR_NO: SqlType = scalar('varchar', 3 + 4);

export type ColumnSpec = readonly [name: string, type: SqlType, notNull: boolean];

export function defineSystemTable(
  schema: 'pg_catalog' | 'information_schema',
  name: string,
  oid: number,
  relkind: 'r' | 'v',
  columns: readonly ColumnSpec[],
  rows: (ctx: SystemTableContext, shape: RowShaper) => Row[],
): SystemTable {
  const metas: ColumnMeta[] = columns.map(([colName, type, notNull], i) => Object.freeze({ name: colName, type, notNull, attnum: i + 1 }));
  const def: RelationDef = Object.freeze({
    oid,
    schema,
    name,
    kind: 'system',
    columns: Object.freeze(metas),
    primaryKey: Object.freeze([]),
    options: Object.freeze({}),
  });
  let shaper: RowShaper | undefined;
  return Object.freeze({
    def,
    relkind,
    rows: (ctx: SystemTableContext) => rows(ctx, (shaper ??= new RowShaper(def))),
  });
}

/**
 * Builds rows of one system table from records keyed by column name. Every column must be given
 * (a forgotten column is a bug, not a NULL), and an unknown name is rejected.
 */
export class RowShaper {
  private readonly index = new Map<string, number>();
  constructor(private readonly def: RelationDef) {
    def.columns.forEach((c, i) => this.index.set(c.name, i));
  }

  row(values: Readonly<Record<string, Datum>>): Row {
    const out: Row = new Array<Datum>(this.def.columns.length);
    let given = 0;
    for (const key of Object.keys(values)) {
      const i = this.index.get(key);
      if (i === undefined) throw new SqlError(SQLSTATE.internalError, `${this.def.name} has no column ${key}`);
      out[i] = values[key] as Datum;
      given++;
    }
    if (given !== this.def.columns.length) {
      const missing = this.def.columns.filter((c) => !(c.name in values)).map((c) => c.name);
      throw new SqlError(SQLSTATE.internalError, `${this.def.name} row lacks ${missing.join(', ')}`);
    }
    return out;
  }
}
