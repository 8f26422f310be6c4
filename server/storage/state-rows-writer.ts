/**
 * Writes keys' current rows into relation_state (or deletes the keys whose rows are gone), many rows
 * per statement. The caller owns the SQLite transaction and decides which keys; this only writes.
 */
import type { Row } from '../types/datum.js';
import type { RowKey } from './api.js';
import type { RelationState } from './relation-state.js';
import { ByteWriter, encodeRowTransient, ROW_FORMAT_VERSION, writeRowDatums } from './row-codec.js';
import { STATE_ROWS_PER_STATEMENT, type StoreStatements } from './sqlite-schema.js';

export class StateRowsWriter {
  private readonly rowWriter = new ByteWriter();
  private readonly params: unknown[] = [];

  constructor(private readonly stmts: StoreStatements) {}

  /**
   * Writes `keys[from .. to - 1]` of `s` as they stand in memory now. `written(n)` is called after
   * each statement with the rows it wrote.
   */
  write(s: RelationState, keys: readonly RowKey[], from: number, to: number, written: (rows: number) => void): void {
    const upKeys: RowKey[] = [];
    const upRows: Row[] = [];
    const deleted: RowKey[] = [];
    for (let i = from; i < to; i++) {
      const key = keys[i]!;
      const row = s.rows.get(key);
      if (row === undefined) deleted.push(key);
      else {
        upKeys.push(key);
        upRows.push(row);
      }
    }
    this.upsert(s.oid, upKeys, upRows, written);
    this.delete(s.oid, deleted, written);
  }

  private upsert(oid: number, keys: RowKey[], rows: Row[], written: (rows: number) => void): void {
    const st = this.stmts;
    const per = STATE_ROWS_PER_STATEMENT;
    const params = this.params;
    let i = 0;
    for (; i + per <= keys.length; i += per) {
      const w = this.rowWriter;
      w.reset();
      const ends = new Array<number>(per);
      for (let j = 0; j < per; j++) {
        w.byte(ROW_FORMAT_VERSION);
        writeRowDatums(w, rows[i + j]!);
        ends[j] = w.pos;
      }
      const bytes = w.view(); // taken after the last write: the buffer no longer moves
      params.length = 3 * per;
      for (let j = 0, start = 0; j < per; j++) {
        params[3 * j] = oid;
        params[3 * j + 1] = keys[i + j]!;
        params[3 * j + 2] = bytes.subarray(start, ends[j]!);
        start = ends[j]!;
      }
      st.upsertStateMany.run(...params);
      written(per);
    }
    for (; i < keys.length; i++) {
      st.upsertState.run(oid, keys[i]!, encodeRowTransient(rows[i]!));
      written(1);
    }
  }

  private delete(oid: number, keys: RowKey[], written: (rows: number) => void): void {
    const st = this.stmts;
    const per = STATE_ROWS_PER_STATEMENT;
    const params = this.params;
    let i = 0;
    for (; i + per <= keys.length; i += per) {
      params.length = per + 1;
      params[0] = oid;
      for (let j = 0; j < per; j++) params[j + 1] = keys[i + j]!;
      st.deleteStateMany.run(...params);
      written(per);
    }
    for (; i < keys.length; i++) {
      st.deleteState.run(oid, keys[i]!);
      written(1);
    }
  }
}
