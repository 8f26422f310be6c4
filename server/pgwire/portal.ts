/**
 * A portal: a prepared statement bound to parameter values and result formats, run by Execute.
 * It starts the engine's execution on the first Execute and, for row results, keeps the RowSource
 * open between Executes with a row limit (PortalSuspended) until every row has gone out.
 */
import type { EngineSession, ExecutionResult, FieldDescription, PreparedStatement, RowSource } from '../engine/api.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { Datum } from '../types/datum.js';
import type { TextFormatContext } from '../types/text-io.js';
import type { FormatCode, RowDescriptionField } from './backend-writer.js';
import { ConnectionGone } from './connection-gone.js';
import { runCopyIn } from './copy-in.js';
import { runCopyOut } from './copy-out.js';
import { columnEncoders, describeFields, formatsFor, type ColumnEncoder } from './value-format.js';
import type { WireChannel } from './wire-channel.js';

/** Rows asked of a RowSource at a time when the client wants them all. */
const UNLIMITED_BATCH = 4096;

export interface PortalContext {
  readonly session: EngineSession;
  readonly channel: WireChannel;
  readonly textContext: () => TextFormatContext;
}

type PortalState =
  | { readonly kind: 'new' }
  | {
      readonly kind: 'rows';
      readonly fields: readonly FieldDescription[];
      readonly source: RowSource;
      readonly encoders: ColumnEncoder[];
      readonly tag: (rowCount: number) => string;
      sent: number;
    }
  | { readonly kind: 'rowsDone'; readonly tag: (rowCount: number) => string }
  | { readonly kind: 'done' };

export class Portal {
  private state: PortalState = { kind: 'new' };

  constructor(
    readonly name: string,
    readonly statementName: string,
    readonly prepared: PreparedStatement,
    /** True for an empty query string: Execute answers EmptyQueryResponse without the engine. */
    readonly isEmpty: boolean,
    private readonly params: readonly Datum[],
    private readonly resultFormatCodes: readonly number[],
  ) {
    if (prepared.fields) formatsFor(resultFormatCodes, prepared.fields.length);
  }

  private formats(count: number): FormatCode[] {
    return formatsFor(this.resultFormatCodes, count);
  }

  /** RowDescription fields for Describe P, or null for NoData. */
  describe(): RowDescriptionField[] | null {
    const fields = this.state.kind === 'rows' ? this.state.fields : this.prepared.fields;
    return fields ? describeFields(fields, this.formats(fields.length)) : null;
  }

  /** Run (or resume) the portal; `maxRows` <= 0 means all rows. */
  async execute(ctx: PortalContext, maxRows: number, sendRowDescription: boolean): Promise<void> {
    const w = ctx.channel.writer;
    if (this.state.kind === 'new') {
      if (this.isEmpty) {
        this.state = { kind: 'done' };
        w.emptyQueryResponse();
        return;
      }
      const result = await ctx.session.execute(this.prepared, this.params);
      await this.start(ctx, result, sendRowDescription);
      if (this.current().kind !== 'rows') return;
    }
    const state = this.current();
    switch (state.kind) {
      case 'rows':
        return this.sendRows(ctx, state, maxRows);
      case 'rowsDone':
        w.commandComplete(state.tag(0));
        return;
      case 'done':
        throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, `portal "${this.name}" cannot be run`);
      case 'new':
        throw new SqlError(SQLSTATE.internalError, 'portal did not start');
      default: {
        const never: never = state;
        throw new SqlError(SQLSTATE.internalError, `unknown portal state ${String(never)}`);
      }
    }
  }

  /** The state as it is now (start() changes it behind the compiler's narrowing). */
  private current(): PortalState {
    return this.state;
  }

  private async start(ctx: PortalContext, result: ExecutionResult, sendRowDescription: boolean): Promise<void> {
    const w = ctx.channel.writer;
    switch (result.kind) {
      case 'rows': {
        const formats = this.formats(result.fields.length);
        this.state = {
          kind: 'rows',
          fields: result.fields,
          source: result.rows,
          encoders: columnEncoders(result.fields, formats, ctx.textContext),
          tag: (n) => result.tag(n),
          sent: 0,
        };
        if (sendRowDescription) w.rowDescription(describeFields(result.fields, formats));
        return;
      }
      case 'command':
        this.state = { kind: 'done' };
        w.commandComplete(result.tag);
        return;
      case 'empty':
        this.state = { kind: 'done' };
        w.emptyQueryResponse();
        return;
      case 'copyIn':
        this.state = { kind: 'done' };
        await runCopyIn(ctx.channel, result.sink);
        return;
      case 'copyOut':
        this.state = { kind: 'done' };
        await runCopyOut(ctx.channel, result);
        return;
      default: {
        const never: never = result;
        throw new SqlError(SQLSTATE.internalError, `unknown execution result ${String(never)}`);
      }
    }
  }

  private async sendRows(
    ctx: PortalContext,
    state: Extract<PortalState, { kind: 'rows' }>,
    maxRows: number,
  ): Promise<void> {
    const channel = ctx.channel;
    const w = channel.writer;
    const encoders = state.encoders;
    const width = encoders.length;
    let sentNow = 0;
    for (;;) {
      const want = maxRows > 0 ? Math.min(maxRows - sentNow, UNLIMITED_BATCH) : UNLIMITED_BATCH;
      const { rows, done } = await state.source.fetch(want);
      const values = new Array<string | Uint8Array | null>(width);
      for (const row of rows) {
        for (let c = 0; c < width; c++) values[c] = encoders[c]!(row[c] ?? null);
        w.dataRow(values);
      }
      sentNow += rows.length;
      state.sent += rows.length;
      if (state.source.live) await channel.flush();
      else await channel.flushIfFull();
      if (channel.closed) throw new ConnectionGone(); // nobody to send the rest to
      if (done) {
        state.source.close();
        this.state = { kind: 'rowsDone', tag: state.tag };
        w.commandComplete(state.tag(state.sent));
        return;
      }
      if (maxRows > 0 && sentNow >= maxRows) {
        w.portalSuspended();
        return;
      }
    }
  }

  /** Release the engine's resources (idempotent). */
  close(): void {
    if (this.state.kind === 'rows') {
      const source = this.state.source;
      this.state = { kind: 'done' };
      source.close();
    }
  }
}
