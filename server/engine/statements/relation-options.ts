/**
 * Validation of `WITH (...)` options on CREATE TABLE and CREATE STREAM. Connectors arrive in a later
 * issue; until then the only connector is the built-in durable log itself, and any other option
 * name is an error naming the ones that exist.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { WithOptions } from '../../sql/ast.js';
import { parseInterval } from '../../types/interval-text.js';

const KNOWN: Readonly<Record<string, (value: string) => string>> = {
  /** Free text shown by \d+ and obj_description. */
  comment: (v) => v,
  /** Where rows come from: 'log' (written by INSERT/COPY into Freshet's durable log). */
  connector: (v) => {
    const c = v.toLowerCase();
    if (c !== 'log') {
      throw new SqlError(SQLSTATE.featureNotSupported, `connector "${v}" is not available`, { hint: "The available connectors are: 'log'." });
    }
    return c;
  },
  /**
   * Streams with a WATERMARK: how long the stream may be quiet before queries that combine it with
   * other inputs stop waiting for its watermark (an interval: '10 seconds', '500 ms'). Kept in ms.
   */
  watermark_idle_timeout: (v) => {
    let ms: number;
    try {
      const i = parseInterval(v);
      if (i.months !== 0) throw new Error('months');
      ms = (i.days * 86_400_000_000 + i.micros) / 1000;
    } catch {
      throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for option "watermark_idle_timeout": "${v}"`, { hint: "Give an interval such as '10 seconds'." });
    }
    if (!(ms > 0)) throw new SqlError(SQLSTATE.invalidParameterValue, 'option "watermark_idle_timeout" must be positive');
    return String(ms);
  },
};

export function validateRelationOptions(options: WithOptions, what: 'table' | 'stream'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of options) {
    const check = KNOWN[key];
    if (!check) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized ${what} option "${key}"`, {
        hint: `Valid options are: ${Object.keys(KNOWN).join(', ')}.`,
      });
    }
    if (key in out) throw new SqlError(SQLSTATE.syntaxError, `option "${key}" specified more than once`);
    if (key === 'watermark_idle_timeout' && what !== 'stream') {
      throw new SqlError(SQLSTATE.invalidParameterValue, 'option "watermark_idle_timeout" applies to streams only');
    }
    out[key] = check(String(value));
  }
  return out;
}
