/**
 * One session's settings (GUCs): SET / SET LOCAL / RESET / SHOW semantics over the setting list in
 * catalog/settings.ts (names, defaults, descriptions), plus what only a session needs: which
 * settings are reported to the client in ParameterStatus, validation of the values that matter,
 * and undoing SET at ROLLBACK and SET LOCAL at the end of the transaction block.
 */
import { KNOWN_SETTINGS, settingInfo, type SettingInfo } from '../catalog/settings.js';
import { SqlError, SQLSTATE } from '../errors.js';

/**
 * Freshet's own session settings (no PostgreSQL counterpart). `parallelism`: subtasks of each parallel
 * operator in the dataflow graphs (EXPLAIN (GRAPH), server/cluster/); capped so that the all-to-all
 * exchanges of one plan stay small enough to plan and print.
 */
export const FRESHET_SETTINGS: readonly SettingInfo[] = [
  { name: 'parallelism', boot: '1', vartype: 'integer', context: 'user', category: 'Freshet / Dataflow', description: 'Subtasks of each parallel operator of a dataflow.', min: '1', max: '256' },
];

const freshetByName = new Map(FRESHET_SETTINGS.map((s) => [s.name, s]));

/** A known setting, PostgreSQL's or Freshet's own, by lower-case name. */
function infoOf(name: string): SettingInfo | undefined {
  return settingInfo(name) ?? freshetByName.get(name.toLowerCase());
}

/** The session's `parallelism` setting as a number (validated >= 1 when set). */
export function sessionParallelism(settings: SessionSettings): number {
  return Number(settings.get('parallelism') ?? '1');
}

/** GUC_REPORT settings: sent as ParameterStatus at startup and whenever they change. */
const REPORTED = new Set(
  ['server_version', 'server_encoding', 'client_encoding', 'application_name', 'DateStyle', 'IntervalStyle', 'TimeZone',
    'integer_datetimes', 'standard_conforming_strings', 'is_superuser', 'session_authorization',
    'default_transaction_read_only', 'in_hot_standby'].map((n) => n.toLowerCase()),
);

function validateTimeZone(value: string): string {
  const v = value.trim();
  if (/^(utc|gmt|z)$/i.test(v)) return v.toUpperCase() === 'Z' ? 'UTC' : v.toUpperCase();
  if (/^[+-]?\d{1,2}(:\d{2})?$/.test(v)) return v;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
  }
}

function validateDateStyle(value: string): string {
  let style = 'ISO';
  let order = 'MDY';
  for (const p of value.split(',').map((x) => x.trim().toUpperCase())) {
    if (p === 'ISO' || p === 'POSTGRES' || p === 'SQL' || p === 'GERMAN') style = p;
    else if (p === 'DMY' || p === 'YMD' || p === 'EURO' || p === 'EUROPEAN') order = p === 'YMD' ? 'YMD' : 'DMY';
    else if (p === 'MDY' || p === 'US' || p === 'NONEURO' || p === 'NONEUROPEAN') order = 'MDY';
    else throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "DateStyle": "${value}"`);
  }
  if (style !== 'ISO') throw new SqlError(SQLSTATE.featureNotSupported, `DateStyle "${style}" is not supported; Freshet uses ISO`);
  return `${style}, ${order}`;
}

function validateBool(info: SettingInfo, value: string): string {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 't'].includes(v)) return 'on';
  if (['off', 'false', 'no', '0', 'f'].includes(v)) return 'off';
  throw new SqlError(SQLSTATE.invalidParameterValue, `parameter "${info.name}" requires a Boolean value`);
}

function validateInteger(info: SettingInfo, value: string): string {
  const v = value.trim();
  if (!/^[+-]?\d+$/.test(v)) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "${info.name}": "${value}"`);
  const n = Number(v);
  if ((info.min !== undefined && n < Number(info.min)) || (info.max !== undefined && n > Number(info.max))) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `${n} is outside the valid range for parameter "${info.name}" (${info.min} .. ${info.max})`);
  }
  return String(n);
}

function validateEnum(info: SettingInfo, value: string): string {
  const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (info.enumvals && !info.enumvals.includes(v)) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "${info.name}": "${value}"`, {
      hint: `Available values: ${info.enumvals.join(', ')}.`,
    });
  }
  return v;
}

/** Settings whose values Freshet can honour only in one form. */
const SPECIAL: Readonly<Record<string, (value: string) => string>> = {
  timezone: validateTimeZone,
  datestyle: validateDateStyle,
  client_encoding: (v) => {
    if (!/^(utf-?8|unicode)$/i.test(v.trim())) throw new SqlError(SQLSTATE.featureNotSupported, `client encoding "${v}" is not supported; Freshet speaks UTF8`);
    return 'UTF8';
  },
  intervalstyle: (v) => {
    if (v.trim().toLowerCase() !== 'postgres') throw new SqlError(SQLSTATE.featureNotSupported, `IntervalStyle "${v}" is not supported`);
    return 'postgres';
  },
  standard_conforming_strings: (v) => {
    if (v.trim().toLowerCase() !== 'on' && v.trim().toLowerCase() !== 'true') {
      throw new SqlError(SQLSTATE.featureNotSupported, 'standard_conforming_strings must be on');
    }
    return 'on';
  },
};

function validate(info: SettingInfo, value: string): string {
  const special = SPECIAL[info.name.toLowerCase()];
  if (special) return special(value);
  switch (info.vartype) {
    case 'bool': return validateBool(info, value);
    case 'integer': return validateInteger(info, value);
    case 'enum': return validateEnum(info, value);
    case 'real':
    case 'string': return value;
    default: {
      const never: never = info.vartype;
      return String(never);
    }
  }
}

function isReadOnly(info: SettingInfo): boolean {
  return info.context === 'internal' || info.context === 'postmaster';
}

/** SET names PostgreSQL accepts under another spelling. */
const ALIASES: Readonly<Record<string, string>> = { 'time zone': 'timezone', names: 'client_encoding' };

function keyOf(name: string): string {
  const k = name.toLowerCase();
  return ALIASES[k] ?? k;
}

function unknownParameter(name: string): SqlError {
  return new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name}"`);
}

