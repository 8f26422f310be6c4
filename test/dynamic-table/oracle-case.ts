/**
 * The abstract test case of the materialized-view oracle: a schema plus a sequence of steps (DML and
 * CREATE VIEW), with expressions that name columns by category and index, never by name. The
 * renderer (oracle-render.ts) resolves them against whatever is in scope, so every case fast-check
 * builds or shrinks to is still valid SQL. Nothing here knows about SQL text or servers.
 */

/** Column categories: what an expression of that category can be compared or combined with. */
export type Category = 'num' | 'text' | 'bool';

export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** `pick` chooses, modulo their number, among the in-scope columns of the expression's category. */
export type NumExpr =
  | { readonly kind: 'col'; readonly pick: number }
  | { readonly kind: 'lit'; readonly value: number | null }
  | { readonly kind: 'arith'; readonly op: '+' | '-'; readonly l: NumExpr; readonly r: NumExpr }
  /** `e * k`, `e / k`, `e % k` with a non-zero constant k, so no division by zero. */
  | { readonly kind: 'scale'; readonly op: '*' | '/' | '%'; readonly e: NumExpr; readonly k: number }
  | { readonly kind: 'neg'; readonly e: NumExpr }
  | { readonly kind: 'case'; readonly when: Pred; readonly then: NumExpr; readonly otherwise: NumExpr | null }
  | { readonly kind: 'coalesce'; readonly first: NumExpr; readonly second: NumExpr }
  | { readonly kind: 'nullif'; readonly e: NumExpr; readonly k: number }
  | { readonly kind: 'length'; readonly e: TextExpr }
  /** `(SELECT agg(q.v) FROM t<table> q [WHERE q.g = <outer num column>])`. */
  | { readonly kind: 'scalarSub'; readonly agg: 'count' | 'sum' | 'min' | 'max'; readonly sub: SubquerySpec };

/**
 * The FROM/WHERE of a subquery: one of the tables (modulo their number) as `q`, correlated with the
 * enclosing query by `q.g = <outer num column picked by corr>` when corr is not null (and such a
 * column is in scope), and filtered by `q.v > minV` when minV is not null.
 */
export interface SubquerySpec {
  readonly table: number;
  readonly corr: number | null;
  readonly minV: number | null;
}

export type TextExpr =
  | { readonly kind: 'col'; readonly pick: number }
  | { readonly kind: 'lit'; readonly value: string | null }
  | { readonly kind: 'concat'; readonly l: TextExpr; readonly r: TextExpr }
  | { readonly kind: 'upper'; readonly e: TextExpr }
  | { readonly kind: 'case'; readonly when: Pred; readonly then: TextExpr; readonly otherwise: TextExpr | null }
  | { readonly kind: 'coalesce'; readonly first: TextExpr; readonly second: TextExpr }
  | { readonly kind: 'fromNum'; readonly e: NumExpr };

export type Pred =
  | { readonly kind: 'col'; readonly pick: number }
  | { readonly kind: 'lit'; readonly value: boolean | null }
  | { readonly kind: 'cmpNum'; readonly op: CmpOp; readonly l: NumExpr; readonly r: NumExpr }
  | { readonly kind: 'cmpText'; readonly op: CmpOp; readonly l: TextExpr; readonly r: TextExpr }
  | { readonly kind: 'isNull'; readonly negated: boolean; readonly e: AnyExpr }
  | { readonly kind: 'distinctFrom'; readonly negated: boolean; readonly l: NumExpr; readonly r: NumExpr }
  | { readonly kind: 'in'; readonly negated: boolean; readonly e: NumExpr; readonly values: readonly (number | null)[] }
  | { readonly kind: 'between'; readonly e: NumExpr; readonly lo: number; readonly hi: number }
  | { readonly kind: 'like'; readonly e: TextExpr; readonly pattern: string }
  | { readonly kind: 'truth'; readonly test: 'IS TRUE' | 'IS NOT FALSE' | 'IS UNKNOWN'; readonly e: Pred }
  | { readonly kind: 'and' | 'or'; readonly l: Pred; readonly r: Pred }
  | { readonly kind: 'not'; readonly e: Pred }
  /** `e [NOT] IN (SELECT q.<col> FROM ...)`. */
  | { readonly kind: 'inSub'; readonly negated: boolean; readonly e: NumExpr; readonly col: 'g' | 'v'; readonly sub: SubquerySpec }
  | { readonly kind: 'existsSub'; readonly negated: boolean; readonly sub: SubquerySpec };

export type AnyExpr =
  | { readonly cat: 'num'; readonly e: NumExpr }
  | { readonly cat: 'text'; readonly e: TextExpr }
  | { readonly cat: 'bool'; readonly e: Pred };

