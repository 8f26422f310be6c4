/**
 * Freshet's own typed SQL AST: what the parsers (node-sql-parser for standard SQL, the chevrotain
 * grammar for Freshet's statements) produce and what the binder consumes. Nothing outside `sql/`
 * sees a parser's raw output. Every node has a `kind`; `pos` is the 1-based character offset of the
 * node in the statement text when known (for error positions).
 * Names are already case-folded as PostgreSQL does (unquoted -> lower case; quoted kept).
 */

// ---------------------------------------------------------------- names and types

/** A possibly qualified object name: `[schema.]name`. */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
  readonly pos?: number;
}

/** A type as written: `varchar(20)`, `numeric(10,2)`, `int[]`, `timestamp with time zone`. */
export interface TypeName {
  /** Canonical PostgreSQL name, lower case: 'integer' -> 'int4', 'character varying' -> 'varchar'... */
  readonly name: string;
  readonly schema?: string;
  /** Modifiers as written: varchar(20) -> [20]; numeric(10,2) -> [10,2]. */
  readonly modifiers: readonly number[];
  readonly arrayBounds: number; // 0 when not an array
  readonly pos?: number;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | ColumnRefExpr
  | StarExpr
  | LiteralExpr
  | ParamExpr
  | UnaryExpr
  | BinaryExpr
  | FuncCallExpr
  | CastExpr
  | CaseExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | ExistsExpr
  | SubqueryExpr
  | IsExpr
  | LikeExpr
  | ArrayExpr
  | SubscriptExpr
  | RowExpr
  | AnyAllExpr
  | CollateExpr
  | TypedLiteralExpr
  | FieldSelectExpr;

/** `a`, `t.a`, `s.t.a`. */
export interface ColumnRefExpr {
  readonly kind: 'columnRef';
  readonly table?: string;
  readonly schema?: string;
  readonly column: string;
  readonly pos?: number;
}

/** `*` or `t.*` in a select list or `count(*)`. */
export interface StarExpr {
  readonly kind: 'star';
  readonly table?: string;
  readonly pos?: number;
}

/** Literals keep their source form; the binder types them (`'x'` is unknown, `1` int4, `1.5` numeric). */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value:
    | { readonly type: 'null' }
    | { readonly type: 'bool'; readonly value: boolean }
    | { readonly type: 'number'; readonly text: string } // digits as written, e.g. "42", "1.5", "1e3"
    | { readonly type: 'string'; readonly value: string };
  readonly pos?: number;
}

/** `$1` (1-based index). */
export interface ParamExpr {
  readonly kind: 'param';
  readonly index: number;
  readonly pos?: number;
}

/** `-x`, `+x`, `NOT x`, `~x`. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | '+' | 'not' | '~';
  readonly operand: Expr;
  readonly pos?: number;
}

/**
 * Binary operators by their SQL spelling, lower case: + - * / % ^ || = <> < <= > >= and or
 * ~ ~* !~ !~* (regex) & | # << >> (bitwise). `OPERATOR(pg_catalog.~)` arrives as op '~'.
 */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: string;
  readonly left: Expr;
  readonly right: Expr;
  readonly pos?: number;
}

export interface FuncCallExpr {
  readonly kind: 'func';
  /** Lower-case function name; `pg_catalog.format_type` -> schema 'pg_catalog', name 'format_type'. */
  readonly name: string;
  readonly schema?: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `count(*)`: args is empty and star is true. */
  readonly star: boolean;
  readonly orderBy?: readonly OrderItem[]; // string_agg(x, ',' ORDER BY y)
  readonly filter?: Expr;
  readonly over?: WindowSpec;
  readonly pos?: number;
}

export interface WindowSpec {
  /** `OVER w` / `OVER (w ORDER BY ...)`: the named window this spec refers to (added by the parser). */
  readonly refName?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: {
    readonly units: 'rows' | 'range' | 'groups';
    readonly start: FrameBound;
    readonly end: FrameBound;
  };
}

export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: Expr }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: Expr }
  | { readonly kind: 'unboundedFollowing' };

/** `CAST(x AS t)` and `x::t`. */
export interface CastExpr {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: TypeName;
  readonly pos?: number;
}

