/**
 * The run-time settings Freshet knows, with their PostgreSQL names, categories and built-in
 * defaults: pg_settings lists them, current_setting() falls back to them when the session has no
 * value of its own, and engine/settings.ts builds each session's settings from this list. The
 * session owns the current values; this module never changes them.
 */
import { PG_SERVER_VERSION, PG_SERVER_VERSION_NUM } from './version.js';

export type SettingType = 'bool' | 'integer' | 'real' | 'string' | 'enum';
export type SettingContext = 'internal' | 'postmaster' | 'superuser' | 'user' | 'backend';

export interface SettingInfo {
  /** Name as PostgreSQL spells it (DateStyle, TimeZone); look-ups are case-insensitive. */
  readonly name: string;
  readonly boot: string;
  readonly vartype: SettingType;
  readonly context: SettingContext;
  readonly category: string;
  readonly description: string;
  readonly unit?: string;
  readonly enumvals?: readonly string[];
  readonly min?: string;
  readonly max?: string;
}

const CLIENT = 'Client Connection Defaults / Locale and Formatting';
const STATEMENT = 'Client Connection Defaults / Statement Behavior';
const PRESET = 'Preset Options';
const CONNECTIONS = 'Connections and Authentication / Connection Settings';
const ISOLATION = ['serializable', 'repeatable read', 'read committed', 'read uncommitted'];

