/**
 * Test fixture for the planner: an in-memory catalog of tables, an ExecContext that scans them,
 * and `query(sql)` that parses, binds and runs a statement, returning rows as plain values.
 */
import type { CatalogReader, RelationDef } from '../../server/catalog/model.js';
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import '../../server/functions/index.js';
import { builtinFunctions, type FunctionContext } from '../../server/functions/registry.js';
import { bindQuery, runQuery, type BoundQuery, type ExecContext } from '../../server/plan/api.js';
import { parseStatements } from '../../server/sql/parse.js';
import type { Query } from '../../server/sql/ast.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { formatText } from '../../server/types/text-io.js';
import { T, type SqlType } from '../../server/types/sql-type.js';

export interface TableSpec {
  readonly columns: readonly [string, SqlType][];
  readonly rows: readonly Row[];
  readonly primaryKey?: readonly number[];
}

export class FakeDatabase implements CatalogReader {
  readonly databaseName = 'freshet';
  private readonly tables = new Map<string, { rel: RelationDef; rows: Row[] }>();
  private nextOid = 16384;

  table(name: string, spec: TableSpec): this {
    const rel: RelationDef = {
      oid: this.nextOid++,
      schema: 'public',
      name,
      kind: 'table',
      columns: spec.columns.map(([n, type], i) => ({ name: n, type, notNull: false, attnum: i + 1 })),
      primaryKey: spec.primaryKey ?? [],
      options: {},
    };
    this.tables.set(name, { rel, rows: spec.rows.map((r) => [...r]) });
    return this;
  }

  /** A view over the tables (its rows come from expanding `definition`). */
  view(name: string, columns: readonly [string, SqlType][], definition: string): this {
    const rel: RelationDef = {
      oid: this.nextOid++, schema: 'public', name, kind: 'view',
      columns: columns.map(([n, type], i) => ({ name: n, type, notNull: false, attnum: i + 1 })),
      primaryKey: [], options: {}, definition,
    };
    this.tables.set(name, { rel, rows: [] });
    return this;
  }

  lookup(schema: string | undefined, name: string): RelationDef | undefined {
    if (schema !== undefined && schema !== 'public') return undefined;
    return this.tables.get(name)?.rel;
  }
  byOid(oid: number): RelationDef | undefined {
    for (const t of this.tables.values()) if (t.rel.oid === oid) return t.rel;
    return undefined;
  }
  relations(): readonly RelationDef[] {
    return [...this.tables.values()].map((t) => t.rel);
  }

  /** Scans chunk by chunk (`chunkSize` rows), to exercise multi-chunk paths. */
  chunkSize = 2;
  scans = 0;

  context(): ExecContext {
    const fn: FunctionContext = { catalog: this, setting: (n) => (n === 'timezone' ? 'UTC' : undefined), user: 'test', statementTime: 0 };
    return {
      catalog: this,
      functions: builtinFunctions,
      fn,
      scan: (rel) => {
        this.scans++;
        const rows = this.tables.get(rel.name)!.rows;
        const chunks: ChangelogChunk[] = [];
        for (let i = 0; i < rows.length; i += this.chunkSize) chunks.push(ChangelogChunk.fromRows(rel.columns.length, rows.slice(i, i + this.chunkSize)));
        return chunks;
      },
      checkCancel: () => {},
    };
  }

  bind(sql: string, paramTypes: (SqlType | undefined)[] = []): BoundQuery {
    const [parsed] = parseStatements(sql);
    const st = parsed!.statement;
    if (st.kind !== 'query') throw new Error(`not a query: ${st.kind}`);
    return bindQuery(st.query as Query, paramTypes, this.context());
  }

  /** Rows with values rendered as PostgreSQL text (NULL as null), for easy comparison. */
  query(sql: string, params: Datum[] = [], paramTypes: (SqlType | undefined)[] = []): (string | null)[][] {
    const bound = this.bind(sql, paramTypes);
    const out: (string | null)[][] = [];
    for (const batch of runQuery(bound, params, this.context())) {
      for (const r of batch) out.push(r.map((v, i) => (v === null ? null : formatText(v, bound.fields[i]!.type))));
    }
    return out;
  }
}

export { T };
