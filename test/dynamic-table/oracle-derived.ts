/**
 * The two other outputs of every Freshet view the oracle checks: a stream of the same query
 * (`CREATE STREAM <view>_log`), whose changelog replayed in order must give the view's rows, and a
 * SUBSCRIBE cursor on a second connection (one per case), whose fetched changes applied to a multiset
 * must give them too. Owns the cursor connection, the replay and what a report shows of both.
 */
import type { Outcome, TextConnection } from './oracle-engines.js';

/** One replayed output: its rows as a sorted multiset of row keys, or why it could not be replayed. */
export type Replayed =
  | { readonly kind: 'rows'; readonly columns: readonly string[]; readonly rows: readonly string[]; readonly log: readonly string[] }
  | { readonly kind: 'problem'; readonly message: string; readonly log: readonly string[] };

export interface DerivedReadings {
  /** null when the view has no stream (its own output has a column named op). */
  readonly stream: Replayed | null;
  readonly subscription: Replayed;
}

/** The changelog op column a stream adds when its query produces updates. */
const OP_COLUMN = 'op';
/** The first columns of every SUBSCRIBE row: (epoch, progress, op, view columns...). */
const SUBSCRIBE_PREFIX = 3;
/** At most this many fetched subscription rows are kept for a report. */
const LOG_LIMIT = 200;

export function streamName(view: string): string {
  return `${view}_log`;
}

export function cursorName(view: string): string {
  return `${view}_c`;
}

export function fetchStatement(view: string): string {
  return `FETCH ALL ${cursorName(view)} WITH (timeout = '0s')`;
}

interface ViewState {
  readonly name: string;
  readonly hasStream: boolean;
  /** Current subscription contents: row key -> count. */
  rows: Map<string, number>;
  columns: readonly string[] | null;
  /** Sticky: a subscription that removed a row it did not hold stays wrong. */
  problem: string | null;
  log: string[];
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'ok': return `${o.rows.length} row(s)`;
    case 'error': return `ERROR ${o.code}: ${o.message}`;
    case 'clientError': return `client error (no server reply): ${o.message}`;
    default: {
      const unreachable: never = o;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Applies one change to a multiset; a message when it removes a row the multiset does not hold. */
function applyChange(rows: Map<string, number>, op: string | null, key: string): string | null {
  switch (op) {
    case '+I':
    case '+U':
      rows.set(key, (rows.get(key) ?? 0) + 1);
      return null;
    case '-U':
    case '-D': {
      const n = rows.get(key) ?? 0;
      if (n === 0) return `${op} of a row it does not hold: ${key}`;
      if (n === 1) rows.delete(key);
      else rows.set(key, n - 1);
      return null;
    }
    default:
      return `unknown op ${JSON.stringify(op)} on ${key}`;
  }
}

function sortedRows(rows: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [key, n] of rows) for (let i = 0; i < n; i++) out.push(key);
  return out.sort();
}

/** Replays a stream's rows (in log order) into the rows they stand for. */
function replayStream(o: Outcome): Replayed {
  if (o.kind !== 'ok') return { kind: 'problem', message: `the stream could not be read: ${describeOutcome(o)}`, log: [] };
  const opAt = o.columns.length - 1;
  if (o.columns[opAt] !== OP_COLUMN) {
    // No op column: an append-only stream whose rows are the view's rows.
    return { kind: 'rows', columns: o.columns, rows: [...o.rows].sort(), log: o.rows };
  }
  const rows = new Map<string, number>();
  for (const raw of o.rows) {
    const values = JSON.parse(raw) as (string | null)[];
    const problem = applyChange(rows, values[opAt] ?? null, JSON.stringify(values.slice(0, opAt)));
    if (problem !== null) return { kind: 'problem', message: `replaying the stream: ${problem}`, log: o.rows };
  }
  return { kind: 'rows', columns: o.columns.slice(0, opAt), rows: sortedRows(rows), log: o.rows };
}

/** What the runner asks of a side whose views have a stream and a subscription too. */
export interface DerivedChecks {
  /** The lines a report's script shows after the view's CREATE (the cursor as comments). */
  scriptAfterView(view: string, query: string): string[];
  /** Creates the stream and the cursor of a view just created; why that failed, or null. */
  viewCreated(view: string, query: string): Promise<string | null>;
  /** The stream replayed and the subscription's changes applied, after a step. */
  read(view: string): Promise<DerivedReadings>;
}

export class DerivedViews implements DerivedChecks {
  private views: ViewState[] = [];
  private cursorConn: TextConnection | null = null;
  /** Views whose own output has a column named op, so a stream of them would clash: not checked. */
  streamsSkipped = 0;