/** One session's settings. Custom dotted names (`myapp.x`) are allowed, as in PostgreSQL. */
export class SessionSettings {
  /** Values that differ from the built-in default, by lower-case name (known and custom settings). */
  private values = new Map<string, string>();
  private readonly changed = new Map<string, string>();
  /** Values as they were at BEGIN, restored by ROLLBACK. */
  private atBegin: Map<string, string> | null = null;
  /** For names SET LOCAL in this block: their value without the LOCAL, restored at the block's end. */
  private readonly beforeLocal = new Map<string, string | undefined>();

  constructor(startup: Readonly<Record<string, string>>, user: string) {
    this.values.set('session_authorization', user);
    for (const [name, value] of Object.entries(startup)) {
      const info = infoOf(keyOf(name));
      if (!info || isReadOnly(info)) continue;
      try {
        this.values.set(info.name.toLowerCase(), validate(info, value));
      } catch {
        // A bad startup value falls back to the default, as a forgiving server would.
      }
    }
  }

  get(name: string): string | undefined {
    const k = keyOf(name);
    return this.values.get(k) ?? infoOf(k)?.boot;
  }

  /** SHOW's column name and value; unknown names are an error (42704). */
  show(name: string): { name: string; value: string } {
    const k = keyOf(name);
    const v = this.get(k);
    if (v === undefined) throw unknownParameter(name);
    return { name: k, value: v };
  }

  set(name: string, value: string | 'default'): void {
    const k = keyOf(name);
    this.beforeLocal.delete(k);
    const info = infoOf(k);
    if (!info) {
      if (!k.includes('.')) throw unknownParameter(name);
      this.put(k, value === 'default' ? undefined : value);
      return;
    }
    if (isReadOnly(info)) throw new SqlError(SQLSTATE.cantChangeRuntimeParam, `parameter "${info.name}" cannot be changed`);
    this.put(k, value === 'default' ? undefined : validate(info, value));
  }

  /** SET LOCAL: lasts until the end of the transaction block (outside one it has no effect). */
  setLocal(name: string, value: string | 'default'): void {
    if (!this.atBegin) return; // PostgreSQL: WARNING "SET LOCAL can only be used in transaction blocks"
    const k = keyOf(name);
    const before = this.beforeLocal.has(k) ? this.beforeLocal.get(k) : this.values.get(k);
    this.set(name, value);
    this.beforeLocal.set(k, before);
  }

  reset(name: string | 'all'): void {
    if (name !== 'all') {
      this.set(name, 'default');
      return;
    }
    for (const k of [...this.values.keys()]) {
      const info = infoOf(k);
      if (!info || !isReadOnly(info)) this.put(k, undefined);
    }
  }

  beginTransaction(): void {
    this.atBegin = new Map(this.values);
    this.beforeLocal.clear();
  }

  /** End of a transaction block: ROLLBACK restores every setting, COMMIT only undoes SET LOCAL. */
  endTransaction(committed: boolean): void {
    const saved = this.atBegin;
    this.atBegin = null;
    if (!saved) return;
    if (committed) {
      for (const [k, v] of this.beforeLocal) this.put(k, v);
    } else {
      for (const k of new Set([...this.values.keys(), ...saved.keys()])) this.put(k, saved.get(k));
    }
    this.beforeLocal.clear();
  }

  /** Every reported setting with its current value, for the startup ParameterStatus messages. */
  reported(): Array<readonly [string, string]> {
    return KNOWN_SETTINGS.filter((i) => REPORTED.has(i.name.toLowerCase())).map((i) => [i.name, this.get(i.name) ?? i.boot] as const);
  }

  takeChanges(): Array<readonly [string, string]> {
    const out = [...this.changed.entries()];
    this.changed.clear();
    return out;
  }

  /** SHOW ALL rows: name, setting, description. */
  all(): Array<[string, string, string]> {
    return [...KNOWN_SETTINGS, ...FRESHET_SETTINGS].map((i) => [i.name, this.get(i.name) ?? i.boot, i.description]);
  }

  /** Sets (or, with undefined, resets to the default) one value, noting reported changes. */
  private put(k: string, v: string | undefined): void {
    const before = this.get(k);
    if (v === undefined) this.values.delete(k);
    else this.values.set(k, v);
    const info = infoOf(k);
    const after = this.get(k);
    if (info && REPORTED.has(k) && after !== before && after !== undefined) this.changed.set(info.name, after);
  }
}
