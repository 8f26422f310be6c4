/**
 * One client connection's protocol state machine: startup (SSL/GSS refusal, cancel, optional
 * cleartext password), then the main loop of simple and extended queries until Terminate or the
 * socket closes. Every failure becomes an ErrorResponse to this client; nothing here may throw out
 * of `run()`, so a bug or a bad client never takes the server down.
 */
import type { Socket } from 'node:net';
import type { Engine, EngineSession } from '../engine/api.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import type { TextFormatContext } from '../types/text-io.js';
import { cancelByKey, registerCancellable } from './cancel-registry.js';
import { ConnectionGone } from './connection-gone.js';
import { ExtendedQuery } from './extended-query.js';
import type { FrontendMessage } from './frontend-messages.js';
import { Portal, type PortalContext } from './portal.js';
import { WireChannel } from './wire-channel.js';

export interface ConnectionOptions {
  readonly engine: Engine;
  readonly auth: 'trust' | 'password';
  readonly maxMessageSize: number;
}

/** Startup parameters that negotiate protocol options rather than set session variables. */
const PROTOCOL_OPTION_PREFIX = '_pq_.';

export class PgConnection {
  private readonly channel: WireChannel;
  private session: EngineSession | null = null;
  private sessionClosed = false;
  private unregisterCancel: (() => void) | null = null;
  private extended: ExtendedQuery | null = null;
  private skipUntilSync = false;
  private textContext: TextFormatContext = { timeZone: 'UTC' };

  constructor(
    socket: Socket,
    private readonly opts: ConnectionOptions,
  ) {
    this.channel = new WireChannel(socket, opts.maxMessageSize);
    this.channel.onClose(() => this.closeSession());
  }

  /** Serve the connection to its end. Never rejects. */
  async run(): Promise<void> {
    try {
      if (await this.startup()) await this.mainLoop();
    } catch (e) {
      if (!(e instanceof ConnectionGone)) {
        const error = toSqlError(e);
        this.sendError(new SqlError(error.code, error.message, { severity: 'FATAL', detail: error.detail, hint: error.hint }));
      }
    } finally {
      this.closeSession();
      try {
        await this.channel.close();
      } catch {
        this.channel.destroy();
      }
    }
  }

  private closeSession(): void {
    if (this.sessionClosed) return;
    this.sessionClosed = true;
    this.unregisterCancel?.();
    try {
      this.extended?.closeAll();
    } catch {
      /* releasing a RowSource failed: the session close below still runs */
    }
    try {
      this.session?.close();
    } catch {
      /* the session is gone either way */
    }
  }

  /** Startup phase; true when a session is ready for queries. */
  private async startup(): Promise<boolean> {
    const w = this.channel.writer;
    for (;;) {
      const msg = await this.channel.nextMessage();
      if (msg === null) return false;
      switch (msg.kind) {
        case 'sslRequest':
        case 'gssEncRequest':
          w.encryptionRefused();
          await this.channel.flush();
          continue;
        case 'cancelRequest':
          cancelByKey(msg.processId, msg.secretKey);
          return false;
        case 'startup':
          return this.authenticateAndOpen(msg);
        default:
          throw new SqlError(SQLSTATE.protocolViolation, `unexpected message ${msg.kind} during startup`);
      }
    }
  }

