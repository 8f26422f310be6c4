/**
 * PostgreSQL's keyword classes that matter to parsing: reserved words (never a bare name), words
 * that may name a type or function but not a table/column, and what may stand as a bare alias.
 */

/** Fully reserved: not usable as a column, table, function or bare alias name. */
export const RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
  'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
  'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select',
  'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user',
  'using', 'variadic', 'when', 'where', 'window', 'with',
]);

/** Reserved except as a function or type name (`left(...)`, `cross` never a table alias). */
export const TYPE_FUNC_NAME = new Set([
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze', 'full',
  'ilike', 'inner', 'is', 'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer', 'overlaps',
  'right', 'similar', 'tablesample', 'verbose',
]);

/** May be a column/table name but not a function name (they have special call syntax). */
export const COL_NAME_KEYWORDS = new Set([
  'between', 'bigint', 'bit', 'boolean', 'char', 'character', 'coalesce', 'dec', 'decimal', 'exists',
  'extract', 'float', 'greatest', 'grouping', 'inout', 'int', 'integer', 'interval', 'least', 'national',
  'nchar', 'none', 'normalize', 'nullif', 'numeric', 'out', 'overlay', 'position', 'precision', 'real',
  'row', 'setof', 'smallint', 'substring', 'time', 'timestamp', 'treat', 'trim', 'values', 'varchar',
]);

/** A word usable as a table/column name (ColId). */
export function isColId(word: string): boolean {
  return !RESERVED.has(word) && !TYPE_FUNC_NAME.has(word);
}

/**
 * Keywords that PostgreSQL 15 does NOT accept as a bare select-list label (pg_get_keywords()
 * barelabel = false); every other word, keyword or not, may follow an expression as its alias.
 */
const AS_LABEL_ONLY = new Set([
  'char', 'character', 'precision', 'array', 'as', 'create', 'except', 'fetch', 'for', 'from', 'grant', 'group',
  'having', 'intersect', 'into', 'limit', 'offset', 'on', 'order', 'returning', 'to', 'union', 'where', 'window',
  'with', 'isnull', 'notnull', 'overlaps', 'day', 'filter', 'hour', 'minute', 'month', 'over', 'second', 'varying',
  'within', 'without', 'year',
]);

/** A word usable as a select-list alias without AS (BareColLabel). */
export function isBareLabel(word: string): boolean {
  return !AS_LABEL_ONLY.has(word);
}