/** `DATE '2020-01-01'`, `INTERVAL '1' DAY`, `TIMESTAMP '...'`: a string given a type up front. */
export interface TypedLiteralExpr {
  readonly kind: 'typedLiteral';
  readonly type: TypeName;
  readonly value: string;
  /** For `INTERVAL '10' SECOND`: the unit qualifier, lower case. */
  readonly intervalUnit?: string;
  readonly pos?: number;
}

/** Simple (`CASE x WHEN ...`, operand set) and searched (`CASE WHEN ...`) forms. */
export interface CaseExpr {
  readonly kind: 'case';
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
  readonly pos?: number;
}

export interface BetweenExpr {
  readonly kind: 'between';
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  readonly symmetric: boolean;
  readonly pos?: number;
}

export interface InListExpr {
  readonly kind: 'inList';
  readonly expr: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly pos?: number;
}

export interface InSubqueryExpr {
  readonly kind: 'inSubquery';
  readonly expr: Expr;
  readonly query: Query;
  readonly negated: boolean;
  readonly pos?: number;
}

export interface ExistsExpr {
  readonly kind: 'exists';
  readonly query: Query;
  readonly negated: boolean;
  readonly pos?: number;
}

/** A scalar subquery `(SELECT ...)`, or `ARRAY(SELECT ...)` when `array` is set. */
export interface SubqueryExpr {
  readonly kind: 'subquery';
  readonly query: Query;
  readonly array: boolean;
  readonly pos?: number;
}

/** `x IS [NOT] NULL|TRUE|FALSE|UNKNOWN`, `x IS [NOT] DISTINCT FROM y`. */
export interface IsExpr {
  readonly kind: 'is';
  readonly expr: Expr;
  readonly test: 'null' | 'true' | 'false' | 'unknown' | 'distinctFrom';
  readonly other?: Expr; // for distinctFrom
  readonly negated: boolean;
  readonly pos?: number;
}

export interface LikeExpr {
  readonly kind: 'like';
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
  readonly caseInsensitive: boolean; // ILIKE
  readonly similar: boolean; // SIMILAR TO
  readonly negated: boolean;
  readonly pos?: number;
}

/** `ARRAY[a, b]`. */
export interface ArrayExpr {
  readonly kind: 'array';
  readonly elements: readonly Expr[];
  readonly pos?: number;
}

/** `a[i]` (1-based, PostgreSQL arrays). */
export interface SubscriptExpr {
  readonly kind: 'subscript';
  readonly expr: Expr;
  readonly index: Expr;
  readonly pos?: number;
}

/** `ROW(a, b)` or `(a, b)`. */
export interface RowExpr {
  readonly kind: 'row';
  readonly fields: readonly Expr[];
  readonly pos?: number;
}

/** `x = ANY(array or subquery)`, `x <> ALL(...)`. */
export interface AnyAllExpr {
  readonly kind: 'anyAll';
  readonly quantifier: 'any' | 'all';
  readonly op: string;
  readonly left: Expr;
  readonly right: { readonly kind: 'expr'; readonly expr: Expr } | { readonly kind: 'query'; readonly query: Query };
  readonly pos?: number;
}

/** `x COLLATE "C"`: Freshet compares by code point and accepts the clause. */
export interface CollateExpr {
  readonly kind: 'collate';
  readonly expr: Expr;
  readonly collation: string;
  readonly pos?: number;
}

/** `(composite).field`, e.g. pgJDBC's `(information_schema._pg_expandarray(a)).n` (added by the parser). */
export interface FieldSelectExpr {
  readonly kind: 'fieldSelect';
  readonly expr: Expr;
  readonly field: string;
  readonly pos?: number;
}

// ---------------------------------------------------------------- queries

export interface OrderItem {
  readonly expr: Expr;
  readonly direction: 'asc' | 'desc';
  /** Absent means PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC. */
  readonly nulls?: 'first' | 'last';
}

export interface SelectItem {
  readonly expr: Expr; // may be a StarExpr
  readonly alias?: string;
}

export type FromItem = TableRef | JoinRef | SubqueryRef | ValuesRef | FunctionRef;