  private async authenticateAndOpen(msg: Extract<FrontendMessage, { kind: 'startup' }>): Promise<boolean> {
    const w = this.channel.writer;
    const parameters: Record<string, string> = {};
    const unknownOptions: string[] = [];
    for (const [k, v] of Object.entries(msg.parameters)) {
      if (k.startsWith(PROTOCOL_OPTION_PREFIX)) unknownOptions.push(k);
      else parameters[k] = v;
    }
    const minor = msg.protocolVersion & 0xffff;
    if (minor > 0 || unknownOptions.length > 0) w.negotiateProtocolVersion(0, unknownOptions);
    const user = parameters['user'];
    if (!user) {
      throw new SqlError(SQLSTATE.invalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet');
    }
    const database = parameters['database'] || user;

    if (this.opts.auth === 'password') {
      w.authenticationCleartextPassword();
      await this.channel.flush();
      const reply = await this.channel.nextMessage();
      if (reply === null) return false;
      if (reply.kind !== 'password') {
        throw new SqlError(SQLSTATE.protocolViolation, `expected password response, got message ${reply.kind}`);
      }
      const ok = this.opts.engine.checkPassword?.(user, reply.password) ?? false;
      if (!ok) throw new SqlError(SQLSTATE.invalidPassword, `password authentication failed for user "${user}"`);
    }

    const session = this.opts.engine.openSession({ user, database, parameters });
    this.session = session;
    if (this.channel.closed) {
      this.closeSession();
      return false;
    }
    this.extended = new ExtendedQuery(this.portalContext());
    w.authenticationOk();
    for (const [name, value] of session.initialParameters()) {
      this.noteParameter(name, value);
      w.parameterStatus(name, value);
    }
    const { key, unregister } = registerCancellable(session);
    this.unregisterCancel = unregister;
    w.backendKeyData(key.processId, key.secretKey);
    w.readyForQuery(session.transactionStatus());
    await this.channel.flush();
    return true;
  }

  private portalContext(): PortalContext {
    const session = this.session!;
    return {
      session,
      channel: this.channel,
      textContext: () => (session.textFormatContext ? session.textFormatContext() : this.textContext),
    };
  }

  private noteParameter(name: string, value: string): void {
    if (name.toLowerCase() === 'timezone') this.textContext = { timeZone: value };
  }

  private sendParameterChanges(): void {
    const session = this.session;
    if (!session) return;
    for (const [name, value] of session.takeParameterChanges()) {
      this.noteParameter(name, value);
      this.channel.writer.parameterStatus(name, value);
    }
  }

  private sendError(e: unknown): SqlError {
    const error = toSqlError(e);
    this.channel.writer.errorResponse({
      severity: error.severity,
      code: error.code,
      message: error.message,
      detail: error.detail,
      hint: error.hint,
      position: error.position,
      schema: error.schema,
      table: error.table,
      column: error.column,
      constraint: error.constraint,
    });
    return error;
  }

  /** A statement failed: tell the client, and fail the transaction block if one is open. */
  private reportStatementError(e: unknown): SqlError {
    if (e instanceof ConnectionGone) throw e;
    const error = this.sendError(e);
    const session = this.session;
    if (session) {
      try {
        if (session.transactionStatus() === 'T') session.markFailed();
      } catch {
        /* the error is already reported */
      }
    }
    return error;
  }

  private async mainLoop(): Promise<void> {
    for (;;) {
      let msg: FrontendMessage | null;
      try {
        msg = await this.channel.nextMessage();
      } catch (e) {
        this.sendError(e); // malformed input: the decoder cannot resynchronise, so the connection ends
        return;
      }
      if (msg === null || msg.kind === 'terminate') return;
      if (this.skipUntilSync && msg.kind !== 'sync') continue;
      try {
        await this.dispatch(msg);
      } catch (e) {
        const error = this.reportStatementError(e);
        if (error.severity === 'FATAL') return;
        this.skipUntilSync = true;
      }
    }
  }

  /** Handle one message; a throw means an extended-protocol error (skip until Sync follows). */
  private async dispatch(msg: FrontendMessage): Promise<void> {
    const extended = this.extended!;
    switch (msg.kind) {
      case 'query':
        return this.simpleQuery(msg.sql);
      case 'parse':
        return extended.parse(msg);
      case 'bind':
        return extended.bind(msg);
      case 'describe':
        return extended.describe(msg);
      case 'execute':
        try {
          return await extended.execute(msg);
        } finally {
          this.sendParameterChanges();
        }
      case 'close':
        return extended.close(msg);
      case 'flush':
        return this.channel.flush();
      case 'sync':
        return this.sync();
      case 'copyData':
      case 'copyDone':
      case 'copyFail':
        return; // the rest of a COPY that already failed: ignored, as PostgreSQL does
      case 'terminate':
        return;
      case 'startup':
      case 'sslRequest':
      case 'gssEncRequest':
      case 'cancelRequest':
      case 'password':
        throw new SqlError(SQLSTATE.protocolViolation, `unexpected message ${msg.kind}`, { severity: 'FATAL' });
      default: {
        const never: never = msg;
        throw new SqlError(SQLSTATE.protocolViolation, `unknown message ${String(never)}`, { severity: 'FATAL' });
      }
    }
  }

  private async sync(): Promise<void> {
    this.skipUntilSync = false;
    this.endOfCommandCycle();
    await this.channel.flush();
  }

  /** ReadyForQuery, after dropping portals if no transaction holds them. */
  private endOfCommandCycle(): void {
    const session = this.session!;
    const status = session.transactionStatus();
    if (status === 'I') this.extended!.closeAllPortals();
    this.channel.writer.readyForQuery(status);
  }

  private async simpleQuery(sql: string): Promise<void> {
    const session = this.session!;
    const ctx = this.portalContext();
    this.extended!.dropUnnamed();
    try {
      const statements = session.parse(sql).filter((p) => p.statement.kind !== 'empty');
      if (statements.length === 0) this.channel.writer.emptyQueryResponse();
      for (const parsed of statements) {
        let portal: Portal | null = null;
        try {
          const prepared = await session.prepare(parsed, []);
          portal = new Portal('', '', prepared, false, [], []);
          await portal.execute(ctx, 0, true);
        } finally {
          portal?.close();
          this.sendParameterChanges();
        }
      }
    } catch (e) {
      const error = this.reportStatementError(e);
      if (error.severity === 'FATAL') throw new ConnectionGone();
    }
    this.endOfCommandCycle();
  }
}
