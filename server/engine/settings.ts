/**
 * Session settings (GUCs): defaults, which ones are reported to the client in ParameterStatus,
 * validation of the few whose values matter (TimeZone, DateStyle), and SET/RESET/SHOW semantics.
 * Names are case-insensitive; each setting keeps the spelling PostgreSQL reports it with.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export const FRESHET_VERSION = '0.1.0';
export const SERVER_VERSION = '15.7';
export const SERVER_VERSION_NUM = '150007';

interface SettingDef {
  /** Spelling as PostgreSQL reports it (ParameterStatus name, SHOW ALL name). */
  readonly name: string;
  readonly defaultValue: string;
  /** GUC_REPORT: sent as ParameterStatus at startup and on change. */
  readonly reported: boolean;
  /** Read-only settings reject SET. */
  readonly readOnly: boolean;
  readonly description: string;
  /** Returns the canonical value or throws a SqlError. */
  readonly validate?: (value: string) => string;
}

function validateTimeZone(value: string): string {
  const v = value.trim();
  if (/^utc$/i.test(v) || /^gmt$/i.test(v) || v === 'Z') return v.toUpperCase() === 'Z' ? 'UTC' : v.toUpperCase();
  if (/^[+-]?\d{1,2}(:\d{2})?$/.test(v)) return v;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
  }
}

function validateDateStyle(value: string): string {
  const parts = value.split(',').map((p) => p.trim().toUpperCase());
  let style = 'ISO';
  let order = 'MDY';
  for (const p of parts) {
    if (p === 'ISO' || p === 'POSTGRES' || p === 'SQL' || p === 'GERMAN') style = p;
    else if (p === 'MDY' || p === 'DMY' || p === 'YMD' || p === 'US' || p === 'NONEURO' || p === 'NONEUROPEAN') order = p === 'DMY' || p === 'YMD' ? p : 'MDY';
    else if (p === 'EURO' || p === 'EUROPEAN') order = 'DMY';
    else throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "DateStyle": "${value}"`);
  }
  if (style !== 'ISO') {
    throw new SqlError(SQLSTATE.featureNotSupported, `DateStyle "${style}" is not supported; Freshet uses ISO`);
  }
  return `${style}, ${order}`;
}

function validateBool(name: string) {
  return (value: string): string => {
    const v = value.trim().toLowerCase();
    if (['on', 'true', 'yes', '1', 't'].includes(v)) return 'on';
    if (['off', 'false', 'no', '0', 'f'].includes(v)) return 'off';
    throw new SqlError(SQLSTATE.invalidParameterValue, `parameter "${name}" requires a Boolean value`);
  };
}

function validateIsolation(value: string): string {
  const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (['serializable', 'repeatable read', 'read committed', 'read uncommitted'].includes(v)) return v;
  throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "transaction_isolation": "${value}"`);
}

