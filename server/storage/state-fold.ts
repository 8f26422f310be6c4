/**
 * Keeps relation_state (a table's rows in SQLite) in step with the log, lazily and a little at a time.
 * A commit makes its log batch durable; the keys it wrote become unfolded. Once enough entries are
 * unfolded a fold pass starts: it takes the unfolded keys of each table and the end offset F they were
 * taken at, and every later commit sorts a few runs of them and, once all are sorted, writes the next
 * slice in key order (neighbours share B-tree pages; sorted-key-runs.ts), their rows as they stand,
 * inside its own SQLite transaction; the slice that finishes a table also sets its `folded_offset` to F. Open rebuilds rows as relation_state plus the log from
 * `folded_offset` (log-replay.ts). That is right at every moment, whatever a crash interrupts: a key
 * written by a pass has a value from the log at or after the old folded offset, and the replay sets
 * every key the log touches after that offset to its last value.
 */
import type Database from 'better-sqlite3';
import type { RowKey } from './api.js';
import type { RelationState } from './relation-state.js';
import type { StoreStatements } from './sqlite-schema.js';
import { byCodeUnits, SortedKeyRuns } from './sorted-key-runs.js';
import { StateRowsWriter } from './state-rows-writer.js';

/** Default: start a pass once this many table log entries, and at least as many as the tables' rows, are unfolded. */
export const DEFAULT_FOLD_THRESHOLD = 65_536;

/**
 * Default: keys every commit writes at least while a pass runs, besides two per table log entry it
 * logs. The two per entry alone finish a pass within half as many new entries as it has keys (so the
 * unfolded log stays within 1.5 times the start threshold); the minimum moves a pass along under
 * commits that log no table entries.
 */
export const DEFAULT_SLICE_MIN_KEYS = 32;

/**
 * Called after every statement that writes state rows, inside the SQLite transaction, with the pass's
 * number (1 for this store's first; close's fold counts as one) and the rows it has written so far.
 * For crash tests only: throwing there fails the commit whole; dying there must lose nothing committed.
 */
export type FoldProbe = (passNumber: number, rowsWritten: number) => void;

/** One table in a pass: its keys to write (and how far the pass got), and the offset they were taken at. */
interface PassTarget {
  readonly state: RelationState;
  readonly keys: SortedKeyRuns;
  readonly foldTo: number;
}

/** How far a slice, once its transaction commits, moved each target. */
export type SliceProgress = readonly (readonly [PassTarget, number])[];

export class StateFolder {
  /** Table log entries after the offsets the current (or last) pass took its keys at. */
  private unfoldedEntries = 0;
  /** Targets of the running pass not finished yet, in order; null when no pass runs. */
  private pass: PassTarget[] | null = null;
  private passes = 0;
  private written = 0;
  private readonly writer: StateRowsWriter;
  private readonly countWritten = (rows: number): void => {
    this.written += rows;
    if (this.probe !== undefined) this.probe(this.passes, this.written);
  };

  constructor(
    private readonly db: Database.Database,
    private readonly stmts: StoreStatements,
    readonly threshold: number,
    private readonly sliceMinKeys: number,
    private readonly probe: FoldProbe | undefined,
  ) {
    this.writer = new StateRowsWriter(stmts);
  }

  noteUnfolded(entries: number): void {
    this.unfoldedEntries += entries;
  }

  /** A relation was dropped: its rows must not be written again. */
  forget(state: RelationState): void {
    if (this.pass !== null) this.pass = this.pass.filter((t) => t.state !== state);
  }

  /**
   * After a commit: start a pass once the unfolded entries reach the threshold AND the rows the tables
   * hold (so the log to replay at open is never longer than the rows to load, and a pass writes a key
   * once for more of its changes). Memory only; nothing is written until the next commit.
   */
  startPassIfDue(relations: ReadonlyMap<number, RelationState>): void {
    if (this.pass !== null || this.unfoldedEntries < this.threshold) return;
    let tableRows = 0;
    for (const s of relations.values()) tableRows += s.rows.size;
    if (this.unfoldedEntries < tableRows) return;
    const targets: PassTarget[] = [];
    for (const s of relations.values()) {
      if (s.kind !== 'table' || s.foldedOffset >= s.endOffset) continue;
      targets.push({ state: s, keys: new SortedKeyRuns(s.unfolded), foldTo: s.endOffset });
      s.unfolded.clear();
    }
    this.unfoldedEntries = 0;
    if (targets.length === 0) return;
    this.pass = targets;
    this.passes++;
    this.written = 0;
  }

  /**
   * Inside a commit's SQLite transaction, before memory takes the commit: sort about a budget's worth
   * of the pass's keys, and write the next budget's worth of sorted ones (`tableEntries`: table log
   * entries the commit logs). Returns the progress to record once the transaction has committed
   * (`sliceCommitted`); a failed transaction records nothing (its sorting is kept: it changes nothing).
   */
  writeSlice(tableEntries: number): SliceProgress | null {
    if (this.pass === null) return null;
    const budget = this.sliceMinKeys + 2 * tableEntries;
    let toSort = budget;
    let toWrite = budget;
    const progress: [PassTarget, number][] = [];
    for (const t of this.pass) {
      if (!t.keys.sorted) {
        if (toSort <= 0) break;
        toSort -= t.keys.sortSome(toSort);
        if (!t.keys.sorted) break;
      }
      if (toWrite <= 0) break;
      const slice = t.keys.peek(Math.min(toWrite, t.keys.size - t.keys.confirmed));
      this.writer.write(t.state, slice.keys, slice.from, slice.to, this.countWritten);
      const n = slice.to - slice.from;
      if (t.keys.confirmed + n === t.keys.size) this.stmts.updateFolded.run(t.foldTo, t.state.oid);
      toWrite -= n;
      progress.push([t, n]);
    }
    return progress;
  }

  sliceCommitted(progress: SliceProgress): void {
    for (const [t, n] of progress) {
      t.keys.confirm(n);
      if (t.keys.confirmed === t.keys.size) t.state.foldedOffset = t.foldTo;
    }
    const left = this.pass?.filter((t) => t.keys.confirmed < t.keys.size) ?? [];
    this.pass = left.length > 0 ? left : null;
  }

  /**
   * Fold everything now, in one SQLite transaction of its own (at close): the rest of the running pass
   * and every unfolded key, and each table's folded offset to its end. Throws on failure (nothing lost).
   */
  foldAll(relations: ReadonlyMap<number, RelationState>): void {
    const pending = new Map<RelationState, RowKey[]>();
    for (const t of this.pass ?? []) pending.set(t.state, t.keys.unconfirmed());
    for (const s of relations.values()) {
      if (s.kind !== 'table' || (s.foldedOffset >= s.endOffset && s.unfolded.size === 0)) continue;
      const keys = pending.get(s) ?? [];
      for (const k of s.unfolded) keys.push(k);
      pending.set(s, Array.from(new Set(keys)).sort(byCodeUnits));
    }
    if (pending.size === 0) return;
    this.passes++;
    this.written = 0;
    this.db.transaction(() => {
      for (const [s, keys] of pending) {
        this.writer.write(s, keys, 0, keys.length, this.countWritten);
        this.stmts.updateFolded.run(s.endOffset, s.oid);
      }
    })();
    for (const s of pending.keys()) {
      s.unfolded.clear();
      s.foldedOffset = s.endOffset;
    }
    this.pass = null;
    this.unfoldedEntries = 0;
  }
}
