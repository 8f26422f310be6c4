/**
 * The watermarks of streams that declare one (`WATERMARK FOR t AS t - delay`): per stream, the largest
 * committed event time minus the delay, never decreasing. Writers ask `admit` before appending a row:
 * a row below the watermark (late) or with a NULL event time is dropped and counted, so every query
 * over the stream sees the same rows and no closed window ever changes. Commits advance it
 * (`observe`); continuous queries read it (`current`) to send watermarks into their dataflow.
 * After a restart a stream's watermark is recomputed from its rows on first use. Its counters are
 * committed with the writes that counted them (`persistCounters`, stored as the progress of query
 * -oid) and read back on first use.
 */
import type { CatalogReader, RelationDef, StreamWatermarkDef } from '../catalog/model.js';
import type { CommittedChanges, Store, WriteTransaction } from '../storage/api.js';
import type { Row } from '../types/datum.js';
import { Op } from './changelog-op.js';

interface StreamState {
  readonly def: StreamWatermarkDef;
  /** Largest event time committed, or -Infinity before the first row. */
  maxTime: number;
  lateRows: number;
  nullTimeRows: number;
  /** Rows COPY ... ON_ERROR ignore skipped for values their columns could not take. */
  malformedRows: number;
  /** Wall-clock ms of the last commit that appended rows (or of the first use). */
  lastRowsAtMs: number;
  /** A counter moved since the counters were last written with a transaction. */
  countersChanged: boolean;
}

/** The store key of a stream's counters: the progress of "query" -oid (no query has a negative oid there). */
const countersKey = (relOid: number): number => -relOid;

export interface WatermarkStatus {
  readonly rel: RelationDef;
  /** The watermark in µs, -Infinity before the first row. */
  readonly watermark: number;
  readonly lateRows: number;
  readonly nullTimeRows: number;
  readonly malformedRows: number;
  readonly idle: boolean;
}

export class StreamWatermarks {
  private readonly states = new Map<number, StreamState>();

  constructor(
    private readonly store: Store,
    private readonly catalog: CatalogReader,
    private readonly now: () => number = Date.now,
  ) {}

  private stateOf(rel: RelationDef, def: StreamWatermarkDef): StreamState {
    let s = this.states.get(rel.oid);
    if (s && s.def === def) return s;
    s = { def, maxTime: -Infinity, lateRows: 0, nullTimeRows: 0, malformedRows: 0, lastRowsAtMs: this.now(), countersChanged: false };
    const saved = parseCounters(this.store.queryProgress(countersKey(rel.oid)));
    if (saved) [s.lateRows, s.nullTimeRows, s.malformedRows] = saved;
    for (const chunk of this.store.scan(rel)) {
      const times = chunk.columns[def.column]!;
      for (let i = 0; i < chunk.length; i++) {
        const t = times[i];
        if (typeof t === 'number' && t > s.maxTime) s.maxTime = t;
      }
    }
    this.states.set(rel.oid, s);
    return s;
  }

  /** Whether `row` may be appended to `rel`; a late or NULL-time row is counted and refused. */
  admit(rel: RelationDef, row: Row): boolean {
    const def = rel.watermark;
    if (!def) return true;
    const s = this.stateOf(rel, def);
    const t = row[def.column];
    if (t === null || t === undefined) {
      s.nullTimeRows++;
      s.countersChanged = true;
      return false;
    }
    if ((t as number) < s.maxTime - def.delayMicros) {
      s.lateRows++;
      s.countersChanged = true;
      return false;
    }
    return true;
  }

  /** Writes the stream's counters with `tx` when they moved (so a restart keeps them). */
  persistCounters(rel: RelationDef, tx: WriteTransaction): void {
    const def = rel.watermark;
    if (!def) return;
    const s = this.stateOf(rel, def);
    if (!s.countersChanged) return;
    tx.recordQueryProgress(countersKey(rel.oid), JSON.stringify([s.lateRows, s.nullTimeRows, s.malformedRows]));
    s.countersChanged = false;
  }

  /** Rows a writer skipped as malformed (COPY ... ON_ERROR ignore); counted for watermarked streams. */
  countMalformed(rel: RelationDef, rows: number): void {
    const def = rel.watermark;
    if (!def) return;
    const s = this.stateOf(rel, def);
    s.malformedRows += rows;
    s.countersChanged = true;
  }

  /** Advances the watermarks of the streams a commit appended to. */
  observe(changes: readonly CommittedChanges[]): void {
    for (const c of changes) {
      const rel = this.catalog.byOid(c.relOid);
      const def = rel?.watermark;
      if (!rel || !def) continue;
      const s = this.stateOf(rel, def);
      for (let i = 0; i < c.rows.length; i++) {
        if (c.ops[i] !== Op.Insert) continue;
        const t = c.rows[i]![def.column];
        if (typeof t === 'number' && t > s.maxTime) s.maxTime = t;
      }
      if (c.rows.length > 0) s.lastRowsAtMs = this.now();
    }
  }

  /** A connector source generated rows up to `maxEventTime` (its rows are not in the store). */
  observeSource(rel: RelationDef, maxEventTime: number): void {
    const def = rel.watermark;
    if (!def) return;
    const s = this.stateOf(rel, def);
    if (maxEventTime > s.maxTime) s.maxTime = maxEventTime;
    s.lastRowsAtMs = this.now();
  }

  /** The stream's watermark now, and whether it has been quiet longer than its idle timeout. */
  current(rel: RelationDef): { time: number; idle: boolean } | undefined {
    const def = rel.watermark;
    if (!def) return undefined;
    const s = this.stateOf(rel, def);
    const idle = def.idleTimeoutMs !== undefined && this.now() - s.lastRowsAtMs > def.idleTimeoutMs;
    return { time: s.maxTime - def.delayMicros, idle };
  }

  /** Every watermarked stream of the catalog, for freshet_catalog.watermarks. */
  statuses(): WatermarkStatus[] {
    const out: WatermarkStatus[] = [];
    for (const rel of this.catalog.relations()) {
      if (!rel.watermark) continue;
      const cur = this.current(rel)!;
      const s = this.states.get(rel.oid)!;
      out.push({ rel, watermark: cur.time, lateRows: s.lateRows, nullTimeRows: s.nullTimeRows, malformedRows: s.malformedRows, idle: cur.idle });
    }
    return out;
  }

  forget(relOid: number): void {
    this.states.delete(relOid);
  }
}

function parseCounters(text: string | undefined): [number, number, number] | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return v as [number, number, number];
  } catch {
    // Unreadable counters start again from zero.
  }
  return undefined;
}