const DEFS: readonly SettingDef[] = [
  { name: 'server_version', defaultValue: SERVER_VERSION, reported: true, readOnly: true, description: 'Shows the server version.' },
  { name: 'server_version_num', defaultValue: SERVER_VERSION_NUM, reported: false, readOnly: true, description: 'Shows the server version as an integer.' },
  { name: 'server_encoding', defaultValue: 'UTF8', reported: true, readOnly: true, description: 'Shows the server (database) character set encoding.' },
  { name: 'client_encoding', defaultValue: 'UTF8', reported: true, readOnly: false, description: "Sets the client's character set encoding.",
    validate: (v) => { if (!/^(utf-?8|unicode)$/i.test(v.trim())) throw new SqlError(SQLSTATE.featureNotSupported, `client encoding "${v}" is not supported; Freshet speaks UTF8`); return 'UTF8'; } },
  { name: 'DateStyle', defaultValue: 'ISO, MDY', reported: true, readOnly: false, description: 'Sets the display format for date and time values.', validate: validateDateStyle },
  { name: 'IntervalStyle', defaultValue: 'postgres', reported: true, readOnly: false, description: 'Sets the display format for interval values.',
    validate: (v) => { if (v.trim().toLowerCase() !== 'postgres') throw new SqlError(SQLSTATE.featureNotSupported, `IntervalStyle "${v}" is not supported`); return 'postgres'; } },
  { name: 'TimeZone', defaultValue: 'UTC', reported: true, readOnly: false, description: 'Sets the time zone for displaying and interpreting time stamps.', validate: validateTimeZone },
  { name: 'integer_datetimes', defaultValue: 'on', reported: true, readOnly: true, description: 'Shows whether datetimes are integer based.' },
  { name: 'standard_conforming_strings', defaultValue: 'on', reported: true, readOnly: false, description: "Causes '...' strings to treat backslashes literally.",
    validate: (v) => { if (validateBool('standard_conforming_strings')(v) !== 'on') throw new SqlError(SQLSTATE.featureNotSupported, 'standard_conforming_strings must be on'); return 'on'; } },
  { name: 'application_name', defaultValue: '', reported: true, readOnly: false, description: 'Sets the application name to be reported in statistics and logs.' },
  { name: 'is_superuser', defaultValue: 'on', reported: true, readOnly: true, description: 'Shows whether the current user is a superuser.' },
  { name: 'session_authorization', defaultValue: 'freshet', reported: true, readOnly: true, description: 'Sets the session user name.' },
  { name: 'default_transaction_read_only', defaultValue: 'off', reported: true, readOnly: false, description: 'Sets the default read-only status of new transactions.', validate: validateBool('default_transaction_read_only') },
  { name: 'in_hot_standby', defaultValue: 'off', reported: true, readOnly: true, description: 'Shows whether hot standby is currently active.' },
  { name: 'search_path', defaultValue: '"$user", public', reported: false, readOnly: false, description: 'Sets the schema search order for names that are not schema-qualified.' },
  { name: 'transaction_isolation', defaultValue: 'read committed', reported: false, readOnly: false, description: "Sets the current transaction's isolation level.", validate: validateIsolation },
  { name: 'default_transaction_isolation', defaultValue: 'read committed', reported: false, readOnly: false, description: 'Sets the transaction isolation level of each new transaction.', validate: validateIsolation },
  { name: 'transaction_read_only', defaultValue: 'off', reported: false, readOnly: false, description: 'Sets the current transaction\'s read-only status.', validate: validateBool('transaction_read_only') },
  { name: 'extra_float_digits', defaultValue: '1', reported: false, readOnly: false, description: 'Sets the number of digits displayed for floating-point values.' },
  { name: 'statement_timeout', defaultValue: '0', reported: false, readOnly: false, description: 'Sets the maximum allowed duration of any statement.' },
  { name: 'lock_timeout', defaultValue: '0', reported: false, readOnly: false, description: 'Sets the maximum allowed duration of any wait for a lock.' },
  { name: 'idle_in_transaction_session_timeout', defaultValue: '0', reported: false, readOnly: false, description: 'Sets the maximum allowed idle time between queries, when in a transaction.' },
  { name: 'client_min_messages', defaultValue: 'notice', reported: false, readOnly: false, description: 'Sets the message levels that are sent to the client.' },
  { name: 'max_identifier_length', defaultValue: '63', reported: false, readOnly: true, description: 'Shows the maximum identifier length.' },
  { name: 'lc_collate', defaultValue: 'C', reported: false, readOnly: true, description: 'Shows the collation order locale.' },
  { name: 'lc_ctype', defaultValue: 'C', reported: false, readOnly: true, description: 'Shows the character classification and case conversion locale.' },
  { name: 'lc_messages', defaultValue: 'C', reported: false, readOnly: false, description: 'Sets the language in which messages are displayed.' },
  { name: 'lc_monetary', defaultValue: 'C', reported: false, readOnly: false, description: 'Sets the locale for formatting monetary amounts.' },
  { name: 'lc_numeric', defaultValue: 'C', reported: false, readOnly: false, description: 'Sets the locale for formatting numbers.' },
  { name: 'lc_time', defaultValue: 'C', reported: false, readOnly: false, description: 'Sets the locale for formatting date and time values.' },
  { name: 'bytea_output', defaultValue: 'hex', reported: false, readOnly: false, description: 'Sets the output format for bytea.' },
  { name: 'max_connections', defaultValue: '1000', reported: false, readOnly: true, description: 'Sets the maximum number of concurrent connections.' },
  { name: 'block_size', defaultValue: '8192', reported: false, readOnly: true, description: 'Shows the size of a disk block.' },
];

const BY_KEY = new Map<string, SettingDef>(DEFS.map((d) => [d.name.toLowerCase(), d]));

/** SET names PostgreSQL accepts under another spelling. */
const ALIASES: Readonly<Record<string, string>> = { 'time zone': 'timezone', names: 'client_encoding' };

function keyOf(name: string): string {
  const k = name.toLowerCase();
  return ALIASES[k] ?? k;
}

function unknownParameter(name: string): SqlError {
  return new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name}"`);
}

