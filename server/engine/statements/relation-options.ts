/**
 * Validation of `WITH (...)` options on CREATE TABLE and CREATE STREAM. Connectors arrive in a later
 * issue; until then the only connector is the built-in durable log itself, and any other option
 * name is an error naming the ones that exist.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { WithOptions } from '../../sql/ast.js';

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
    out[key] = check(String(value));
  }
  return out;
}
