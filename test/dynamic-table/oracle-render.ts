/**
 * Turns an abstract oracle case (oracle-case.ts) into SQL text. Column picks are resolved against
 * the columns in scope (tables t1..tN, views v1..vM, join aliases a0..a2), falling back to a literal
 * when no column of the asked category is in scope, so any case fast-check shrinks to renders to SQL
 * that PostgreSQL accepts. Knows nothing about servers; the runner decides MATERIALIZED or not.
 */
import type {
  Agg, AnyExpr, DmlStep, Category, From, Having, JoinStep, NumExpr, OracleCase, Pred, RowSpec, SetOpBranch, Source, Step,
  SubquerySpec, TableSpec, TextExpr, ViewQuery,
} from './oracle-case.js';

interface ScopeColumn {
  readonly sql: string;
  readonly cat: Category;
}
type Scope = readonly ScopeColumn[];

export type RenderedStep =
  | { readonly kind: 'createTable'; readonly name: string; readonly sql: string }
  | { readonly kind: 'dml'; readonly sql: string }
  /** BEGIN, the DML, COMMIT or ROLLBACK. */
  | { readonly kind: 'transaction'; readonly statements: readonly string[] }
  | { readonly kind: 'createView'; readonly name: string; readonly query: string }
  | { readonly kind: 'restart' };

export interface RenderedCase {
  readonly steps: readonly RenderedStep[];
  readonly tableNames: readonly string[];
  /** In creation order. */
  readonly viewNames: readonly string[];
}

/** How a view is created: Freshet's continuous query, or PostgreSQL's plain view (the query over current data). */
export type ViewStyle = 'materialized' | 'plain';

export function viewDdl(name: string, query: string, style: ViewStyle): string {
  return `CREATE ${style === 'materialized' ? 'MATERIALIZED VIEW' : 'VIEW'} ${name} AS ${query}`;
}

