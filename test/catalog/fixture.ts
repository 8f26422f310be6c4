/**
 * A catalog shaped like the one the acceptance data was captured on in PostgreSQL 15:
 *   CREATE TABLE t (a int NOT NULL, b varchar(20), c numeric(10,2) DEFAULT 0, d timestamp, e text[],
 *                   PRIMARY KEY (a, b));
 *   CREATE TABLE s (x bigint, y text);          -- a Freshet stream here
 *   CREATE VIEW v AS SELECT a, b FROM t;
 */
import { Catalog } from '../../server/catalog/catalog.js';
import type { ColumnMeta, RelationDef } from '../../server/catalog/model.js';
import type { SystemTableContext } from '../../server/catalog/system/index.js';
import { arrayOf, scalar, T, type SqlType } from '../../server/types/sql-type.js';

export function column(name: string, type: SqlType, attnum: number, notNull = false, defaultSql?: string): ColumnMeta {
  return defaultSql === undefined ? { name, type, attnum, notNull } : { name, type, attnum, notNull, defaultSql };
}

export interface Fixture {
  readonly catalog: Catalog;
  readonly t: RelationDef;
  readonly s: RelationDef;
  readonly v: RelationDef;
  readonly ctx: SystemTableContext;
}

export function fixture(settings: Record<string, string> = {}): Fixture {
  const catalog = new Catalog({ databaseName: 'postgres' });
  const t = catalog.create({
    schema: 'public',
    name: 't',
    kind: 'table',
    columns: [
      column('a', T.int4, 1, true),
      column('b', scalar('varchar', 24), 2, true),
      column('c', scalar('numeric', (10 << 16) + 2 + 4), 3, false, '0'),
      column('d', T.timestamp, 4),
      column('e', arrayOf(T.text), 5),
    ],
    primaryKey: [0, 1],
    options: {},
  });
  const s = catalog.create({
    schema: 'public',
    name: 's',
    kind: 'stream',
    columns: [column('x', T.int8, 1), column('y', T.text, 2)],
    primaryKey: [],
    options: {},
  });
  const v = catalog.create({
    schema: 'public',
    name: 'v',
    kind: 'view',
    columns: [column('a', T.int4, 1), column('b', scalar('varchar', 24), 2)],
    primaryKey: [],
    options: {},
    definition: 'SELECT a, b FROM t',
  });
  const ctx: SystemTableContext = { catalog, setting: (n) => settings[n], user: 'freshet' };
  return { catalog, t, s, v, ctx };
}
