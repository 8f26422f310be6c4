/**
 * The contract between the PostgreSQL front end (pgwire/) and the SQL engine (engine/): pgwire owns
 * bytes, messages and formats; the engine owns statements, transactions and results. Values cross as
 * Datums (types/datum.ts) with their SqlType; pgwire encodes them as text or binary.
 */
import type { ParsedStatement } from '../sql/ast.js';
import type { Datum, Row } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import type { TextFormatContext } from '../types/text-io.js';

/** One column of a result, as RowDescription describes it. */
export interface FieldDescription {
  readonly name: string;
  readonly type: SqlType;
  /** OID of the table the column comes from, or 0. */
  readonly tableOid: number;
  /** Attribute number in that table, or 0. */
  readonly columnAttr: number;
}

/** A statement bound to the catalog, ready to execute with parameters. */
export interface PreparedStatement {
  readonly parsed: ParsedStatement;
  /** Parameter types, resolved from the client's OIDs or inferred from context. */
  readonly paramTypes: readonly SqlType[];
  /** The result's columns, or null when the statement returns no rows. */
  readonly fields: readonly FieldDescription[] | null;
}

/** Rows pulled a batch at a time, so Execute with a row limit can suspend a portal. */
export interface RowSource {
  /** Up to `max` more rows (max <= 0: all). `done` is true when no more rows will come. */
  fetch(max: number): Promise<{ rows: Row[]; done: boolean }>;
  /** Stop early and release resources. */
  close(): void;
  /** An endless, live result (SUBSCRIBE): send each batch to the client as soon as it is fetched. */
  readonly live?: boolean;
}

export type ExecutionResult =
  | {
      readonly kind: 'rows';
      readonly fields: readonly FieldDescription[];
      readonly rows: RowSource;
      /** Command tag once every row has been fetched, given how many rows were sent. */
      tag(rowCount: number): string;
    }
  | { readonly kind: 'command'; readonly tag: string }
  | { readonly kind: 'copyIn'; readonly sink: CopyInSink }
  | {
      /** COPY ... TO STDOUT: each fetched row is one line of COPY data, already formatted. */
      readonly kind: 'copyOut';
      readonly columnCount: number;
      readonly lines: RowSource;
      tag(lineCount: number): string;
    }
  | { readonly kind: 'empty' };

/** COPY ... FROM STDIN: pgwire feeds the decoded data, then finishes or aborts. */
export interface CopyInSink {
  readonly format: 'text' | 'csv';
  readonly columnCount: number;
  /** Raw CopyData payloads, in order; the sink parses text/CSV (it may split rows across calls). */
  write(data: Uint8Array): void;
  /** End of data: apply the rows; resolves to the command tag (`COPY n`). */
  finish(): Promise<string>;
  abort(reason: string): void;
}

export type TransactionStatus = 'I' | 'T' | 'E';

export interface SessionStartup {
  readonly user: string;
  readonly database: string;
  /** Every startup parameter the client sent (application_name, DateStyle, options, ...). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** One client's session in the engine. Methods throw SqlError for user errors. */
export interface EngineSession {
  /** Split and parse a query string into statements (syntax only, nothing runs). */
  parse(sql: string): ParsedStatement[];
  /** Bind one parsed statement: resolve names and types. `paramTypeOids` may hold 0 for unspecified. */
  prepare(parsed: ParsedStatement, paramTypeOids: readonly number[]): Promise<PreparedStatement>;
  /** Run a prepared statement with parameter values (already decoded to Datums of paramTypes). */
  execute(prepared: PreparedStatement, params: readonly Datum[]): Promise<ExecutionResult>;
  /** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
  transactionStatus(): TransactionStatus;
  /** Called by pgwire when a statement fails inside a transaction block (moves it to 'E'). */
  markFailed(): void;
  /** Values for ParameterStatus at startup. */
  initialParameters(): ReadonlyArray<readonly [string, string]>;
  /** Reportable parameters changed since the last call (SET application_name, TimeZone, ...). */
  takeParameterChanges(): ReadonlyArray<readonly [string, string]>;
  /**
   * How values are shown in text format for this session right now (time zone, reg* names). When
   * absent, pgwire tracks the TimeZone parameter itself.
   */
  textFormatContext?(): TextFormatContext;
  /** CancelRequest for this session: the running statement fails with 57014. */
  cancel(): void;
  /** The connection closed: roll back any open transaction, release everything. */
  close(): void;
}

/** The engine as pgwire sees it: a factory of sessions plus authentication. */
export interface Engine {
  openSession(startup: SessionStartup): EngineSession;
  /** Checks a cleartext password when password auth is on. */
  checkPassword?(user: string, password: string): boolean;
}
