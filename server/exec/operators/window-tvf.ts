/**
 * WindowTvf: the TUMBLE / HOP table functions as a stateless map of changelog rows (plan:
 * logical/window-tvf.ts). TUMBLE keeps the input columns as they are and appends window_start and
 * window_end; rows with a NULL time are masked out, and an update pair split by that becomes a lone
 * Delete or Insert (as in Filter). HOP copies each row once per window; since a row may be in any
 * number of windows, update pairs become Delete + Insert. Barriers pass through; a watermark on the
 * time column passes through and also gives window_start and window_end theirs: the earliest window
 * a row at or after the watermark can fall in.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { WindowAssignment } from '../../plan/logical/window-tvf.js';
import type { Datum } from '../../types/datum.js';
import { hopStarts, tumbleStart } from '../window-bounds.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import { UnaryOperator, unpairedOp, type Downstream } from './operator.js';

export class WindowTvfOperator extends UnaryOperator {
  /** Reused per row by HOP. */
  private readonly starts: number[] = [];

  /** @param inputWidth the input's column count: window_start and window_end follow it. */
  constructor(out: Downstream, private readonly timeColumn: number, private readonly assignment: WindowAssignment, private readonly inputWidth: number) {
    super(assignment.kind === 'tumble' ? 'WindowTvf TUMBLE' : 'WindowTvf HOP', out);
  }

  protected override onWatermark(msg: WatermarkMessage): void {
    this.out.push(msg);
    if (msg.column !== this.timeColumn || !Number.isFinite(msg.time)) return;
    const start = earliestWindowStart(msg.time, this.assignment);
    this.out.push(Messages.watermark(this.inputWidth, start, msg.idle));
    this.out.push(Messages.watermark(this.inputWidth + 1, start + this.assignment.size, msg.idle));
  }

  protected onChunk(chunk: ChangelogChunk): void {
    const a = this.assignment;
    switch (a.kind) {
      case 'tumble':
        this.tumble(chunk, a.size);
        return;
      case 'hop':
        this.hop(chunk, a.slide, a.size);
        return;
      default: {
        const never: never = a;
        return never;
      }
    }
  }

  private tumble(chunk: ChangelogChunk, size: number): void {
    const n = chunk.length;
    const times = chunk.columns[this.timeColumn]!;
    const visibility = chunk.visibility;
    const starts = new Array<Datum>(n);
    const ends = new Array<Datum>(n);
    let vis: Uint8Array | null = null;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number | null;
      if (t === null || (visibility !== null && !visibility[i])) {
        starts[i] = null;
        ends[i] = null;
        if (vis === null) vis = visibility === null ? new Uint8Array(n).fill(1) : visibility.slice();
        vis[i] = 0;
        continue;
      }
      const start = tumbleStart(t, size);
      starts[i] = start;
      ends[i] = start + size;
      kept++;
    }
    if (kept === 0) return;
    let ops = chunk.ops;
    if (vis !== null) {
      for (let i = 0; i + 1 < n; i++) {
        if (ops[i] !== Op.UpdateBefore || ops[i + 1] !== Op.UpdateAfter || vis[i] === vis[i + 1]) continue;
        if (ops === chunk.ops) ops = chunk.ops.slice();
        if (vis[i]) ops[i] = Op.Delete;
        else ops[i + 1] = Op.Insert;
      }
    }
    this.emit(new ChangelogChunk(ops, [...chunk.columns, starts, ends], n, vis));
  }

  private hop(chunk: ChangelogChunk, slide: number, size: number): void {
    const n = chunk.length;
    const times = chunk.columns[this.timeColumn]!;
    const visibility = chunk.visibility;
    // Pass 1: which input row and which window each output row is.
    const source: number[] = [];
    const starts: Datum[] = [];
    const ends: Datum[] = [];
    for (let i = 0; i < n; i++) {
      const t = times[i] as number | null;
      if (t === null || (visibility !== null && !visibility[i])) continue;
      for (const start of hopStarts(t, slide, size, this.starts)) {
        source.push(i);
        starts.push(start);
        ends.push(start + size);
      }
    }
    const m = source.length;
    if (m === 0) return;
    // Pass 2: the input columns gathered column by column, then the ops.
    const columns: Datum[][] = [];
    for (const col of chunk.columns) {
      const out = new Array<Datum>(m);
      for (let k = 0; k < m; k++) out[k] = col[source[k]!]!;
      columns.push(out);
    }
    columns.push(starts, ends);
    const ops = new Uint8Array(m);
    for (let k = 0; k < m; k++) ops[k] = unpairedOp(chunk.ops[source[k]!] as Op);
    this.emit(new ChangelogChunk(ops, columns, m));
  }
}

/** The start of the earliest window that a row with time >= `time` can be assigned to. */
export function earliestWindowStart(time: number, a: WindowAssignment): number {
  switch (a.kind) {
    case 'tumble':
      return tumbleStart(time, a.size);
    case 'hop':
      // The smallest multiple of slide s with s + size > time.
      return (Math.floor((time - a.size) / a.slide) + 1) * a.slide;
    default: {
      const never: never = a;
      return never;
    }
  }
}