/** One expression per category, so a set-operation branch can serve whatever category is asked. */
export interface ExprPerCategory {
  readonly num: NumExpr;
  readonly text: TextExpr;
  readonly bool: Pred;
}

export type Agg =
  | { readonly kind: 'countStar' }
  | { readonly kind: 'count'; readonly distinct: boolean; readonly arg: AnyExpr }
  | { readonly kind: 'numAgg'; readonly fn: 'sum' | 'avg' | 'min' | 'max'; readonly distinct: boolean; readonly arg: NumExpr }
  | { readonly kind: 'textAgg'; readonly fn: 'min' | 'max'; readonly arg: TextExpr }
  | { readonly kind: 'boolAgg'; readonly fn: 'bool_and' | 'bool_or'; readonly arg: Pred }
  /** string_agg(x, ',' ORDER BY x): ordered by the aggregated value itself, so the result is deterministic. */
  | { readonly kind: 'stringAgg'; readonly distinct: boolean; readonly arg: TextExpr };

/** A HAVING condition: comparisons of aggregates with constants. */
export type Having =
  | { readonly kind: 'cmpNum'; readonly agg: Agg; readonly op: CmpOp; readonly k: number }
  | { readonly kind: 'isNotNull'; readonly agg: Agg }
  | { readonly kind: 'and' | 'or'; readonly l: Having; readonly r: Having };

/** A table of the schema (`pick` modulo the table count) or an earlier view (`back` views before the newest). */
export type Source =
  | { readonly kind: 'table'; readonly pick: number }
  | { readonly kind: 'view'; readonly back: number };

export type JoinType = 'inner' | 'left' | 'right' | 'full';

/**
 * How a join matches: equality of columns of one category (left from what is joined so far, right
 * from the new source), or a comparison of two numeric columns (rendered as `=` for FULL JOIN, which
 * PostgreSQL allows only with hashable or mergeable conditions), either with an extra predicate.
 */
export type JoinCondition =
  | { readonly kind: 'equi'; readonly keys: readonly { readonly cat: 'num' | 'text'; readonly l: number; readonly r: number }[]; readonly extra: Pred | null }
  | { readonly kind: 'theta'; readonly op: CmpOp; readonly l: number; readonly r: number; readonly extra: Pred | null };

export interface JoinStep {
  readonly type: JoinType;
  readonly source: Source;
  readonly on: JoinCondition;
}

export interface From {
  readonly first: Source;
  readonly joins: readonly JoinStep[];
}

export type SetOp = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'INTERSECT ALL' | 'EXCEPT' | 'EXCEPT ALL';

export interface SetOpBranch {
  readonly source: Source;
  readonly where: Pred | null;
  readonly items: readonly ExprPerCategory[];
}

export type ViewQuery =
  | { readonly kind: 'select'; readonly distinct: boolean; readonly from: From; readonly where: Pred | null; readonly items: readonly AnyExpr[] }
  | {
    readonly kind: 'aggregate'; readonly from: From; readonly where: Pred | null;
    readonly groupBy: readonly AnyExpr[]; readonly aggs: readonly Agg[]; readonly having: Having | null;
  }
  | { readonly kind: 'setop'; readonly op: SetOp; readonly cats: readonly Category[]; readonly left: SetOpBranch; readonly right: SetOpBranch };

export interface TableSpec {
  readonly hasPrimaryKey: boolean;
  /** Whether the table has the nullable boolean column `b`. */
  readonly hasBool: boolean;
}

/** An inserted row; `duplicateOf` reuses an id inserted before (modulo their number) instead of a fresh one. */
export interface RowSpec {
  readonly duplicateOf: number | null;
  readonly g: number | null;
  readonly v: number | null;
  readonly s: string | null;
  readonly b: boolean | null;
}

export type UpdatedColumn = 'id' | 'g' | 'v' | 's' | 'b';

export interface Assignment {
  readonly column: UpdatedColumn;
  readonly value: ExprPerCategory;
}

export type DmlStep =
  | { readonly kind: 'insert'; readonly table: number; readonly rows: readonly RowSpec[] }
  | { readonly kind: 'update'; readonly table: number; readonly set: readonly Assignment[]; readonly where: Pred | null }
  | { readonly kind: 'delete'; readonly table: number; readonly where: Pred | null };

export type Step =
  | DmlStep
  /** BEGIN, the statements, then COMMIT or ROLLBACK: views are compared only after the end. */
  | { readonly kind: 'transaction'; readonly body: readonly DmlStep[]; readonly commit: boolean }
  | { readonly kind: 'createView'; readonly query: ViewQuery }
  /** Kill -9 the server under test and start it again on its data dir (PostgreSQL sides: nothing). */
  | { readonly kind: 'restart' };

export interface OracleCase {
  readonly tables: readonly TableSpec[];
  readonly steps: readonly Step[];
}
