/**
 * Runs one rendered oracle case on two engines step by step: every statement must succeed on both or
 * fail on both with the same SQLSTATE (and DML must touch as many rows), and after every step every
 * view must hold the same multiset of text rows. The first disagreement becomes a report that
 * carries the case so far as a psql script.
 */
import { fetchStatement, streamName, type Replayed } from './oracle-derived.js';
import type { CreatedKind, OracleEngine, Outcome } from './oracle-engines.js';
import { RESTART_LINE, stepStatements, type RenderedCase, type RenderedStep } from './oracle-render.js';

/** Counts kept across cases, to see what the generated cases exercised. */
export class OracleStats {
  cases = 0;
  statements = 0;
  viewsCreated = 0;
  viewComparisons = 0;
  nonEmptyViewComparisons = 0;
  streamComparisons = 0;
  subscriptionComparisons = 0;
  restarts = 0;
  readonly errorsByCode = new Map<string, number>();
  /** CREATE VIEW statements the oracle itself refused: a generator bug when the side under test is PostgreSQL too. */
  readonly refusedViews: string[] = [];

  countError(code: string): void {
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  summary(): string {
    const errors = [...this.errorsByCode].map(([code, n]) => `${code}x${n}`).join(' ') || 'none';
    return `${this.cases} cases, ${this.statements} statements, ${this.viewsCreated} views created, ` +
      `${this.viewComparisons} view comparisons (${this.nonEmptyViewComparisons} non-empty), ` +
      `${this.streamComparisons} stream replays, ${this.subscriptionComparisons} subscription replays, ${this.restarts} restarts, statement errors: ${errors}`;
  }
}

export interface Mismatch {
  readonly report: string;
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'ok': return o.rows.length === 0 && o.columns.length === 0 ? `ok (${o.rowCount ?? 0} rows affected)` : `${o.rows.length} row(s)`;
    case 'error': return `ERROR ${o.code}: ${o.message}`;
    case 'clientError': return `client error (no server reply): ${o.message}`;
    default: {
      const unreachable: never = o;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A row key (JSON array of text or null) the way psql would print it. */
function showRow(key: string): string {
  const values = JSON.parse(key) as (string | null)[];
  return values.map((v) => (v === null ? 'NULL' : v === '' ? "''" : v)).join(' | ');
}

/** Rows in `a` that are not in `b`, counting duplicates (both sorted). */
function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const r of b) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out: string[] = [];
  for (const r of a) {
    const n = counts.get(r) ?? 0;
    if (n > 0) counts.set(r, n - 1);
    else out.push(r);
  }
  return out;
}

function commentLines(title: string, rows: readonly string[]): string {
  return [`-- ${title}:`, ...(rows.length === 0 ? ['--   (none)'] : rows.map((r) => `--   ${showRow(r)}`))].join('\n');
}

function sameOutcome(a: Outcome, b: Outcome, compareRowCount: boolean): boolean {
  if (a.kind === 'clientError' || b.kind === 'clientError') return false;
  if (a.kind === 'error' || b.kind === 'error') return a.kind === 'error' && b.kind === 'error' && a.code === b.code;
  if (compareRowCount && a.rowCount !== b.rowCount) return false;
  return a.columns.join(',') === b.columns.join(',') && a.rows.join('\n') === b.rows.join('\n');
}

function createdBy(step: RenderedStep): { kind: CreatedKind; name: string } | null {
  switch (step.kind) {
    case 'createTable': return { kind: 'table', name: step.name };
    case 'createView': return { kind: 'view', name: step.name };
    case 'dml':
    case 'transaction':
    case 'restart': return null;
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
}

function outcomeLine(label: string, o: Outcome): string {
  return `-- ${label}: ${describeOutcome(o)}${o.kind === 'ok' && o.rowCount !== null ? ` [rowCount ${o.rowCount}]` : ''}`;
}

/** Why a replayed stream or subscription differs from the oracle's view, as SQL comments. */
function replayDifference(oracle: OracleEngine, what: string, want: Outcome, got: Replayed): string {
  const log = commentLines(`${what}, as read (in order)`, got.log.map((r) => (r.startsWith('--') ? JSON.stringify([r]) : r)));
  if (got.kind === 'problem') return `-- ${what}: ${got.message.replace(/\n/g, '\n-- ')}\n${log}`;
  if (want.kind !== 'ok') return `${outcomeLine(oracle.label, want)}\n${log}`;
  const columns = want.columns.join(',') === got.columns.join(',') ? '' :
    `-- column names: ${oracle.label} (${want.columns.join(', ')}) vs ${what} (${got.columns.join(', ')})\n`;
  return columns + [
    commentLines(`${oracle.label} (${want.rows.length} rows)`, want.rows),
    commentLines(`${what} (${got.rows.length} rows)`, got.rows),
    commentLines(`only in ${oracle.label}`, multisetMinus(want.rows, got.rows)),
    commentLines(`only in ${what}`, multisetMinus(got.rows, want.rows)),
    log,
  ].join('\n');
}

function sameReplay(want: Outcome, got: Replayed): boolean {
  return want.kind === 'ok' && got.kind === 'rows' &&
    want.columns.join(',') === got.columns.join(',') && want.rows.join('\n') === got.rows.join('\n');
}

/** Why two answers to the same SELECT differ, as SQL comments. */
function rowsDifference(oracle: OracleEngine, subject: OracleEngine, want: Outcome, got: Outcome): string {
  if (want.kind !== 'ok' || got.kind !== 'ok') return `${outcomeLine(oracle.label, want)}\n${outcomeLine(subject.label, got)}`;
  const columns = want.columns.join(',') === got.columns.join(',') ? '' :
    `-- column names: ${oracle.label} (${want.columns.join(', ')}) vs ${subject.label} (${got.columns.join(', ')})\n`;
  return columns + [
    commentLines(`${oracle.label} (${want.rows.length} rows)`, want.rows),
    commentLines(`${subject.label} (${got.rows.length} rows)`, got.rows),
    commentLines(`only in ${oracle.label}`, multisetMinus(want.rows, got.rows)),
    commentLines(`only in ${subject.label}`, multisetMinus(got.rows, want.rows)),
  ].join('\n');
}

export async function runCase(rendered: RenderedCase, oracle: OracleEngine, subject: OracleEngine, stats: OracleStats): Promise<Mismatch | null> {
  stats.cases++;
  const live: { name: string; query: string }[] = [];
  const steps = rendered.steps;

  /** The report: the script up to statement `statementCount` of step `stepIndex` (all of it when null). */
  const derived = subject.derived;
  /** A step's lines in the subject's script: a view's stream and cursor follow its CREATE. */
  const stepLines = (step: RenderedStep, statementCount: number | null, withDerived: boolean): string[] => {
    if (step.kind === 'restart') return [RESTART_LINE];
    const statements = stepStatements(step, subject.viewStyle);
    const lines = (statementCount === null ? statements : statements.slice(0, statementCount)).map((sql) => `${sql};`);
    // Only views both sides created have a stream and a cursor.
    const viewMade = step.kind === 'createView' && live.some((v) => v.name === step.name);
    return viewMade && derived !== undefined && withDerived ? [...lines, ...derived.scriptAfterView(step.name, step.query)] : lines;
  };
  /** The report: the script up to statement `statementCount` of step `stepIndex` (all of it when null). */
  const report = (stepIndex: number, statementCount: number | null, what: string, detail: string, finalQuery: string | null): Mismatch => {
    const done = steps.slice(0, stepIndex).flatMap((s) => stepLines(s, null, true)).join('\n');
    const partial = stepLines(steps[stepIndex]!, statementCount, statementCount === null).join('\n');
    const header = [
      `-- ${subject.label} and ${oracle.label} disagree at step ${stepIndex + 1} of ${steps.length}: ${what}`,
      `-- Script for ${subject.label}${subject.viewStyle === 'materialized' ? ` (on ${oracle.label}, write CREATE VIEW for CREATE MATERIALIZED VIEW` +
        `${derived === undefined ? '' : ' and leave out CREATE STREAM'})` : ''}:`,
    ].join('\n');
    return { report: `${header}\n${done === '' ? '' : `${done}\n`}${partial}\n${finalQuery === null ? '' : `${finalQuery};\n`}${detail}` };
  };

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.kind === 'restart') {
      stats.restarts++;
      try {
        await Promise.all([oracle.restart(), subject.restart()]);
      } catch (err) {
        return report(i, null, 'the restart', `-- ${subject.label} did not come back: ${err instanceof Error ? err.message : String(err)}`.replace(/\n/g, '\n-- '), null);
      }
    }
    const expectedSql = stepStatements(step, oracle.viewStyle);
    const actualSql = stepStatements(step, subject.viewStyle);
    for (let j = 0; j < expectedSql.length; j++) {
      const [expected, actual] = await Promise.all([oracle.run(expectedSql[j]!), subject.run(actualSql[j]!)]);
      stats.statements++;
      if (expected.kind === 'error') stats.countError(expected.code);
      const created = createdBy(step);
      if (created !== null) {
        if (expected.kind === 'ok') oracle.created(created.kind, created.name);
        if (actual.kind === 'ok') subject.created(created.kind, created.name);
      }
      if (step.kind === 'createView' && expected.kind === 'error') stats.refusedViews.push(`${step.query}\n  -> ${expected.code} ${expected.message}`);
      if (!sameOutcome(expected, actual, step.kind !== 'createView' && step.kind !== 'createTable')) {
        return report(i, j + 1, 'the statement', `${outcomeLine(oracle.label, expected)}\n${outcomeLine(subject.label, actual)}`, null);
      }
      if (step.kind === 'createView' && expected.kind === 'ok') {
        live.push({ name: step.name, query: step.query });
        stats.viewsCreated++;
        const problem = derived === undefined ? null : await derived.viewCreated(step.name, step.query);
        if (problem !== null) {
          return report(i, null, `the stream or cursor of ${step.name}`, `-- ${problem.replace(/\n/g, '\n-- ')}`, null);
        }
      }
    }

    for (const view of live) {
      const select = `SELECT * FROM ${view.name}`;
      const [want, got] = await Promise.all([oracle.run(select), subject.run(select)]);
      stats.viewComparisons++;
      if (want.kind === 'ok' && want.rows.length > 0) stats.nonEmptyViewComparisons++;
      if (!sameOutcome(want, got, false)) {
        return report(i, null, `the view: ${select}\n--   where ${view.name} is: ${view.query}`, rowsDifference(oracle, subject, want, got), select);
      }
      if (derived === undefined) continue;
      const { stream, subscription } = await derived.read(view.name);
      if (stream !== null) {
        stats.streamComparisons++;
        if (!sameReplay(want, stream)) {
          const what = `stream replay of ${streamName(view.name)}`;
          return report(i, null, `the ${what}\n--   where ${view.name} is: ${view.query}`, replayDifference(oracle, what, want, stream), `SELECT * FROM ${streamName(view.name)}`);
        }
      }
      stats.subscriptionComparisons++;
      if (!sameReplay(want, subscription)) {
        const what = `subscription replay of SUBSCRIBE ${view.name}`;
        return report(i, null, `the ${what}\n--   where ${view.name} is: ${view.query}`, replayDifference(oracle, what, want, subscription), `-- ${fetchStatement(view.name)}`);
      }
    }
  }

  // The same queries run once as plain SELECTs: the batch path must agree with the view's.
  for (const view of live) {
    const [want, got] = await Promise.all([oracle.run(view.query), subject.run(view.query)]);
    if (sameOutcome(want, got, false)) continue;
    return report(steps.length - 1, null, `the query of ${view.name}, run as a SELECT`, rowsDifference(oracle, subject, want, got), view.query);
  }
  return null;
}
