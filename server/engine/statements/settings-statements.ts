/** SET, RESET, SHOW and SET SESSION CHARACTERISTICS: they act on the session's settings only. */
import type { ParsedStatement } from '../../sql/ast.js';
import { T } from '../../types/sql-type.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement, field, rowsStatement } from './simple-result.js';

export function prepareSet(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement;
  if (s.kind !== 'set') throw new Error('prepareSet: wrong statement');
  return commandStatement(parsed, ctx, () => {
    const value = s.value === 'default' ? 'default' : s.value.join(', ');
    if (s.local) ctx.settings.setLocal(s.name, value);
    else ctx.settings.set(s.name, value);
    return 'SET';
  });
}

export function prepareReset(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement;
  if (s.kind !== 'reset') throw new Error('prepareReset: wrong statement');
  return commandStatement(parsed, ctx, () => {
    ctx.settings.reset(s.name);
    return 'RESET';
  });
}

export function prepareShow(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement;
  if (s.kind !== 'show') throw new Error('prepareShow: wrong statement');
  if (s.name === 'all') {
    const fields = [field('name', T.text), field('setting', T.text), field('description', T.text)];
    return rowsStatement(parsed, ctx, fields, () => ctx.settings.all(), () => 'SHOW');
  }
  const { name } = ctx.settings.show(s.name); // validates the name at prepare time, as PostgreSQL does
  return rowsStatement(parsed, ctx, [field(name, T.text)], () => [[ctx.settings.show(s.name).value]], () => 'SHOW');
}

export function prepareSetSessionCharacteristics(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement;
  if (s.kind !== 'setSessionCharacteristics') throw new Error('wrong statement');
  return commandStatement(parsed, ctx, () => {
    for (const mode of s.modes) {
      const m = mode.toLowerCase().replace(/\s+/g, ' ').trim();
      if (m.startsWith('isolation level ')) ctx.settings.set('default_transaction_isolation', m.slice('isolation level '.length));
      else if (m === 'read only') ctx.settings.set('default_transaction_read_only', 'on');
      else if (m === 'read write') ctx.settings.set('default_transaction_read_only', 'off');
    }
    return 'SET';
  });
}