/** One session's settings. Custom dotted names (`freshet.x`, `myapp.y`) are allowed, as in PostgreSQL. */
export class SessionSettings {
  private values = new Map<string, string>();
  private custom = new Map<string, string>();
  private readonly changed = new Map<string, string>();
  /** Settings as they were at BEGIN, restored by ROLLBACK. */
  private atBegin: { values: Map<string, string>; custom: Map<string, string> } | null = null;
  /** For names SET LOCAL in this block: their value without the LOCAL, restored at the block's end. */
  private readonly beforeLocal = new Map<string, string | undefined>();

  constructor(startup: Readonly<Record<string, string>>, user: string) {
    this.values.set('session_authorization', user);
    for (const [name, value] of Object.entries(startup)) {
      const def = BY_KEY.get(keyOf(name));
      if (!def || def.readOnly) continue;
      try {
        this.values.set(def.name.toLowerCase(), def.validate ? def.validate(value) : value);
      } catch {
        // A bad startup value falls back to the default, as a forgiving server would.
      }
    }
    this.changed.clear();
  }

  get(name: string): string | undefined {
    const k = keyOf(name);
    const def = BY_KEY.get(k);
    if (def) return this.values.get(k) ?? def.defaultValue;
    return this.custom.get(k);
  }

  /** SHOW's value; unknown names are an error (42704). */
  show(name: string): { name: string; value: string } {
    const k = keyOf(name);
    const def = BY_KEY.get(k);
    if (def) return { name: k, value: this.values.get(k) ?? def.defaultValue };
    const v = this.custom.get(k);
    if (v === undefined) throw unknownParameter(name);
    return { name: k, value: v };
  }

  /** SET LOCAL: lasts until the end of the transaction block (outside one it has no effect). */
  setLocal(name: string, value: string | 'default'): void {
    if (!this.atBegin) return; // PostgreSQL: WARNING "SET LOCAL can only be used in transaction blocks"
    const k = keyOf(name);
    const before = this.beforeLocal.has(k) ? this.beforeLocal.get(k) : BY_KEY.has(k) ? this.values.get(k) : this.custom.get(k);
    this.set(name, value);
    this.beforeLocal.set(k, before);
  }

  beginTransaction(): void {
    this.atBegin = { values: new Map(this.values), custom: new Map(this.custom) };
    this.beforeLocal.clear();
  }

  /** End of a transaction block: ROLLBACK restores every setting, COMMIT only undoes SET LOCAL. */
  endTransaction(committed: boolean): void {
    const saved = this.atBegin;
    this.atBegin = null;
    if (!saved) return;
    const restore = (k: string, v: string | undefined) => {
      const def = BY_KEY.get(k);
      if (def) {
        if (v === undefined) this.values.delete(k);
        else this.values.set(k, v);
        if (def.reported) this.changed.set(def.name, v ?? def.defaultValue);
      } else if (v === undefined) this.custom.delete(k);
      else this.custom.set(k, v);
    };
    if (committed) {
      for (const [k, v] of this.beforeLocal) restore(k, v);
    } else {
      const keys = new Set([...this.values.keys(), ...saved.values.keys()]);
      for (const k of keys) if (this.values.get(k) !== saved.values.get(k)) restore(k, saved.values.get(k));
      this.custom = saved.custom;
    }
    this.beforeLocal.clear();
  }

  set(name: string, value: string | 'default'): void {
    const k = keyOf(name);
    this.beforeLocal.delete(k);
    const def = BY_KEY.get(k);
    if (!def) {
      if (!k.includes('.')) throw unknownParameter(name);
      if (value === 'default') this.custom.delete(k);
      else this.custom.set(k, value);
      return;
    }
    if (def.readOnly) {
      throw new SqlError(SQLSTATE.cantChangeRuntimeParam, `parameter "${def.name}" cannot be changed`);
    }
    const next = value === 'default' ? def.defaultValue : def.validate ? def.validate(value) : value;
    this.values.set(k, next);
    if (def.reported) this.changed.set(def.name, next);
  }

  reset(name: string | 'all'): void {
    if (name === 'all') {
      for (const def of DEFS) if (!def.readOnly && def.name !== 'session_authorization') this.set(def.name, 'default');
      this.custom.clear();
      return;
    }
    this.set(name, 'default');
  }

  /** Every reported setting with its current value, for the startup ParameterStatus messages. */
  reported(): Array<readonly [string, string]> {
    return DEFS.filter((d) => d.reported).map((d) => [d.name, this.get(d.name) ?? d.defaultValue] as const);
  }

  takeChanges(): Array<readonly [string, string]> {
    const out = [...this.changed.entries()];
    this.changed.clear();
    return out;
  }

  /** SHOW ALL rows: name, setting, description. */
  all(): Array<[string, string, string]> {
    return DEFS.map((d) => [d.name, this.get(d.name) ?? d.defaultValue, d.description]);
  }
}
