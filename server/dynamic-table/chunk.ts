/**
 * ChangelogChunk: a batch of changelog rows stored by column, the unit that moves between operators.
 * Columns are plain arrays of datums (see types/datum.ts); `ops` holds one Op per row.
 * A chunk is immutable once built; operators build new chunks with ChunkBuilder.
 * Rows visible are those with `visibility[i] !== 0` when a visibility mask is present (a filter may
 * mark rows invisible instead of copying columns).
 */
import type { Datum, Row } from '../types/datum.js';
import { Op, OP_TEXT } from './changelog-op.js';

export class ChangelogChunk {
  constructor(
    readonly ops: Uint8Array,
    readonly columns: Datum[][],
    readonly length: number,
    readonly visibility: Uint8Array | null = null,
  ) {}

  get width(): number {
    return this.columns.length;
  }

  /** Allocates: for tests, output and cold paths only. */
  row(i: number): Row {
    const r = new Array<Datum>(this.columns.length);
    for (let c = 0; c < this.columns.length; c++) r[c] = this.columns[c]![i]!;
    return r;
  }

  /** True when every visible row is an insert. */
  isInsertOnly(): boolean {
    for (let i = 0; i < this.length; i++) {
      if ((this.visibility === null || this.visibility[i]) && this.ops[i] !== Op.Insert) return false;
    }
    return true;
  }

  /** The visible rows as text lines, `+I 1 foo`, for tests and debugging. */
  toText(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.length; i++) {
      if (this.visibility !== null && !this.visibility[i]) continue;
      lines.push([OP_TEXT[this.ops[i]!], ...this.row(i).map((d) => (d === null ? 'NULL' : String(d)))].join(' '));
    }
    return lines.join('\n');
  }

  /** A chunk holding only the visible rows, densely. */
  compact(): ChangelogChunk {
    if (this.visibility === null) return this;
    const b = new ChunkBuilder(this.width);
    for (let i = 0; i < this.length; i++) if (this.visibility[i]) b.appendFrom(this, i);
    return b.build();
  }

  static empty(width: number): ChangelogChunk {
    return new ChangelogChunk(new Uint8Array(0), Array.from({ length: width }, () => []), 0);
  }

  /** A chunk from rows, all with the same op (Insert by default). */
  static fromRows(width: number, rows: readonly Row[], op: Op = Op.Insert): ChangelogChunk {
    const b = new ChunkBuilder(width, rows.length);
    for (const r of rows) b.append(op, r);
    return b.build();
  }
}

/** Accumulates rows column by column; `build()` hands the arrays over without copying. */
export class ChunkBuilder {
  private ops: Uint8Array;
  private columns: Datum[][];
  private n = 0;

  constructor(
    readonly width: number,
    capacity = 256,
  ) {
    this.ops = new Uint8Array(Math.max(capacity, 16));
    this.columns = Array.from({ length: width }, () => []);
  }

  get length(): number {
    return this.n;
  }

  private grow(): void {
    const next = new Uint8Array(this.ops.length * 2);
    next.set(this.ops);
    this.ops = next;
  }

  append(op: Op, row: readonly Datum[]): void {
    if (this.n === this.ops.length) this.grow();
    this.ops[this.n] = op;
    for (let c = 0; c < this.width; c++) this.columns[c]!.push(row[c] ?? null);
    this.n++;
  }

  appendFrom(chunk: ChangelogChunk, i: number, op: Op = chunk.ops[i] as Op): void {
    if (this.n === this.ops.length) this.grow();
    this.ops[this.n] = op;
    for (let c = 0; c < this.width; c++) this.columns[c]!.push(chunk.columns[c]![i]!);
    this.n++;
  }

  build(): ChangelogChunk {
    const chunk = new ChangelogChunk(this.ops.subarray(0, this.n), this.columns, this.n);
    this.ops = new Uint8Array(16);
    this.columns = Array.from({ length: this.width }, () => []);
    this.n = 0;
    return chunk;
  }
}