/** The statements of a step, in order, each sent on its own. */
export function stepStatements(step: RenderedStep, style: ViewStyle): readonly string[] {
  switch (step.kind) {
    case 'createTable':
    case 'dml':
      return [step.sql];
    case 'transaction':
      return step.statements;
    case 'createView':
      return [viewDdl(step.name, step.query, style)];
    case 'restart':
      return [];
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
}

const TEXT_FALLBACK = ['a', 'b', 'c'];

function numLit(value: number | null): string {
  if (value === null) return 'NULL::int';
  return value < 0 ? `(${value})` : String(value);
}

function textLit(value: string | null): string {
  return value === null ? 'NULL::text' : `'${value.replace(/'/g, "''")}'`;
}

function boolLit(value: boolean | null): string {
  return value === null ? 'NULL::boolean' : value ? 'TRUE' : 'FALSE';
}

function pickColumn(scope: Scope, cat: Category, pick: number): string | null {
  const cols = scope.filter((c) => c.cat === cat);
  return cols.length === 0 ? null : cols[pick % cols.length]!.sql;
}

/**
 * What subqueries may read and where they may appear: the case's tables (set by renderCase), and not
 * inside join conditions (Freshet's views keep subqueries in WHERE, select lists and GROUP BY, not in
 * ON); there a subquery renders as a plain expression of the same category.
 */
const subqueryContext = { tables: [] as readonly string[], allowed: true };

function withoutSubqueries<T>(render: () => T): T {
  const was = subqueryContext.allowed;
  subqueryContext.allowed = false;
  try {
    return render();
  } finally {
    subqueryContext.allowed = was;
  }
}

function renderSubqueryFrom(sub: SubquerySpec, scope: Scope): string {
  const tables = subqueryContext.tables;
  const table = tables[sub.table % tables.length]!;
  const outer = sub.corr === null ? null : pickColumn(scope, 'num', sub.corr);
  const conds = [...(outer === null ? [] : [`q.g = ${outer}`]), ...(sub.minV === null ? [] : [`q.v > ${numLit(sub.minV)}`])];
  return `FROM ${table} AS q${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`;
}

function nonZero(k: number): number {
  return k === 0 ? 2 : k;
}

export function renderNum(e: NumExpr, scope: Scope): string {
  switch (e.kind) {
    case 'col': return pickColumn(scope, 'num', e.pick) ?? numLit(e.pick % 5);
    case 'lit': return numLit(e.value);
    case 'arith': return `(${renderNum(e.l, scope)} ${e.op} ${renderNum(e.r, scope)})`;
    case 'scale': return `(${renderNum(e.e, scope)} ${e.op} ${numLit(nonZero(e.k))})`;
    case 'neg': return `(- ${renderNum(e.e, scope)})`;
    case 'case': return `CASE WHEN ${renderPred(e.when, scope)} THEN ${renderNum(e.then, scope)}${e.otherwise === null ? '' : ` ELSE ${renderNum(e.otherwise, scope)}`} END`;
    case 'coalesce': return `COALESCE(${renderNum(e.first, scope)}, ${renderNum(e.second, scope)})`;
    case 'nullif': return `NULLIF(${renderNum(e.e, scope)}, ${numLit(e.k)})`;
    case 'length': return `length(${renderText(e.e, scope)})`;
    case 'scalarSub':
      if (!subqueryContext.allowed || subqueryContext.tables.length === 0) return numLit(e.sub.minV);
      return `(SELECT ${e.agg}(q.v) ${renderSubqueryFrom(e.sub, scope)})`;
    default: {
      const unreachable: never = e;
      throw new Error(`unknown numeric expression ${JSON.stringify(unreachable)}`);
    }
  }
}

export function renderText(e: TextExpr, scope: Scope): string {
  switch (e.kind) {
    case 'col': return pickColumn(scope, 'text', e.pick) ?? textLit(TEXT_FALLBACK[e.pick % TEXT_FALLBACK.length]!);
    case 'lit': return textLit(e.value);
    case 'concat': return `(${renderText(e.l, scope)} || ${renderText(e.r, scope)})`;
    case 'upper': return `upper(${renderText(e.e, scope)})`;
    case 'case': return `CASE WHEN ${renderPred(e.when, scope)} THEN ${renderText(e.then, scope)}${e.otherwise === null ? '' : ` ELSE ${renderText(e.otherwise, scope)}`} END`;
    case 'coalesce': return `COALESCE(${renderText(e.first, scope)}, ${renderText(e.second, scope)})`;
    case 'fromNum': return `CAST(${renderNum(e.e, scope)} AS text)`;
    default: {
      const unreachable: never = e;
      throw new Error(`unknown text expression ${JSON.stringify(unreachable)}`);
    }
  }
}

export function renderPred(p: Pred, scope: Scope): string {
  switch (p.kind) {
    case 'col': return pickColumn(scope, 'bool', p.pick) ?? boolLit([true, false, null][p.pick % 3]!);
    case 'lit': return boolLit(p.value);
    case 'cmpNum': return `(${renderNum(p.l, scope)} ${p.op} ${renderNum(p.r, scope)})`;
    case 'cmpText': return `(${renderText(p.l, scope)} ${p.op} ${renderText(p.r, scope)})`;
    case 'isNull': return `(${renderAny(p.e, scope)} IS ${p.negated ? 'NOT ' : ''}NULL)`;
    case 'distinctFrom': return `(${renderNum(p.l, scope)} IS ${p.negated ? 'NOT ' : ''}DISTINCT FROM ${renderNum(p.r, scope)})`;
    case 'in': {
      const values = p.values.length === 0 ? [1] : p.values;
      return `(${renderNum(p.e, scope)} ${p.negated ? 'NOT ' : ''}IN (${values.map(numLit).join(', ')}))`;
    }
    case 'between': return `(${renderNum(p.e, scope)} BETWEEN ${numLit(p.lo)} AND ${numLit(p.hi)})`;
    case 'like': return `(${renderText(p.e, scope)} LIKE ${textLit(p.pattern)})`;
    case 'truth': return `(${renderPred(p.e, scope)} ${p.test})`;
    case 'and':
    case 'or': return `(${renderPred(p.l, scope)} ${p.kind.toUpperCase()} ${renderPred(p.r, scope)})`;
    case 'not': return `(NOT ${renderPred(p.e, scope)})`;
    case 'inSub':
      if (!subqueryContext.allowed || subqueryContext.tables.length === 0) return `(${renderNum(p.e, scope)} IS ${p.negated ? 'NOT ' : ''}NULL)`;
      return `(${renderNum(p.e, scope)} ${p.negated ? 'NOT ' : ''}IN (SELECT q.${p.col} ${renderSubqueryFrom(p.sub, scope)}))`;
    case 'existsSub':
      if (!subqueryContext.allowed || subqueryContext.tables.length === 0) return boolLit(!p.negated);
      return `(${p.negated ? 'NOT ' : ''}EXISTS (SELECT 1 ${renderSubqueryFrom(p.sub, scope)}))`;
    default: {
      const unreachable: never = p;
      throw new Error(`unknown predicate ${JSON.stringify(unreachable)}`);
    }
  }
}

export function renderAny(e: AnyExpr, scope: Scope): string {
  switch (e.cat) {
    case 'num': return renderNum(e.e, scope);
    case 'text': return renderText(e.e, scope);
    case 'bool': return renderPred(e.e, scope);
    default: {
      const unreachable: never = e;
      throw new Error(`unknown expression ${JSON.stringify(unreachable)}`);
    }
  }
}

export function aggCategory(a: Agg): Category {
  switch (a.kind) {
    case 'countStar':
    case 'count':
    case 'numAgg': return 'num';
    case 'textAgg':
    case 'stringAgg': return 'text';
    case 'boolAgg': return 'bool';
    default: {
      const unreachable: never = a;
      throw new Error(`unknown aggregate ${JSON.stringify(unreachable)}`);
    }
  }
}

function renderAgg(a: Agg, scope: Scope): string {
  switch (a.kind) {
    case 'countStar': return 'count(*)';
    case 'count': return `count(${a.distinct ? 'DISTINCT ' : ''}${renderAny(a.arg, scope)})`;
    case 'numAgg': return `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${renderNum(a.arg, scope)})`;
    case 'textAgg': return `${a.fn}(${renderText(a.arg, scope)})`;
    case 'boolAgg': return `${a.fn}(${renderPred(a.arg, scope)})`;
    case 'stringAgg': {
      // A bare literal would be of type unknown, which DISTINCT ... ORDER BY cannot match: give it a type.
      const arg = groupable(renderText(a.arg, scope), 'text');
      return `string_agg(${a.distinct ? 'DISTINCT ' : ''}${arg}, ',' ORDER BY ${arg})`;
    }
    default: {
      const unreachable: never = a;
      throw new Error(`unknown aggregate ${JSON.stringify(unreachable)}`);
    }
  }
}

/** An aggregate as a number for HAVING: text through length(), booleans as 0/1. */
function renderAggAsNum(a: Agg, scope: Scope): string {
  const sql = renderAgg(a, scope);
  switch (aggCategory(a)) {
    case 'num': return sql;
    case 'text': return `length(${sql})`;
    case 'bool': return `CASE WHEN ${sql} THEN 1 ELSE 0 END`;
    default: throw new Error('unreachable');
  }
}

function renderHaving(h: Having, scope: Scope): string {
  switch (h.kind) {
    case 'cmpNum': return `(${renderAggAsNum(h.agg, scope)} ${h.op} ${numLit(h.k)})`;
    case 'isNotNull': return `(${renderAgg(h.agg, scope)} IS NOT NULL)`;
    case 'and':
    case 'or': return `(${renderHaving(h.l, scope)} ${h.kind.toUpperCase()} ${renderHaving(h.r, scope)})`;
    default: {
      const unreachable: never = h;
      throw new Error(`unknown HAVING ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * PostgreSQL reads a constant in GROUP BY as a position (or refuses it; `(- 2)` is folded to one too),
 * and a bare string literal has type unknown: an expression with no column in it gets a cast.
 */
function groupable(sql: string, cat: Category): string {
  if (/\ba\d+\.\w/.test(sql)) return sql;
  return `CAST(${sql} AS ${cat === 'num' ? 'int' : cat === 'text' ? 'text' : 'boolean'})`;
}

interface ViewInfo {
  readonly name: string;
  readonly cats: readonly Category[];
}

class CaseRenderer {
  private readonly views: ViewInfo[] = [];
  private readonly nextId: number[];
  private readonly insertedIds: number[][];
  private idShifts = 0;

  constructor(private readonly tables: readonly TableSpec[]) {
    this.nextId = tables.map(() => 1);
    this.insertedIds = tables.map(() => []);
  }

  /**
   * Moving keys: the n-th UPDATE of `id` adds 1000 * 2^n, so a moved key never lands on a key that is
   * still to move in the same statement (PostgreSQL checks uniqueness row by row, not at the end).
   */
  private nextIdShift(): number {
    const shift = 1000 * 2 ** (this.idShifts % 20);
    this.idShifts++;
    return shift;
  }

  tableName(pick: number): string {
    return `t${(pick % this.tables.length) + 1}`;
  }

  private tableColumns(pick: number, prefix: string): ScopeColumn[] {
    const spec = this.tables[pick % this.tables.length]!;
    const cols: ScopeColumn[] = [
      { sql: `${prefix}id`, cat: 'num' }, { sql: `${prefix}g`, cat: 'num' },
      { sql: `${prefix}v`, cat: 'num' }, { sql: `${prefix}s`, cat: 'text' },
    ];
    if (spec.hasBool) cols.push({ sql: `${prefix}b`, cat: 'bool' });
    return cols;
  }

  /** The relation name and its columns qualified by `alias`. */
  private source(src: Source, alias: string): { name: string; scope: ScopeColumn[] } {
    if (src.kind === 'view' && this.views.length > 0) {
      const view = this.views[this.views.length - 1 - (src.back % this.views.length)]!;
      return { name: view.name, scope: view.cats.map((cat, i) => ({ sql: `${alias}.c${i}`, cat })) };
    }
    const pick = src.kind === 'table' ? src.pick : src.back;
    return { name: this.tableName(pick), scope: this.tableColumns(pick, `${alias}.`) };
  }

  private joinCondition(join: JoinStep, left: Scope, right: Scope): string {
    const fallback = (l: number, r: number): string =>
      `((${left[l % left.length]!.sql} IS NULL) = (${right[r % right.length]!.sql} IS NULL))`;
    const parts: string[] = [];
    const on = join.on;
    switch (on.kind) {
      case 'equi':
        for (const key of on.keys) {
          const other = key.cat === 'num' ? 'text' : 'num';
          const cat = pickColumn(left, key.cat, 0) !== null && pickColumn(right, key.cat, 0) !== null ? key.cat : other;
          const l = pickColumn(left, cat, key.l);
          const r = pickColumn(right, cat, key.r);
          parts.push(l !== null && r !== null ? `${l} = ${r}` : fallback(key.l, key.r));
        }
        if (parts.length === 0) parts.push(fallback(0, 0));
        break;
      case 'theta': {
        const l = pickColumn(left, 'num', on.l);
        const r = pickColumn(right, 'num', on.r);
        parts.push(l !== null && r !== null ? `${l} ${join.type === 'full' ? '=' : on.op} ${r}` : fallback(on.l, on.r));
        break;
      }
      default: {
        const unreachable: never = on;
        throw new Error(`unknown join condition ${JSON.stringify(unreachable)}`);
      }
    }
    if (on.extra !== null && join.type !== 'full') {
      const extra = on.extra;
      parts.push(withoutSubqueries(() => renderPred(extra, [...left, ...right])));
    }
    return parts.join(' AND ');
  }

  private from(from: From): { sql: string; scope: Scope } {
    const first = this.source(from.first, 'a0');
    let sql = `${first.name} AS a0`;
    let scope: ScopeColumn[] = first.scope;
    from.joins.forEach((join, i) => {
      const alias = `a${i + 1}`;
      const right = this.source(join.source, alias);
      sql += ` ${join.type.toUpperCase()} JOIN ${right.name} AS ${alias} ON ${this.joinCondition(join, scope, right.scope)}`;
      scope = [...scope, ...right.scope];
    });
    return { sql, scope };
  }

  private branch(b: SetOpBranch, cats: readonly Category[]): string {
    const src = this.source(b.source, 'a0');
    const items = cats.map((cat, i) => {
      const e = b.items[i % b.items.length]!;
      const sql = cat === 'num' ? renderNum(e.num, src.scope) : cat === 'text' ? renderText(e.text, src.scope) : renderPred(e.bool, src.scope);
      return `${sql} AS c${i}`;
    });
    return `SELECT ${items.join(', ')} FROM ${src.name} AS a0${b.where === null ? '' : ` WHERE ${renderPred(b.where, src.scope)}`}`;
  }

  private query(q: ViewQuery): { sql: string; cats: Category[] } {
    switch (q.kind) {
      case 'select': {
        const from = this.from(q.from);
        const items = q.items.map((item, i) => `${renderAny(item, from.scope)} AS c${i}`);
        const where = q.where === null ? '' : ` WHERE ${renderPred(q.where, from.scope)}`;
        return { sql: `SELECT ${q.distinct ? 'DISTINCT ' : ''}${items.join(', ')} FROM ${from.sql}${where}`, cats: q.items.map((i) => i.cat) };
      }
      case 'aggregate': {
        const from = this.from(q.from);
        const groups = q.groupBy.map((g) => groupable(renderAny(g, from.scope), g.cat));
        const items = [...groups, ...q.aggs.map((a) => renderAgg(a, from.scope))].map((sql, i) => `${sql} AS c${i}`);
        const where = q.where === null ? '' : ` WHERE ${renderPred(q.where, from.scope)}`;
        const groupBy = groups.length === 0 ? '' : ` GROUP BY ${groups.join(', ')}`;
        const having = q.having === null ? '' : ` HAVING ${renderHaving(q.having, from.scope)}`;
        return {
          sql: `SELECT ${items.join(', ')} FROM ${from.sql}${where}${groupBy}${having}`,
          cats: [...q.groupBy.map((g) => g.cat), ...q.aggs.map(aggCategory)],
        };
      }
      case 'setop':
        return { sql: `${this.branch(q.left, q.cats)} ${q.op} ${this.branch(q.right, q.cats)}`, cats: [...q.cats] };
      default: {
        const unreachable: never = q;
        throw new Error(`unknown view query ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private insertRow(table: number, row: RowSpec): string {
    const ids = this.insertedIds[table]!;
    let id: number;
    if (row.duplicateOf !== null && ids.length > 0) {
      id = ids[row.duplicateOf % ids.length]!;
    } else {
      id = this.nextId[table]!;
      this.nextId[table] = id + 1;
      ids.push(id);
    }
    const values = [String(id), numLit(row.g), numLit(row.v), textLit(row.s)];
    if (this.tables[table]!.hasBool) values.push(boolLit(row.b));
    return `(${values.join(', ')})`;
  }

  step(step: Step): RenderedStep {
    switch (step.kind) {
      case 'insert':
      case 'update':
      case 'delete':
        return { kind: 'dml', sql: this.dml(step) };
      case 'transaction':
        return { kind: 'transaction', statements: ['BEGIN', ...step.body.map((s) => this.dml(s)), step.commit ? 'COMMIT' : 'ROLLBACK'] };
      case 'createView': {
        const { sql, cats } = this.query(step.query);
        const name = `v${this.views.length + 1}`;
        this.views.push({ name, cats });
        return { kind: 'createView', name, query: sql };
      }
      case 'restart':
        return { kind: 'restart' };
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private dml(step: DmlStep): string {
    switch (step.kind) {
      case 'insert': {
        const table = step.table % this.tables.length;
        const columns = this.tables[table]!.hasBool ? 'id, g, v, s, b' : 'id, g, v, s';
        const rows = step.rows.map((r) => this.insertRow(table, r));
        return `INSERT INTO ${this.tableName(table)} (${columns}) VALUES ${rows.join(', ')}`;
      }
      case 'update': {
        const scope = this.tableColumns(step.table, '');
        const hasBool = this.tables[step.table % this.tables.length]!.hasBool;
        const seen = new Set<string>();
        const sets: string[] = [];
        for (const a of step.set) {
          if (seen.has(a.column) || (a.column === 'b' && !hasBool)) continue;
          seen.add(a.column);
          switch (a.column) {
            case 'id': sets.push(`id = id + ${this.nextIdShift()}`); break;
            case 'g':
            case 'v': sets.push(`${a.column} = ${renderNum(a.value.num, scope)}`); break;
            case 's': sets.push(`s = ${renderText(a.value.text, scope)}`); break;
            case 'b': sets.push(`b = ${renderPred(a.value.bool, scope)}`); break;
            default: {
              const unreachable: never = a.column;
              throw new Error(`unknown column ${String(unreachable)}`);
            }
          }
        }
        if (sets.length === 0) sets.push('g = g');
        const where = step.where === null ? '' : ` WHERE ${renderPred(step.where, scope)}`;
        return `UPDATE ${this.tableName(step.table)} SET ${sets.join(', ')}${where}`;
      }
      case 'delete': {
        const where = step.where === null ? '' : ` WHERE ${renderPred(step.where, this.tableColumns(step.table, ''))}`;
        return `DELETE FROM ${this.tableName(step.table)}${where}`;
      }
      default: {
        const unreachable: never = step;
        throw new Error(`unknown DML ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

export function renderCase(c: OracleCase): RenderedCase {
  const renderer = new CaseRenderer(c.tables);
  const tableNames = c.tables.map((_, i) => `t${i + 1}`);
  subqueryContext.tables = tableNames;
  const steps: RenderedStep[] = c.tables.map((t, i) => ({
    kind: 'createTable',
    name: tableNames[i]!,
    sql: `CREATE TABLE ${tableNames[i]} (id int${t.hasPrimaryKey ? ' PRIMARY KEY' : ''}, g int, v int, s text${t.hasBool ? ', b boolean' : ''})`,
  }));
  for (const step of c.steps) steps.push(renderer.step(step));
  const viewNames = steps.flatMap((s) => (s.kind === 'createView' ? [s.name] : []));
  return { steps, tableNames, viewNames };
}

export const RESTART_LINE = '-- here the server was killed (kill -9) and started again on the same data dir';

/** The case as a psql script, `;`-terminated, with views created in `style`. */
export function caseScript(steps: readonly RenderedStep[], style: ViewStyle): string {
  return steps.flatMap((s) => (s.kind === 'restart' ? [RESTART_LINE] : stepStatements(s, style).map((sql) => `${sql};`))).join('\n');
}
