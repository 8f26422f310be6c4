/**
 * Session and server information functions: current_user and friends, current_database,
 * current_schema(s), version, pg_backend_pid, start time, recovery state, server address.
 */
import { defineFunction, over } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import { arrayOf, T } from '../../types/sql-type.js';
import { BOOTSTRAP_ROLE_OID, UTF8_ENCODING } from '../system/builtin.js';
import { effectiveSchemas } from '../search-path.js';
import { versionText } from '../version.js';
import { searchPathOf } from './session-context.js';

const stable = { volatility: 'stable' } as const;
const MICROS_PER_MS = 1000;
/** When this process started, as PostgreSQL's postmaster start time (microseconds since the epoch). */
const PROCESS_START_MICROS = Math.round((Date.now() - process.uptime() * 1000) * MICROS_PER_MS);

for (const name of ['current_user', 'session_user', 'user', 'current_role']) {
  defineFunction(name, [over([], T.name, (_args, ctx) => ctx.user)], stable);
}

defineFunction('current_database', [over([], T.name, (_args, ctx) => ctx.catalog.databaseName)], stable);
defineFunction('current_catalog', [over([], T.name, (_args, ctx) => ctx.catalog.databaseName)], stable);

function currentSchemas(ctx: FunctionContext, includeImplicit: boolean): string[] {
  return effectiveSchemas(ctx.catalog, searchPathOf(ctx), includeImplicit);
}
defineFunction('current_schemas', [over([T.bool], arrayOf(T.name), ([implicit], ctx) => currentSchemas(ctx, implicit as boolean))], stable);
defineFunction('current_schema', [over([], T.name, (_args, ctx) => currentSchemas(ctx, false)[0] ?? null)], { strict: false, volatility: 'stable' });

defineFunction('version', [over([], T.text, () => versionText())], stable);

/** Freshet serves every session from one process; its pid is what a backend pid can honestly be. */
defineFunction('pg_backend_pid', [over([], T.int4, () => process.pid)], stable);

defineFunction('pg_postmaster_start_time', [over([], T.timestamptz, () => PROCESS_START_MICROS)], stable);
defineFunction('pg_conf_load_time', [over([], T.timestamptz, () => PROCESS_START_MICROS)], stable);
defineFunction('pg_is_in_recovery', [over([], T.bool, () => false)], { volatility: 'volatile' });

// Freshet does not report addresses (PostgreSQL gives NULL over a Unix socket too).
for (const name of ['inet_server_addr', 'inet_client_addr']) defineFunction(name, [over([], T.text, () => null)], stable);
for (const name of ['inet_server_port', 'inet_client_port']) defineFunction(name, [over([], T.int4, () => null)], stable);

defineFunction('pg_get_userbyid', [
  over([T.oid], T.name, ([oid], ctx) => (oid === BOOTSTRAP_ROLE_OID ? ctx.user : `unknown (OID=${oid as number})`)),
], stable);

const ENCODINGS: ReadonlyMap<number, string> = new Map([
  [0, 'SQL_ASCII'],
  [UTF8_ENCODING, 'UTF8'],
]);
defineFunction('pg_encoding_to_char', [over([T.int4], T.name, ([n]) => ENCODINGS.get(n as number) ?? '')], stable);
defineFunction('pg_char_to_encoding', [
  over([T.name], T.int4, ([name]) => [...ENCODINGS].find(([, n]) => n.toLowerCase() === (name as string).toLowerCase())?.[0] ?? -1),
], stable);
defineFunction('getdatabaseencoding', [over([], T.name, () => 'UTF8')], stable);
defineFunction('pg_client_encoding', [over([], T.name, (_args, ctx) => ctx.setting('client_encoding') ?? 'UTF8')], stable);

// Freshet has no temporary schemas.
defineFunction('pg_my_temp_schema', [over([], T.oid, () => 0)], stable);
defineFunction('pg_is_other_temp_schema', [over([T.oid], T.bool, () => false)], stable);

/**
 * txid_current: Freshet has no transaction ids of its own; a statement's start time identifies it
 * uniquely enough, and grows like an xid does.
 */
defineFunction('txid_current', [over([], T.int8, (_args, ctx) => BigInt(Math.trunc(ctx.statementTime)))], { volatility: 'stable' });