export const KNOWN_SETTINGS: readonly SettingInfo[] = [
  { name: 'application_name', boot: '', vartype: 'string', context: 'user', category: 'Reporting and Logging / What to Log', description: 'Name the client gave this session.' },
  { name: 'bytea_output', boot: 'hex', vartype: 'enum', context: 'user', category: STATEMENT, description: 'Output format of bytea values.', enumvals: ['escape', 'hex'] },
  { name: 'client_encoding', boot: 'UTF8', vartype: 'string', context: 'user', category: CLIENT, description: 'Character set the client uses.' },
  { name: 'client_min_messages', boot: 'notice', vartype: 'enum', context: 'user', category: STATEMENT, description: 'Lowest message level sent to the client.', enumvals: ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error'] },
  { name: 'DateStyle', boot: 'ISO, MDY', vartype: 'string', context: 'user', category: CLIENT, description: 'How dates are displayed and read.' },
  { name: 'default_transaction_isolation', boot: 'read committed', vartype: 'enum', context: 'user', category: STATEMENT, description: 'Isolation level of new transactions.', enumvals: ISOLATION },
  { name: 'default_transaction_read_only', boot: 'off', vartype: 'bool', context: 'user', category: STATEMENT, description: 'Whether new transactions start read-only.' },
  { name: 'extra_float_digits', boot: '1', vartype: 'integer', context: 'user', category: CLIENT, description: 'Extra digits shown for floating-point values.', min: '-15', max: '3' },
  { name: 'idle_in_transaction_session_timeout', boot: '0', vartype: 'integer', context: 'user', category: STATEMENT, description: 'Idle time allowed inside an open transaction.', unit: 'ms', min: '0', max: '2147483647' },
  { name: 'integer_datetimes', boot: 'on', vartype: 'bool', context: 'internal', category: PRESET, description: 'Date and time values are 64-bit integers.' },
  { name: 'IntervalStyle', boot: 'postgres', vartype: 'enum', context: 'user', category: CLIENT, description: 'How intervals are displayed.', enumvals: ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'] },
  { name: 'is_superuser', boot: 'on', vartype: 'bool', context: 'internal', category: PRESET, description: 'Whether the session user is a superuser.' },
  { name: 'lc_collate', boot: 'C.UTF-8', vartype: 'string', context: 'internal', category: PRESET, description: 'Collation locale of the database.' },
  { name: 'lc_ctype', boot: 'C.UTF-8', vartype: 'string', context: 'internal', category: PRESET, description: 'Character classification locale of the database.' },
  { name: 'lc_messages', boot: 'C.UTF-8', vartype: 'string', context: 'superuser', category: CLIENT, description: 'Language of messages.' },
  { name: 'lc_monetary', boot: 'C.UTF-8', vartype: 'string', context: 'user', category: CLIENT, description: 'Locale for money amounts.' },
  { name: 'lc_numeric', boot: 'C.UTF-8', vartype: 'string', context: 'user', category: CLIENT, description: 'Locale for numbers.' },
  { name: 'lc_time', boot: 'C.UTF-8', vartype: 'string', context: 'user', category: CLIENT, description: 'Locale for dates and times.' },
  { name: 'lock_timeout', boot: '0', vartype: 'integer', context: 'user', category: STATEMENT, description: 'Longest wait for a lock.', unit: 'ms', min: '0', max: '2147483647' },
  { name: 'max_connections', boot: '100', vartype: 'integer', context: 'postmaster', category: CONNECTIONS, description: 'Most concurrent connections.', min: '1', max: '262143' },
  { name: 'max_identifier_length', boot: '63', vartype: 'integer', context: 'internal', category: PRESET, description: 'Longest identifier, in bytes.', min: '63', max: '63' },
  { name: 'search_path', boot: '"$user", public', vartype: 'string', context: 'user', category: STATEMENT, description: 'Schemas searched for unqualified names.' },
  { name: 'server_encoding', boot: 'UTF8', vartype: 'string', context: 'internal', category: PRESET, description: 'Character set of the database.' },
  { name: 'session_authorization', boot: 'freshet', vartype: 'string', context: 'internal', category: PRESET, description: 'The session user name.' },
  { name: 'in_hot_standby', boot: 'off', vartype: 'bool', context: 'internal', category: PRESET, description: 'Whether hot standby is currently active.' },
  { name: 'block_size', boot: '8192', vartype: 'integer', context: 'internal', category: PRESET, description: 'Size of a disk block.' },
  { name: 'server_version', boot: PG_SERVER_VERSION, vartype: 'string', context: 'internal', category: PRESET, description: 'PostgreSQL version the server speaks as.' },
  { name: 'server_version_num', boot: String(PG_SERVER_VERSION_NUM), vartype: 'integer', context: 'internal', category: PRESET, description: 'server_version as a number.', min: String(PG_SERVER_VERSION_NUM), max: String(PG_SERVER_VERSION_NUM) },
  { name: 'standard_conforming_strings', boot: 'on', vartype: 'bool', context: 'user', category: 'Version and Platform Compatibility', description: "Backslashes in '...' strings are literal." },
  { name: 'statement_timeout', boot: '0', vartype: 'integer', context: 'user', category: STATEMENT, description: 'Longest a statement may run.', unit: 'ms', min: '0', max: '2147483647' },
  { name: 'TimeZone', boot: 'UTC', vartype: 'string', context: 'user', category: CLIENT, description: 'Time zone for displaying and reading timestamps.' },
  { name: 'transaction_isolation', boot: 'read committed', vartype: 'enum', context: 'user', category: STATEMENT, description: 'Isolation level of the current transaction.', enumvals: ISOLATION },
  { name: 'transaction_read_only', boot: 'off', vartype: 'bool', context: 'user', category: STATEMENT, description: 'Whether the current transaction is read-only.' },
  { name: 'work_mem', boot: '4096', vartype: 'integer', context: 'user', category: 'Resource Usage / Memory', description: 'Memory for each sort or hash before spilling.', unit: 'kB', min: '64', max: '2147483647' },
];

const byLowerName = new Map(KNOWN_SETTINGS.map((s) => [s.name.toLowerCase(), s]));

export function settingInfo(name: string): SettingInfo | undefined {
  return byLowerName.get(name.toLowerCase());
}

/**
 * A setting's current value: the session's own (looked up by lower-case name), else the built-in
 * default; undefined when the setting is unknown to both.
 */
export function currentSettingValue(name: string, sessionSetting: (name: string) => string | undefined): string | undefined {
  const lower = name.toLowerCase();
  return sessionSetting(lower) ?? byLowerName.get(lower)?.boot;
}
