/**
 * The one place SQL errors come from: a SqlError carries a SQLSTATE, a message and, for errors in
 * SQL text, the 1-based character position. pgwire turns it into an ErrorResponse; nothing else
 * should throw bare Errors at a user. An Error that is not a SqlError is an internal bug (XX000).
 */

export const SQLSTATE = {
  successfulCompletion: '00000',
  featureNotSupported: '0A000',
  invalidTransactionState: '25000',
  activeSqlTransaction: '25001',
  inFailedSqlTransaction: '25P02',
  noActiveSqlTransaction: '25P01',
  readOnlySqlTransaction: '25006',
  syntaxError: '42601',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  undefinedObject: '42704',
  undefinedParameter: '42P02',
  duplicateTable: '42P07',
  duplicateObject: '42710',
  duplicateColumn: '42701',
  ambiguousColumn: '42702',
  datatypeMismatch: '42804',
  groupingError: '42803',
  invalidColumnReference: '42P10',
  wrongObjectType: '42809',
  dependentObjectsStillExist: '2BP01',
  cannotCoerce: '42846',
  invalidParameterValue: '22023',
  invalidTextRepresentation: '22P02',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  numericValueOutOfRange: '22003',
  divisionByZero: '22012',
  stringDataRightTruncation: '22001',
  invalidEscapeSequence: '22025',
  invalidRegularExpression: '2201B',
  cardinalityViolation: '21000',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  checkViolation: '23514',
  badCopyFileFormat: '22P04',
  protocolViolation: '08P01',
  invalidAuthorizationSpecification: '28000',
  invalidPassword: '28P01',
  invalidCursorName: '34000',
  invalidSqlStatementName: '26000',
  duplicatePreparedStatement: '42P05',
  duplicateCursor: '42P03',
  queryCanceled: '57014',
  programLimitExceeded: '54000',
  insufficientPrivilege: '42501',
  objectNotInPrerequisiteState: '55000',
  cantChangeRuntimeParam: '55P02',
  invalidTableDefinition: '42P16',
  invalidSchemaName: '3F000',
  serializationFailure: '40001',
  internalError: 'XX000',
} as const;

export type SqlState = (typeof SQLSTATE)[keyof typeof SQLSTATE];

export interface SqlErrorFields {
  /** 1-based character position in the statement text, as ErrorResponse field 'P'. */
  position?: number;
  detail?: string;
  hint?: string;
  severity?: 'ERROR' | 'FATAL';
  /** The object the error is about (ErrorResponse fields s, t, c, n), as PostgreSQL reports them. */
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

export class SqlError extends Error {
  readonly code: string;
  position: number | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly severity: 'ERROR' | 'FATAL';
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;

  constructor(code: string, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.name = 'SqlError';
    this.code = code;
    this.position = fields.position;
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.severity = fields.severity ?? 'ERROR';
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
  }
}

/** Shorthand constructors for the errors raised most often. */
export const err = {
  syntax: (message: string, position?: number) => new SqlError(SQLSTATE.syntaxError, message, { position }),
  notSupported: (message: string, position?: number) => new SqlError(SQLSTATE.featureNotSupported, message, { position }),
  undefinedTable: (name: string, position?: number) =>
    new SqlError(SQLSTATE.undefinedTable, `relation "${name}" does not exist`, { position }),
  undefinedColumn: (name: string, position?: number) =>
    new SqlError(SQLSTATE.undefinedColumn, `column "${name}" does not exist`, { position }),
  divisionByZero: () => new SqlError(SQLSTATE.divisionByZero, 'division by zero'),
  outOfRange: (typeName: string) => new SqlError(SQLSTATE.numericValueOutOfRange, `${typeName} out of range`),
  invalidText: (typeName: string, text: string) =>
    new SqlError(SQLSTATE.invalidTextRepresentation, `invalid input syntax for type ${typeName}: "${text}"`),
  internal: (message: string) => new SqlError(SQLSTATE.internalError, message),
};

/** Any thrown value as a SqlError: SqlErrors pass through, anything else becomes XX000. */
export function toSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  if (e instanceof RangeError && /BigInt/.test(e.message)) return err.outOfRange('bigint');
  const message = e instanceof Error ? e.message : String(e);
  return new SqlError(SQLSTATE.internalError, message);
}