  constructor(
    /** Runs on the engine's main connection (`inOrder`: keep the server's row order). */
    private readonly run: (sql: string, inOrder: boolean) => Promise<Outcome>,
    private readonly openConnection: () => Promise<TextConnection>,
    /** Tells the engine to drop a stream on reset. */
    private readonly streamCreated: (name: string) => void,
  ) {}

  scriptAfterView(view: string, query: string): string[] {
    return [
      `CREATE STREAM ${streamName(view)} AS ${query};`,
      `-- on a second connection, inside one BEGIN: DECLARE ${cursorName(view)} CURSOR FOR SUBSCRIBE ${view}; then after every step: ${fetchStatement(view)};`,
    ];
  }

  async viewCreated(view: string, query: string): Promise<string | null> {
    const select = await this.run(`SELECT * FROM ${view}`, false);
    if (select.kind !== 'ok') return `SELECT * FROM ${view} right after creating it: ${describeOutcome(select)}`;
    const hasStream = !select.columns.includes(OP_COLUMN);
    if (hasStream) {
      const sql = `CREATE STREAM ${streamName(view)} AS ${query}`;
      const created = await this.run(sql, false);
      if (created.kind !== 'ok') return `${sql}\n-- failed: ${describeOutcome(created)}`;
      this.streamCreated(streamName(view));
    } else {
      this.streamsSkipped++;
    }
    const state: ViewState = { name: view, hasStream, rows: new Map(), columns: null, problem: null, log: [] };
    this.views.push(state);
    return this.declare(state);
  }

  async read(view: string): Promise<DerivedReadings> {
    const state = this.views.find((v) => v.name === view);
    if (state === undefined) throw new Error(`no stream or cursor for view ${view}`);
    const stream = state.hasStream ? replayStream(await this.run(`SELECT * FROM ${streamName(view)}`, true)) : null;
    return { stream, subscription: await this.fetch(state) };
  }

  /** After the server restarted: a new cursor connection, every cursor declared again (a fresh snapshot). */
  async restarted(): Promise<void> {
    await this.closeCursors();
    for (const state of this.views) {
      state.rows = new Map();
      state.columns = null;
      state.log.push('-- (server restarted: cursor declared again)');
      const problem = await this.declare(state);
      if (problem !== null && state.problem === null) state.problem = problem;
    }
  }

  /** Ends the case: closes the cursor connection and forgets the views (the engine drops the streams). */
  async reset(): Promise<void> {
    await this.closeCursors();
    this.views = [];
  }

  private async closeCursors(): Promise<void> {
    const conn = this.cursorConn;
    this.cursorConn = null;
    if (conn !== null) await conn.close();
  }

  private async declare(state: ViewState): Promise<string | null> {
    if (this.cursorConn === null) {
      const conn = await this.openConnection();
      this.cursorConn = conn;
      const begin = await conn.run('BEGIN');
      if (begin.kind !== 'ok') return `BEGIN on the cursor connection: ${describeOutcome(begin)}`;
    }
    const sql = `DECLARE ${cursorName(state.name)} CURSOR FOR SUBSCRIBE ${state.name}`;
    const declared = await this.cursorConn.run(sql);
    return declared.kind === 'ok' ? null : `${sql}\n-- failed: ${describeOutcome(declared)}`;
  }

  private async fetch(state: ViewState): Promise<Replayed> {
    if (state.problem !== null) return { kind: 'problem', message: state.problem, log: state.log };
    if (this.cursorConn === null) return { kind: 'problem', message: 'no cursor connection', log: state.log };
    const fetched = await this.cursorConn.run(fetchStatement(state.name), true);
    if (fetched.kind !== 'ok') {
      state.problem = `${fetchStatement(state.name)}: ${describeOutcome(fetched)}`;
      return { kind: 'problem', message: state.problem, log: state.log };
    }
    state.columns = fetched.columns.slice(SUBSCRIBE_PREFIX);
    for (const raw of fetched.rows) {
      if (state.log.length < LOG_LIMIT) state.log.push(raw);
      const values = JSON.parse(raw) as (string | null)[];
      if (values[1] === 't') {
        if (values[2] !== null) state.problem = `a progress row with op ${JSON.stringify(values[2])}: ${raw}`;
        continue;
      }
      state.problem ??= applyChange(state.rows, values[2] ?? null, JSON.stringify(values.slice(SUBSCRIBE_PREFIX)));
    }
    if (state.problem !== null) return { kind: 'problem', message: state.problem, log: state.log };
    return { kind: 'rows', columns: state.columns, rows: sortedRows(state.rows), log: state.log };
  }
}
