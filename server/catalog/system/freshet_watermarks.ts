/**
 * pg_catalog.freshet_watermarks (Freshet's own): one row per stream declared WITH a WATERMARK (its
 * watermark now, rows dropped for arriving later than it, without event time, or malformed (COPY ...
 * ON_ERROR ignore), whether it is idle)
 * and one per running materialized view or derived stream (rows its operators dropped as late, rows
 * of operator state: flat on an endless stream when windows close).
 */
import { T } from '../../types/sql-type.js';
import type { Row } from '../../types/datum.js';
import { defineSystemTable } from './system-table.js';

export const freshetWatermarks = defineSystemTable('pg_catalog', 'freshet_watermarks', 12110, 'v', [
  ['relname', T.name, true],
  ['relkind', T.text, true],
  ['watermark_column', T.name, false],
  ['watermark', T.timestamp, false],
  ['idle', T.bool, false],
  ['late_rows', T.int8, true],
  ['null_time_rows', T.int8, false],
  ['malformed_rows', T.int8, false],
  ['state_rows', T.int8, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  const runtime = ctx.runtime;
  if (!runtime) return rows;
  for (const w of runtime.streamWatermarks()) {
    const rel = ctx.catalog.byOid(w.oid);
    if (!rel?.watermark) continue;
    rows.push(shape.row({
      relname: rel.name,
      relkind: 'stream',
      watermark_column: rel.columns[rel.watermark.column]!.name,
      watermark: Number.isFinite(w.watermark) ? w.watermark : null,
      idle: w.idle,
      late_rows: BigInt(w.lateRows),
      null_time_rows: BigInt(w.nullTimeRows),
      malformed_rows: BigInt(w.malformedRows),
      state_rows: null,
    }));
  }
  for (const q of runtime.queryStats()) {
    const rel = ctx.catalog.byOid(q.oid);
    if (!rel) continue;
    rows.push(shape.row({
      relname: rel.name,
      relkind: rel.kind === 'materializedView' ? 'materialized view' : rel.options['role'] === 'sink' ? 'sink' : 'stream (derived)',
      watermark_column: null,
      watermark: null,
      idle: null,
      late_rows: BigInt(q.lateRows),
      null_time_rows: null,
      malformed_rows: null,
      state_rows: BigInt(q.stateRows),
    }));
  }
  return rows;
});
