/**
 * Rebuilding a table's rows at open from its log: relation_state holds the rows as of the folded
 * offset, and the log entries from there to the end offset are applied on top (+I/+U set the key's row,
 * -D removes it; a -U is always followed by its +U). It reads SQLite and changes only memory.
 */
import { Op } from '../dynamic-table/changelog-op.js';
import { SQLSTATE, SqlError } from '../errors.js';
import { readLogBatches } from './log-pages.js';
import type { RelationState } from './relation-state.js';
import type { StoreStatements } from './sqlite-schema.js';

/**
 * Rebuild a table's rows at open: apply its log entries from the folded offset to the end offset
 * (rows already hold relation_state). The keys touched become unfolded. Returns the entries replayed.
 */
export function replayUnfolded(stmts: StoreStatements, state: RelationState): number {
  if (state.kind !== 'table' || state.foldedOffset >= state.endOffset) return 0;
  let replayed = 0;
  for (const batch of readLogBatches(stmts, state.oid, state.foldedOffset, state.endOffset)) {
    const { ops, keys, rows } = batch.entries;
    if (keys === null) throw new SqlError(SQLSTATE.internalError, `log batch at ${batch.from} of table ${state.oid} has no keys`);
    for (let i = 0; i < ops.length; i++) {
      const offset = batch.from + i;
      if (offset < state.foldedOffset || offset >= state.endOffset) continue;
      replayed++;
      const key = keys[i]!;
      const op = ops[i]!;
      switch (op) {
        case Op.Insert:
        case Op.UpdateAfter:
          state.rows.set(key, rows[i]!);
          state.unfolded.add(key);
          break;
        case Op.Delete:
          state.rows.delete(key);
          state.unfolded.add(key);
          break;
        case Op.UpdateBefore:
          break; // the +U that follows carries the new row
        default: {
          const never: never = op;
          throw new SqlError(SQLSTATE.internalError, `log batch of table ${state.oid}: unknown op ${String(never)}`);
        }
      }
    }
  }
  return replayed;
}
