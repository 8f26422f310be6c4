/**
 * Freshet's checkpoint views (issue 6). pg_catalog.freshet_checkpoints: one row per checkpoint still
 * recorded (status, what triggered it, start, duration, the barrier's alignment time (the pause in
 * the stream: trigger until every query's state is copied), the encoding after it, size, why it failed). freshet_checkpoint_operators: the state each query's operators wrote to it (full or
 * incremental, entries, bytes). freshet_recovery: what the last start restored from.
 */
import { T } from '../../types/sql-type.js';
import type { Row } from '../../types/datum.js';
import { defineSystemTable } from './system-table.js';

const msToMicros = (ms: number): number => Math.round(ms * 1000);

export const freshetCheckpoints = defineSystemTable('pg_catalog', 'freshet_checkpoints', 12111, 'v', [
  ['id', T.int8, true],
  ['status', T.text, true],
  ['trigger', T.text, false],
  ['started_at', T.timestamptz, true],
  ['completed_at', T.timestamptz, false],
  ['duration_ms', T.float8, false],
  ['alignment_ms', T.float8, false],
  ['capture_ms', T.float8, false],
  ['encode_ms', T.float8, false],
  ['write_ms', T.float8, false],
  ['epoch', T.int8, false],
  ['size_bytes', T.int8, true],
  ['operators', T.int4, true],
  ['failure', T.text, false],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const c of ctx.runtime?.checkpoints?.() ?? []) {
    rows.push(shape.row({
      id: BigInt(c.id),
      status: c.status,
      trigger: c.trigger,
      started_at: msToMicros(c.startedAt),
      completed_at: c.completedAt === null ? null : msToMicros(c.completedAt),
      duration_ms: c.durationMs,
      alignment_ms: c.alignmentMs,
      capture_ms: c.captureMs,
      encode_ms: c.encodeMs,
      write_ms: c.writeMs,
      epoch: c.epoch === null ? null : BigInt(c.epoch),
      size_bytes: BigInt(c.bytes),
      operators: c.operators.length,
      failure: c.failure,
    }));
  }
  return rows;
});

export const freshetCheckpointOperators = defineSystemTable('pg_catalog', 'freshet_checkpoint_operators', 12112, 'v', [
  ['checkpoint_id', T.int8, true],
  ['relname', T.name, false],
  ['operator', T.text, true],
  ['kind', T.text, true],
  ['base_checkpoint_id', T.int8, false],
  ['entries', T.int8, true],
  ['deletes', T.int8, true],
  ['size_bytes', T.int8, true],
], (ctx, shape) => {
  const rows: Row[] = [];
  for (const c of ctx.runtime?.checkpoints?.() ?? []) {
    for (const op of c.operators) {
      rows.push(shape.row({
        checkpoint_id: BigInt(c.id),
        relname: ctx.catalog.byOid(op.queryOid)?.name ?? null,
        operator: op.operatorId,
        kind: op.kind,
        base_checkpoint_id: op.baseCheckpointId === null ? null : BigInt(op.baseCheckpointId),
        entries: BigInt(op.upserts),
        deletes: BigInt(op.deletes),
        size_bytes: BigInt(op.bytes),
      }));
    }
  }
  return rows;
});

export const freshetRecovery = defineSystemTable('pg_catalog', 'freshet_recovery', 12113, 'v', [
  ['checkpoint_id', T.int8, false],
  ['restored_queries', T.int4, true],
  ['rebuilt_queries', T.int4, true],
  ['duration_ms', T.float8, true],
  ['skipped_checkpoints', T.text, false],
], (ctx, shape) => {
  const r = ctx.runtime?.recovery?.();
  if (!r) return [];
  return [shape.row({
    checkpoint_id: r.checkpointId === null ? null : BigInt(r.checkpointId),
    restored_queries: r.restoredQueries,
    rebuilt_queries: r.rebuiltQueries,
    duration_ms: r.durationMs,
    skipped_checkpoints: r.skipped.length === 0 ? null : r.skipped.map((s) => `${s.id}: ${s.failure}`).join('; '),
  })];
});
