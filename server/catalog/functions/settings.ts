/**
 * current_setting and set_config. Values come from the session (FunctionContext.setting), falling
 * back to the built-in defaults. set_config needs a session that can write its settings: a
 * FunctionContext with `setSetting` (see SettingWriter); without one it raises an error.
 */
import { defineFunction, over } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import { T } from '../../types/sql-type.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { currentSettingValue } from '../settings.js';

/** Optional capability of a FunctionContext: change a session setting (is_local: until transaction end). */
export interface SettingWriter {
  setSetting(name: string, value: string, isLocal: boolean): void;
}

function isSettingWriter(ctx: FunctionContext): ctx is FunctionContext & SettingWriter {
  return typeof (ctx as Partial<SettingWriter>).setSetting === 'function';
}

function currentSetting(name: string, missingOk: boolean, ctx: FunctionContext): string | null {
  const value = currentSettingValue(name, (n) => ctx.setting(n));
  if (value !== undefined) return value;
  // Custom settings (with a dot) that were never set are simply absent.
  if (missingOk) return null;
  throw new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name}"`);
}

defineFunction('current_setting', [
  over([T.text], T.text, ([name], ctx) => currentSetting(name as string, false, ctx)),
  over([T.text, T.bool], T.text, ([name, missingOk], ctx) => currentSetting(name as string, missingOk as boolean, ctx)),
], { volatility: 'stable' });

defineFunction('set_config', [
  over([T.text, T.text, T.bool], T.text, ([name, value, isLocal], ctx) => {
    if (!isSettingWriter(ctx)) throw new SqlError(SQLSTATE.featureNotSupported, 'set_config is not available in this context');
    ctx.setSetting((name as string).toLowerCase(), value as string, isLocal as boolean);
    return currentSetting(name as string, true, ctx);
  }),
], { strict: false, volatility: 'volatile' });
