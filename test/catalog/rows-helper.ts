/** Test helper: a system table's rows as objects keyed by column name. */
import type { Datum } from '../../server/types/datum.js';
import { systemRows, systemTables, type SystemTableContext } from '../../server/catalog/system/index.js';

export type RowObject = Record<string, Datum>;

export function rowsOf(qualifiedName: string, ctx: SystemTableContext): RowObject[] {
  const [schema, name] = qualifiedName.includes('.') ? qualifiedName.split('.') : ['pg_catalog', qualifiedName];
  const table = systemTables().find((t) => t.def.schema === schema && t.def.name === name);
  if (!table) throw new Error(`no system table ${qualifiedName}`);
  const cols = table.def.columns.map((c) => c.name);
  return systemRows(table.def, ctx).map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]!])));
}

export function pick(row: RowObject | undefined, keys: readonly string[]): Datum[] {
  if (!row) throw new Error('row missing');
  return keys.map((k) => row[k]!);
}
