/**
 * The extended query protocol's named objects: prepared statements and portals of one connection
 * (Parse, Bind, Describe, Execute, Close). Unnamed ones are replaced on reuse; a named duplicate is
 * an error. Error recovery (skip until Sync) and Sync itself belong to connection.ts.
 */
import type { PreparedStatement } from '../engine/api.js';
import { SqlError, SQLSTATE } from '../errors.js';
import type { ParsedStatement } from '../sql/ast.js';
import { T, typeFromOid, typeOid } from '../types/sql-type.js';
import type { FrontendMessage } from './frontend-messages.js';
import { Portal, type PortalContext } from './portal.js';
import { decodeParams, describeFields } from './value-format.js';

interface StatementEntry {
  readonly prepared: PreparedStatement;
  readonly isEmpty: boolean;
}

type Msg<K extends FrontendMessage['kind']> = Extract<FrontendMessage, { kind: K }>;

function quotedStatement(name: string): string {
  return name === '' ? 'unnamed prepared statement' : `prepared statement "${name}"`;
}

export class ExtendedQuery {
  private readonly statements = new Map<string, StatementEntry>();
  private readonly portals = new Map<string, Portal>();

  constructor(private readonly ctx: PortalContext) {}

  async parse(msg: Msg<'parse'>): Promise<void> {
    if (msg.name !== '' && this.statements.has(msg.name)) {
      throw new SqlError(SQLSTATE.duplicatePreparedStatement, `prepared statement "${msg.name}" already exists`);
    }
    const session = this.ctx.session;
    const parsed = session.parse(msg.sql).filter((p) => p.statement.kind !== 'empty');
    if (parsed.length > 1) {
      throw new SqlError(SQLSTATE.syntaxError, 'cannot insert multiple commands into a prepared statement');
    }
    let entry: StatementEntry;
    if (parsed.length === 0) {
      const emptyParsed: ParsedStatement = { statement: { kind: 'empty' }, source: { text: msg.sql, offset: 0 } };
      const paramTypes = msg.paramTypeOids.map((oid) => typeFromOid(oid) ?? T.unknown);
      entry = { prepared: { parsed: emptyParsed, paramTypes, fields: null }, isEmpty: true };
    } else {
      entry = { prepared: await session.prepare(parsed[0]!, msg.paramTypeOids), isEmpty: false };
    }
    this.statements.set(msg.name, entry);
    this.ctx.channel.writer.parseComplete();
  }

  bind(msg: Msg<'bind'>): void {
    const entry = this.statements.get(msg.statement);
    if (!entry) throw new SqlError(SQLSTATE.invalidSqlStatementName, `${quotedStatement(msg.statement)} does not exist`);
    if (msg.portal !== '' && this.portals.has(msg.portal)) {
      throw new SqlError(SQLSTATE.duplicateCursor, `portal "${msg.portal}" already exists`);
    }
    const types = entry.prepared.paramTypes;
    if (msg.params.length !== types.length) {
      throw new SqlError(
        SQLSTATE.protocolViolation,
        `bind message supplies ${msg.params.length} parameters, but ${quotedStatement(msg.statement)} requires ${types.length}`,
      );
    }
    const params = decodeParams(msg.params, msg.paramFormats, types, this.ctx.textContext());
    const portal = new Portal(msg.portal, msg.statement, entry.prepared, entry.isEmpty, params, msg.resultFormats);
    this.closePortal(msg.portal);
    this.portals.set(msg.portal, portal);
    this.ctx.channel.writer.bindComplete();
  }

  describe(msg: Msg<'describe'>): void {
    const w = this.ctx.channel.writer;
    if (msg.target === 'S') {
      const entry = this.statements.get(msg.name);
      if (!entry) throw new SqlError(SQLSTATE.invalidSqlStatementName, `${quotedStatement(msg.name)} does not exist`);
      w.parameterDescription(entry.prepared.paramTypes.map(typeOid));
      const fields = entry.prepared.fields;
      if (fields) w.rowDescription(describeFields(fields, null));
      else w.noData();
      return;
    }
    const portal = this.portals.get(msg.name);
    if (!portal) throw new SqlError(SQLSTATE.invalidCursorName, `portal "${msg.name}" does not exist`);
    const fields = portal.describe();
    if (fields) w.rowDescription(fields);
    else w.noData();
  }

  async execute(msg: Msg<'execute'>): Promise<void> {
    const portal = this.portals.get(msg.portal);
    if (!portal) throw new SqlError(SQLSTATE.invalidCursorName, `portal "${msg.portal}" does not exist`);
    await portal.execute(this.ctx, msg.maxRows, false);
  }

  close(msg: Msg<'close'>): void {
    if (msg.target === 'S') this.closeStatement(msg.name);
    else this.closePortal(msg.name);
    this.ctx.channel.writer.closeComplete();
  }

  /** Closing a statement closes the portals made from it, as PostgreSQL does. */
  private closeStatement(name: string): void {
    if (!this.statements.delete(name)) return;
    for (const portal of [...this.portals.values()]) {
      if (portal.statementName === name) this.closePortal(portal.name);
    }
  }

  closePortal(name: string): void {
    const portal = this.portals.get(name);
    if (!portal) return;
    this.portals.delete(name);
    portal.close();
  }

  /** A simple Query destroys the unnamed statement and portal, as PostgreSQL does. */
  dropUnnamed(): void {
    this.closePortal('');
    this.statements.delete('');
  }

  /** Portals live only as long as their transaction: drop them all when it ends. */
  closeAllPortals(): void {
    for (const portal of this.portals.values()) portal.close();
    this.portals.clear();
  }

  /** The connection ends: release everything. */
  closeAll(): void {
    this.closeAllPortals();
    this.statements.clear();
  }
}
