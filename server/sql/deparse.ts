/**
 * Prints an AST expression back as SQL text that parses to the same expression: used for stored
 * column defaults (pg_attrdef, information_schema.column_default) and plan output. Identifiers are
 * quoted only where needed; output is fully parenthesised where precedence could matter.
 */
import type { Expr, OrderItem, TypeName } from './ast.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { COL_NAME_KEYWORDS, RESERVED, TYPE_FUNC_NAME } from './parser/keywords.js';

function subqueryNotPrintable(): never {
  throw new SqlError(SQLSTATE.featureNotSupported, 'cannot print a subquery expression here');
}

/**
 * PostgreSQL's quote_ident rule: bare only when lower-case letters, digits and underscores (not
 * starting with a digit) and not a keyword of any category but unreserved. The one implementation
 * for quote_ident(), deparsing and catalog text.
 */
export function quoteIdent(name: string): string {
  const plain = /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) && !TYPE_FUNC_NAME.has(name) && !COL_NAME_KEYWORDS.has(name);
  return plain ? name : `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const TYPE_SQL: Readonly<Record<string, string>> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision',
  bool: 'boolean', varchar: 'character varying', bpchar: 'character', timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone', time: 'time without time zone',
};

/** Datetime types take their precision between the name and the zone words: `timestamp(3) with time zone`. */
const ZONED: Readonly<Record<string, [string, string]>> = {
  timestamp: ['timestamp', ' without time zone'], timestamptz: ['timestamp', ' with time zone'],
  time: ['time', ' without time zone'], timetz: ['time', ' with time zone'],
};

export function typeNameSql(t: TypeName): string {
  const mods = t.modifiers.length ? `(${t.modifiers.join(',')})` : '';
  const zoned = t.schema === undefined ? ZONED[t.name] : undefined;
  // "char" (the one-byte type) must stay quoted: bare char means bpchar
  const base = t.schema !== undefined ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` : t.name === 'char' ? '"char"' : TYPE_SQL[t.name] ?? t.name;
  const written = zoned ? `${zoned[0]}${mods}${zoned[1]}` : `${base}${mods}`;
  return `${written}${'[]'.repeat(t.arrayBounds)}`;
}

/** SQL's niladic functions are written without parentheses. */
const NILADIC = new Set([
  'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'current_user', 'session_user',
  'user', 'current_role', 'current_catalog',
]);

function orderSql(items: readonly OrderItem[]): string {
  return items.map((o) => `${exprSql(o.expr)}${o.direction === 'desc' ? ' DESC' : ''}${o.nulls ? ` NULLS ${o.nulls.toUpperCase()}` : ''}`).join(', ');
}

export function exprSql(e: Expr): string {
  switch (e.kind) {
    case 'columnRef':
      return [e.schema, e.table, e.column].filter((p): p is string => p !== undefined).map(quoteIdent).join('.');
    case 'star':
      return e.table ? `${quoteIdent(e.table)}.*` : '*';
    case 'literal':
      switch (e.value.type) {
        case 'null': return 'NULL';
        case 'bool': return e.value.value ? 'true' : 'false';
        case 'number': return e.value.text;
        case 'string': return quoteLiteral(e.value.value);
        default: { const never: never = e.value; return String(never); }
      }
    case 'param':
      return `$${e.index}`;
    case 'unary':
      // a space after the operator: `- -5` must not become the comment `--5`
      return e.op === 'not' ? `(NOT ${exprSql(e.operand)})` : `(${e.op} ${exprSql(e.operand)})`;
    case 'binary':
      return `(${exprSql(e.left)} ${e.op === 'and' || e.op === 'or' ? e.op.toUpperCase() : e.op} ${exprSql(e.right)})`;
    case 'func': {
      if (!e.schema && e.args.length === 0 && !e.star && NILADIC.has(e.name)) return e.name.toUpperCase();
      // function names may be type/function or column-name keywords (left, coalesce): quote only if needed
      const fname = /^[a-z_][a-z0-9_$]*$/.test(e.name) && !RESERVED.has(e.name) ? e.name : quoteIdent(e.name);
      const name = e.schema ? `${quoteIdent(e.schema)}.${fname}` : fname;
      const args = e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${e.args.map(exprSql).join(', ')}${e.orderBy?.length ? ` ORDER BY ${orderSql(e.orderBy)}` : ''}`;
      const filter = e.filter ? ` FILTER (WHERE ${exprSql(e.filter)})` : '';
      const over = e.over
        ? ` OVER (${[e.over.partitionBy.length ? `PARTITION BY ${e.over.partitionBy.map(exprSql).join(', ')}` : '', e.over.orderBy.length ? `ORDER BY ${orderSql(e.over.orderBy)}` : ''].filter(Boolean).join(' ')})`
        : '';
      return `${name}(${args})${filter}${over}`;
    }
    case 'cast':
      return `(${exprSql(e.expr)})::${typeNameSql(e.type)}`;
    case 'typedLiteral':
      return `${typeNameSql(e.type)} ${quoteLiteral(e.value)}${e.intervalUnit ? ` ${e.intervalUnit.toUpperCase()}` : ''}`;
    case 'case':
      return `CASE${e.operand ? ` ${exprSql(e.operand)}` : ''}${e.whens.map((w) => ` WHEN ${exprSql(w.when)} THEN ${exprSql(w.then)}`).join('')}${e.else ? ` ELSE ${exprSql(e.else)}` : ''} END`;
    case 'between':
      return `(${exprSql(e.expr)}${e.negated ? ' NOT' : ''} BETWEEN${e.symmetric ? ' SYMMETRIC' : ''} ${exprSql(e.low)} AND ${exprSql(e.high)})`;
    case 'inList':
      return `(${exprSql(e.expr)}${e.negated ? ' NOT' : ''} IN (${e.list.map(exprSql).join(', ')}))`;
    case 'inSubquery':
    case 'exists':
    case 'subquery':
      throw new SqlError(SQLSTATE.featureNotSupported, 'cannot print a subquery expression here');
    case 'is':
      if (e.test === 'distinctFrom') return `(${exprSql(e.expr)} IS${e.negated ? ' NOT' : ''} DISTINCT FROM ${exprSql(e.other!)})`;
      return `(${exprSql(e.expr)} IS${e.negated ? ' NOT' : ''} ${e.test.toUpperCase()})`;
    case 'like': {
      const op = e.similar ? 'SIMILAR TO' : e.caseInsensitive ? 'ILIKE' : 'LIKE';
      return `(${exprSql(e.expr)}${e.negated ? ' NOT' : ''} ${op} ${exprSql(e.pattern)}${e.escape ? ` ESCAPE ${exprSql(e.escape)}` : ''})`;
    }
    case 'array':
      return `ARRAY[${e.elements.map(exprSql).join(', ')}]`;
    case 'subscript':
      return `(${exprSql(e.expr)})[${exprSql(e.index)}]`;
    case 'row':
      return `ROW(${e.fields.map(exprSql).join(', ')})`;
    case 'anyAll':
      return `(${exprSql(e.left)} ${e.op} ${e.quantifier.toUpperCase()} (${e.right.kind === 'expr' ? exprSql(e.right.expr) : subqueryNotPrintable()}))`;
    case 'collate':
      return `(${exprSql(e.expr)} COLLATE ${quoteIdent(e.collation)})`;
    case 'fieldSelect':
      return `(${exprSql(e.expr)}).${quoteIdent(e.field)}`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
