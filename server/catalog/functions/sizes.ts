/**
 * Relation sizes (pg_relation_size and friends) and pg_size_pretty. Freshet keeps rows in SQLite,
 * not in PostgreSQL-style files, so it reports no on-disk size: 0 bytes for every relation that
 * exists, NULL for an oid that names nothing (as PostgreSQL does for a dropped relation).
 */
import { defineFunction, over } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import { T } from '../../types/sql-type.js';
import { primaryKeyIndex } from '../system/listed-relations.js';

function relationSize(oid: number, ctx: FunctionContext): bigint | null {
  if (ctx.catalog.byOid(oid)) return 0n;
  return ctx.catalog.relations().some((r) => primaryKeyIndex(r)?.indexOid === oid) ? 0n : null;
}

for (const name of ['pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size']) {
  const overloads = [over([T.regclass], T.int8, ([oid], ctx) => relationSize(oid as number, ctx))];
  if (name === 'pg_relation_size') overloads.push(over([T.regclass, T.text], T.int8, ([oid], ctx) => relationSize(oid as number, ctx)));
  defineFunction(name, overloads, { volatility: 'volatile' });
}
defineFunction('pg_database_size', [over([T.oid], T.int8, () => 0n), over([T.name], T.int8, () => 0n)], { volatility: 'volatile' });

const SIZE_UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** PostgreSQL's rule: stay in a unit below 10240 of it, halve-round when moving up. */
export function prettySize(bytes: bigint): string {
  const negative = bytes < 0n;
  let size = negative ? -bytes : bytes;
  let unit = 0;
  if (size >= 10n * 1024n) {
    size >>= 9n; // to half-kB, so the last step can round
    unit = 1;
    while (size >= 20n * 1024n - 1n && unit < SIZE_UNITS.length - 1) {
      size >>= 10n;
      unit++;
    }
    size = (size + 1n) / 2n;
  }
  return `${negative ? '-' : ''}${size} ${SIZE_UNITS[unit]}`;
}

defineFunction('pg_size_pretty', [over([T.int8], T.text, ([n]) => prettySize(n as bigint))]);
