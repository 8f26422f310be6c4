/**
 * Views of a generator batch for the code that consumes it: a kind's columns as an insert-only
 * ChangelogChunk (no copy of the columns), or as rows (allocates: tests and cold paths only).
 */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Row } from '../../types/datum.js';
import type { NexmarkKindBatch } from './generator.js';

/** The kind's rows as an append-only chunk; the chunk takes the batch's column arrays over. */
export function nexmarkChunk(kind: NexmarkKindBatch): ChangelogChunk {
  const ops = new Uint8Array(kind.length);
  if (Op.Insert !== 0) ops.fill(Op.Insert);
  return new ChangelogChunk(ops, kind.columns, kind.length);
}

/** The kind's rows, one array per row, in schema column order. */
export function nexmarkRows(kind: NexmarkKindBatch): Row[] {
  const rows: Row[] = new Array<Row>(kind.length);
  const width = kind.columns.length;
  for (let i = 0; i < kind.length; i++) {
    const row: Row = new Array(width);
    for (let c = 0; c < width; c++) row[c] = kind.columns[c]![i]!;
    rows[i] = row;
  }
  return rows;
}