export interface TableRef {
  readonly kind: 'table';
  readonly name: QualifiedName;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  readonly pos?: number;
}

export interface JoinRef {
  readonly kind: 'join';
  readonly joinType: 'inner' | 'left' | 'right' | 'full' | 'cross';
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on?: Expr;
  readonly using?: readonly string[];
  readonly natural: boolean;
  readonly lateral?: boolean;
}

export interface SubqueryRef {
  readonly kind: 'subquery';
  readonly query: Query;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  readonly lateral?: boolean;
}

export interface ValuesRef {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

/** A table function in FROM: `generate_series(1, 10) AS g(x)`, later `TUMBLE(...)`. */
export interface FunctionRef {
  readonly kind: 'function';
  readonly call: FuncCallExpr;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

export interface CommonTableExpr {
  readonly name: string;
  readonly columnNames?: readonly string[];
  readonly query: Query;
}

/** A query expression: SELECT, VALUES, or a set operation, with optional WITH / ORDER BY / LIMIT. */
export interface Query {
  readonly kind: 'query';
  readonly with?: { readonly recursive: boolean; readonly ctes: readonly CommonTableExpr[] };
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Expr; // absent or LIMIT ALL: no limit
  readonly offset?: Expr;
}

export type QueryBody = SelectBody | ValuesBody | SetOpBody | NestedQueryBody;

export interface SelectBody {
  readonly kind: 'select';
  readonly distinct: false | 'all' | { readonly on: readonly Expr[] }; // 'all' = plain DISTINCT
  readonly items: readonly SelectItem[];
  readonly from: readonly FromItem[]; // comma-separated items = cross join
  readonly where?: Expr;
  readonly groupBy: readonly GroupingElement[];
  readonly having?: Expr;
  readonly windows?: readonly { readonly name: string; readonly spec: WindowSpec }[];
}

export type GroupingElement =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'rollup'; readonly sets: readonly (readonly Expr[])[] }
  | { readonly kind: 'cube'; readonly sets: readonly (readonly Expr[])[] }
  | { readonly kind: 'groupingSets'; readonly sets: readonly (readonly Expr[])[] };

export interface ValuesBody {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
}

export interface SetOpBody {
  readonly kind: 'setOp';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
}

/** A parenthesised query with its own ORDER BY/LIMIT used as a set-operation operand. */
export interface NestedQueryBody {
  readonly kind: 'nested';
  readonly query: Query;
}

// ---------------------------------------------------------------- statements

export type Statement =
  | QueryStatement
  | CreateTableStatement
  | CreateStreamStatement
  | CreateTableAsStatement
  | CreateViewStatement
  | DropStatement
  | AlterRenameStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | CopyFromStatement
  | SetStatement
  | ResetStatement
  | ShowStatement
  | TransactionStatement
  | SetSessionCharacteristicsStatement
  | ExplainStatement
  | DiscardStatement
  | CheckpointStatement
  | SubscribeStatement
  | DeclareCursorStatement
  | FetchStatement
  | CloseCursorStatement
  | CopyToStatement
  | EmptyStatement;

/**
 * `SUBSCRIBE [TO] name | (query) [WITH (snapshot = bool, progress = bool)]`: a push query sending
 * the current rows as inserts (unless snapshot = false), then every change, each epoch closed by a
 * progress row (unless progress = false). `committed = true`: an epoch's rows are sent only once a
 * checkpoint covering that epoch has completed.
 */
export interface SubscribeStatement {
  readonly kind: 'subscribe';
  readonly target: { readonly kind: 'relation'; readonly name: QualifiedName } | { readonly kind: 'query'; readonly query: Query };
  readonly snapshot: boolean;
  readonly progress: boolean;
  /** Only output of epochs a completed checkpoint covers (held back until one does). */
  readonly committed: boolean;
}

/** `DECLARE name [NO SCROLL] CURSOR [WITH|WITHOUT HOLD] FOR query | SUBSCRIBE ...`. */
export interface DeclareCursorStatement {
  readonly kind: 'declareCursor';
  readonly name: string;
  readonly hold: boolean;
  readonly statement: QueryStatement | SubscribeStatement;
}

/** `FETCH [NEXT | FORWARD [n | ALL] | n | ALL] [FROM | IN] cursor [WITH (timeout = '1s')]`. */
export interface FetchStatement {
  readonly kind: 'fetch';
  readonly cursor: string;
  readonly count: number | 'all';
  /** How long to wait for a first row of a SUBSCRIBE cursor; absent: wait until one arrives. */
  readonly timeoutMs?: number;
}

/** `CLOSE name | ALL`. */
export interface CloseCursorStatement {
  readonly kind: 'closeCursor';
  readonly name: string | 'all';
}

/** `COPY (query | SUBSCRIBE ...) TO STDOUT [WITH (FORMAT text|csv, HEADER, DELIMITER, NULL)]`. */
export interface CopyToStatement {
  readonly kind: 'copyTo';
  readonly source: QueryStatement | SubscribeStatement;
  readonly format: 'text' | 'csv';
  readonly header: boolean;
  readonly delimiter?: string;
  readonly null?: string;
}

/** Every statement also carries its own source text and its offset in the query string. */
export interface StatementSource {
  /** The statement's text (without the terminating semicolon). */
  readonly text: string;
  /** 0-based offset of `text` in the whole query string sent by the client. */
  readonly offset: number;
}

export interface QueryStatement {
  readonly kind: 'query';
  readonly query: Query;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: TypeName;
  readonly notNull: boolean;
  readonly primaryKey: boolean; // column-level PRIMARY KEY
  readonly unique: boolean;
  readonly default?: Expr;
  readonly pos?: number;
}

export type TableConstraint =
  | { readonly kind: 'primaryKey'; readonly columns: readonly string[]; readonly name?: string }
  | { readonly kind: 'unique'; readonly columns: readonly string[]; readonly name?: string };

/** `WITH (k = v, ...)` options: keys lower-cased, values as written (strings unquoted). */
export type WithOptions = readonly { readonly key: string; readonly value: string | number | boolean }[];

export interface CreateTableStatement {
  readonly kind: 'createTable';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  readonly constraints: readonly TableConstraint[];
  readonly with: WithOptions;
}

export interface CreateStreamStatement {
  readonly kind: 'createStream';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  readonly with: WithOptions;
  /** `WATERMARK FOR col AS expr` among the columns. */
  readonly watermark?: WatermarkDef;
  /** `CREATE STREAM s AS <query>` (continuous; issue 4). */
  readonly asQuery?: Query;
  /** `... EMIT ON WINDOW CLOSE` after the query. */
  readonly emitOnWindowClose?: boolean;
  /**
   * `CREATE SOURCE name WITH (connector = ...)`: a stream whose rows a connector generates (columns
   * from the connector); `CREATE SINK name AS query WITH (connector = ...)`: a continuous query whose
   * output goes to a connector instead of being kept.
   */
  readonly connectorRole?: 'source' | 'sink';
}

/** `WATERMARK FOR column AS expression`: the stream's event time and how far it may lag. */
export interface WatermarkDef {
  readonly column: string;
  readonly expr: Expr;
  readonly pos?: number;
}

/** `CREATE TABLE t AS <query>`: a snapshot, as in PostgreSQL. */
export interface CreateTableAsStatement {
  readonly kind: 'createTableAs';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columnNames?: readonly string[];
  readonly query: Query;
}

/** `CREATE [MATERIALIZED] VIEW v AS <query>`. */
export interface CreateViewStatement {
  readonly kind: 'createView';
  readonly name: QualifiedName;
  readonly materialized: boolean;
  readonly ifNotExists: boolean;
  readonly orReplace: boolean;
  readonly columnNames?: readonly string[];
  readonly query: Query;
  /** `... EMIT ON WINDOW CLOSE` after the query (materialized views). */
  readonly emitOnWindowClose?: boolean;
}

export interface DropStatement {
  readonly kind: 'drop';
  readonly objectType: 'table' | 'stream' | 'view' | 'materializedView' | 'source' | 'sink';
  readonly names: readonly QualifiedName[];
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/** `ALTER TABLE|STREAM x RENAME TO y` and `ALTER TABLE x RENAME [COLUMN] a TO b`. */
export interface AlterRenameStatement {
  readonly kind: 'alterRename';
  readonly objectType: 'table' | 'stream' | 'view' | 'materializedView';
  readonly name: QualifiedName;
  readonly ifExists: boolean;
  readonly column?: string; // renaming a column when set
  readonly newName: string;
}

export interface OnConflict {
  readonly target: readonly string[]; // conflict columns, may be empty for DO NOTHING
  readonly action:
    | { readonly kind: 'nothing' }
    | { readonly kind: 'update'; readonly set: readonly Assignment[]; readonly where?: Expr };
}

export interface Assignment {
  readonly column: string;
  readonly value: Expr; // may reference EXCLUDED.col in ON CONFLICT
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly table: QualifiedName;
  readonly alias?: string;
  readonly columns?: readonly string[];
  /** VALUES rows or a query; `DEFAULT VALUES` is a query of one empty VALUES row with columns []. */
  readonly source: Query | { readonly kind: 'defaultValues' };
  readonly onConflict?: OnConflict;
  readonly returning?: readonly SelectItem[];
}

export interface UpdateStatement {
  readonly kind: 'update';
  readonly table: QualifiedName;
  readonly alias?: string;
  readonly set: readonly Assignment[];
  readonly from: readonly FromItem[];
  readonly where?: Expr;
  readonly returning?: readonly SelectItem[];
}

export interface DeleteStatement {
  readonly kind: 'delete';
  readonly table: QualifiedName;
  readonly alias?: string;
  readonly where?: Expr;
  readonly returning?: readonly SelectItem[];
}

/** `COPY t [(cols)] FROM STDIN [WITH (FORMAT csv, HEADER, DELIMITER ',', NULL '')]`. */
export interface CopyFromStatement {
  readonly kind: 'copyFrom';
  readonly table: QualifiedName;
  readonly columns?: readonly string[];
  readonly format: 'text' | 'csv';
  readonly delimiter?: string;
  readonly null?: string;
  readonly header: boolean;
  readonly quote?: string;
  readonly escape?: string;
  /** PostgreSQL 17's `ON_ERROR ignore`: a row with a value its column cannot take is skipped and counted. */
  readonly onError?: 'stop' | 'ignore';
}

/** `SET [SESSION|LOCAL] name = value | TO value | TO DEFAULT`, `SET TIME ZONE x`. */
export interface SetStatement {
  readonly kind: 'set';
  readonly name: string; // lower case; 'timezone' for SET TIME ZONE
  readonly value: readonly string[] | 'default'; // list values as text: SET search_path = a, b
  readonly local: boolean;
}

export interface ResetStatement {
  readonly kind: 'reset';
  readonly name: string | 'all';
}

/** `SHOW name`, `SHOW ALL`, `SHOW TRANSACTION ISOLATION LEVEL` (name 'transaction_isolation'). */
export interface ShowStatement {
  readonly kind: 'show';
  readonly name: string | 'all';
}

export interface TransactionStatement {
  readonly kind: 'transaction';
  readonly action: 'begin' | 'commit' | 'rollback';
  /** BEGIN ISOLATION LEVEL ..., READ ONLY ...: accepted and recorded. */
  readonly modes?: readonly string[];
}

/** `SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ... | READ ONLY | READ WRITE`. */
export interface SetSessionCharacteristicsStatement {
  readonly kind: 'setSessionCharacteristics';
  readonly modes: readonly string[];
}

export interface ExplainStatement {
  readonly kind: 'explain';
  readonly statement: Statement;
  readonly options: readonly string[]; // e.g. ['format graph'], ['verbose']
}

/** `DISCARD ALL` and friends (connection poolers send it). */
export interface DiscardStatement {
  readonly kind: 'discard';
  readonly what: string;
}

/** `CHECKPOINT`: take a checkpoint of every running query's state now (PostgreSQL's flushes its WAL). */
export interface CheckpointStatement {
  readonly kind: 'checkpoint';
}

/** An empty query string or one holding only comments. */
export interface EmptyStatement {
  readonly kind: 'empty';
}

/** A parsed statement with where it came from. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly source: StatementSource;
}
