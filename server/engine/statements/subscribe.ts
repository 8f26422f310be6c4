/**
 * SUBSCRIBE and cursors. A subscription is a continuous query whose output goes to one client: the
 * current rows as inserts, then every change with its op, each epoch followed by a progress row.
 * It is consumed as an endless result (SUBSCRIBE), through a cursor (DECLARE c CURSOR FOR
 * SUBSCRIBE ...; FETCH n c [WITH (timeout = ...)]), or as COPY (SUBSCRIBE ...) TO STDOUT.
 */
import { continuousPlan } from '../../dynamic-table/incremental-check.js';
import { Subscription } from '../../dynamic-table/subscription.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindQuery, runQuery } from '../../plan/api.js';
import type { CloseCursorStatement, DeclareCursorStatement, FetchStatement, ParsedStatement, Query, SubscribeStatement } from '../../sql/ast.js';
import type { Row } from '../../types/datum.js';
import type { TextFormatContext } from '../../types/text-io.js';
import { T } from '../../types/sql-type.js';
import type { FieldDescription, RowSource } from '../api.js';
import type { CursorRegistry } from '../cursors.js';
import { BatchedRowSource, rowsSource } from '../row-source.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { commandStatement, field } from './simple-result.js';

/** What cursors and cancellation need from the session. */
export interface CursorContext extends StatementContext {
  readonly cursors: CursorRegistry;
  /** True once a CancelRequest arrived for the running statement. */
  cancelled(): boolean;
  /** How values print in text for this session (COPY TO formats with it). */
  textFormatContext(): TextFormatContext;
}

function targetQuery(s: SubscribeStatement): Query {
  if (s.target.kind === 'query') return s.target.query;
  return {
    kind: 'query',
    body: { kind: 'select', distinct: false, items: [{ expr: { kind: 'star' } }], from: [{ kind: 'table', name: s.target.name }], groupBy: [] },
    orderBy: [],
  };
}

/** Binds a SUBSCRIBE: its plan must be maintainable; its rows are (epoch, progress, op, columns...). */
export function bindSubscribe(s: SubscribeStatement, ctx: StatementContext) {
  const bound = bindQuery(targetQuery(s), [], ctx.bind);
  // A push query's rows leave as they are computed, like a sink's: processing time is allowed.
  const { plan } = continuousPlan(bound.plan, { processingTime: true });
  const fields: FieldDescription[] = [field('epoch', T.int8), field('progress', T.bool), field('op', T.text), ...bound.fields];
  const open = (): Subscription => {
    let stop = (): void => {};
    const sub = new Subscription(bound.fields.length, s.snapshot, s.progress, () => stop(), s.committed ? ctx.engine.views.committedEpoch : undefined);
    const stopQuery = ctx.engine.views.subscribe(plan, ctx.exec(), (changes, epoch, isSnapshot) => sub.epoch(changes, epoch, isSnapshot));
    const stopListening = s.committed ? ctx.engine.views.onCommittedEpoch((epoch) => sub.release(epoch)) : () => {};
    stop = () => {
      stopQuery();
      stopListening();
    };
    return sub;
  };
  return { fields, open };
}

/** An endless RowSource over a subscription; a CancelRequest ends it with 57014. */
export function subscriptionRows(sub: Subscription, cancelled: () => boolean): RowSource {
  return {
    live: true,
    fetch: async (max) => {
      const rows = await sub.next(max, undefined, cancelled);
      if (cancelled()) {
        sub.close();
        throw new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');
      }
      return { rows, done: false };
    },
    close: () => sub.close(),
  };
}

export function prepareSubscribe(parsed: ParsedStatement, ctx: CursorContext): EnginePrepared {
  const { fields, open } = bindSubscribe(parsed.statement as SubscribeStatement, ctx);
  return {
    parsed,
    paramTypes: [],
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => ({ kind: 'rows', fields, rows: subscriptionRows(open(), () => ctx.cancelled()), tag: (n) => `SUBSCRIBE ${n}` }),
  };
}

export function prepareDeclareCursor(parsed: ParsedStatement, ctx: CursorContext): EnginePrepared {
  const s = parsed.statement as DeclareCursorStatement;
  if (!ctx.inTransactionBlock && !s.hold) {
    throw new SqlError(SQLSTATE.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
  }
  if (s.statement.kind === 'subscribe') {
    const { fields, open } = bindSubscribe(s.statement, ctx);
    return commandStatement(parsed, ctx, () => {
      ctx.cursors.declare({ name: s.name, hold: s.hold, fields, source: { kind: 'subscription', subscription: open() } });
      return 'DECLARE CURSOR';
    });
  }
  const bound = bindQuery(s.statement.query, [], ctx.bind);
  return commandStatement(parsed, ctx, () => {
    const exec = ctx.exec();
    let rows: RowSource = new BatchedRowSource(runQuery(bound, [], exec), () => exec.checkCancel());
    if (s.hold) {
      // A cursor WITH HOLD outlives its transaction: materialize its rows now, as PostgreSQL does at COMMIT.
      const all: Row[] = [];
      for (const batch of runQuery(bound, [], exec)) all.push(...batch);
      rows = rowsSource(all);
    }
    ctx.cursors.declare({ name: s.name, hold: s.hold, fields: bound.fields, source: { kind: 'query', rows } });
    return 'DECLARE CURSOR';
  });
}

export function prepareFetch(parsed: ParsedStatement, ctx: CursorContext): EnginePrepared {
  const s = parsed.statement as FetchStatement;
  const fields = ctx.cursors.get(s.cursor).fields;
  return {
    parsed,
    paramTypes: [],
    fields,
    catalogVersion: ctx.engine.catalogVersion,
    run: async () => {
      const rows = await ctx.cursors.fetch(s.cursor, s.count, s.timeoutMs, () => ctx.cancelled());
      return { kind: 'rows', fields, rows: rowsSource(rows), tag: (n) => `FETCH ${n}` };
    },
  };
}

export function prepareCloseCursor(parsed: ParsedStatement, ctx: CursorContext): EnginePrepared {
  const s = parsed.statement as CloseCursorStatement;
  return commandStatement(parsed, ctx, () => {
    ctx.cursors.close(s.name);
    return s.name === 'all' ? 'CLOSE CURSOR ALL' : 'CLOSE CURSOR';
  });
}
