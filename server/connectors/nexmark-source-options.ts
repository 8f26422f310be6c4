/**
 * `CREATE SOURCE name WITH (connector = 'nexmark', type = 'bid', ...)`: checks the options of a Nexmark
 * source and turns them into the stream it becomes (columns of its event kind, a WATERMARK on
 * date_time) and the generator configuration. Sources with the same generator options share one
 * generator, so `person`, `auction` and `bid` sources of one seed see one consistent event sequence.
 */
import type { ColumnMeta, StreamWatermarkDef } from '../catalog/model.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { WithOptions } from '../sql/ast.js';
import { parseInterval } from '../types/interval-text.js';
import type { NexmarkConfig } from './nexmark/config.js';
import { NEXMARK_EVENT_KINDS, NEXMARK_SCHEMAS, type NexmarkEventKind } from './nexmark/schemas.js';

/** How fast a source generates: as fast as the engine takes events, or at event_rate in wall-clock time. */
export type SourcePace = 'max' | 'realtime';

export interface NexmarkSourceSpec {
  readonly kind: NexmarkEventKind;
  readonly config: NexmarkConfig;
  readonly pace: SourcePace;
  /** Options as stored in the catalog (normalized text), which is what a restart reads back. */
  readonly options: Record<string, string>;
}

const KNOWN = ['connector', 'type', 'event_rate', 'max_events', 'seed', 'pace', 'watermark_delay', 'comment'];

function bad(message: string, hint?: string): never {
  throw new SqlError(SQLSTATE.invalidParameterValue, message, hint ? { hint } : {});
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) bad(`option "${name}" must be a positive integer, not "${text}"`);
  return n;
}

/** Options of a `CREATE SOURCE` with connector 'nexmark', checked and normalized. */
export function nexmarkSourceOptions(options: WithOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of options) {
    if (!KNOWN.includes(key)) bad(`unrecognized option "${key}" for connector 'nexmark'`, `Valid options are: ${KNOWN.join(', ')}.`);
    if (key in out) throw new SqlError(SQLSTATE.syntaxError, `option "${key}" specified more than once`);
    out[key] = String(value);
  }
  const connector = (out['connector'] ?? '').toLowerCase();
  if (connector !== 'nexmark') {
    throw new SqlError(SQLSTATE.featureNotSupported, connector === '' ? 'CREATE SOURCE needs a connector option' : `connector "${out['connector']}" is not available for sources`, {
      hint: "The available source connector is 'nexmark': CREATE SOURCE bid WITH (connector = 'nexmark', type = 'bid').",
    });
  }
  out['connector'] = 'nexmark';
  const kind = (out['type'] ?? '').toLowerCase();
  if (!(NEXMARK_EVENT_KINDS as readonly string[]).includes(kind)) bad(`option "type" must be one of ${NEXMARK_EVENT_KINDS.join(', ')}`);
  out['type'] = kind;
  if (out['event_rate'] !== undefined) out['event_rate'] = String(positiveInteger('event_rate', out['event_rate']));
  if (out['max_events'] !== undefined) out['max_events'] = String(positiveInteger('max_events', out['max_events']));
  if (out['seed'] !== undefined && !/^-?\d+$/.test(out['seed'])) bad(`option "seed" must be an integer, not "${out['seed']}"`);
  const pace = (out['pace'] ?? 'realtime').toLowerCase();
  if (pace !== 'max' && pace !== 'realtime') bad(`option "pace" must be 'max' or 'realtime'`);
  out['pace'] = pace;
  out['watermark_delay'] = String(delayMicros(out['watermark_delay'] ?? '4 seconds'));
  return out;
}

function delayMicros(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  let micros: number;
  try {
    const i = parseInterval(text);
    if (i.months !== 0) throw new Error('months');
    micros = i.days * 86_400_000_000 + i.micros;
  } catch {
    bad(`invalid value for option "watermark_delay": "${text}"`, "Give an interval such as '4 seconds'.");
  }
  if (micros < 0) bad('option "watermark_delay" must not be negative');
  return micros;
}

/** The generator configuration and pace of a source from its stored options. */
export function nexmarkSourceSpec(options: Readonly<Record<string, string>>): NexmarkSourceSpec {
  const config: NexmarkConfig = {
    ...(options['event_rate'] !== undefined ? { eventRate: Number(options['event_rate']) } : {}),
    ...(options['max_events'] !== undefined ? { maxEvents: Number(options['max_events']) } : {}),
    ...(options['seed'] !== undefined ? { seed: BigInt(options['seed']) } : {}),
  };
  return { kind: options['type'] as NexmarkEventKind, config, pace: options['pace'] === 'max' ? 'max' : 'realtime', options: { ...options } };
}

/** The columns of a source of `kind` and its watermark on date_time. */
export function nexmarkSourceShape(kind: NexmarkEventKind, delay: number): { columns: ColumnMeta[]; watermark: StreamWatermarkDef } {
  const schema = NEXMARK_SCHEMAS[kind];
  const columns = schema.map((c, i): ColumnMeta => ({ name: c.name, type: c.sqlType, notNull: false, attnum: i + 1 }));
  const column = schema.findIndex((c) => c.name === 'date_time');
  return { columns, watermark: { column, delayMicros: delay, expression: `date_time - INTERVAL '${delay / 1_000_000} seconds'` } };
}

/** Sources that share a generator: same seed, rate and length. */
export function generatorKey(options: Readonly<Record<string, string>>): string {
  return JSON.stringify([options['seed'] ?? '0', options['event_rate'] ?? '', options['max_events'] ?? '', options['pace'] ?? 'realtime']);
}
