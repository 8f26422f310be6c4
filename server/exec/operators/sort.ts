/**
 * Sort: buffers its input, then emits it ordered by the sort keys at end of input (stable; NULLs
 * last ascending and first descending unless told otherwise, as PostgreSQL). Order means nothing to
 * a continuous query's state: at its first barrier Sort emits what it holds and from then on passes
 * changes through unchanged. (Limit over Sort, TopN, stays batch-only.)
 * So its only state across barriers is that switch: a checkpoint holds just META = [passing through],
 * and a restored Sort must not buffer again (it would drop retractions of rows emitted before).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import { compareDatums } from '../../plan/type-runtime.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { META_KEY, decodeStateValue, encodeStateValue, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';
import { SqlError, SQLSTATE } from '../../errors.js';

export interface CompiledSortKey {
  readonly eval: ColumnEvaluator;
  readonly type: SqlType;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** Compares two key tuples under `keys`. */
export function compareKeys(a: readonly Datum[], b: readonly Datum[], keys: readonly Omit<CompiledSortKey, 'eval'>[]): number {
  for (let k = 0; k < keys.length; k++) {
    const x = a[k]!, y = b[k]!;
    const key = keys[k]!;
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === key.nullsFirst ? -1 : 1;
    }
    const c = compareDatums(x, y, key.type);
    if (c !== 0) return key.desc ? -c : c;
  }
  return 0;
}

export class SortOperator extends UnaryOperator implements StatefulOperator {
  private readonly rows: Row[] = [];
  private readonly sortKeys: Datum[][] = [];

  constructor(out: Downstream, private readonly keys: readonly CompiledSortKey[], private readonly env: ExprEnv, private readonly width: number) {
    super('Sort', out);
  }

  private passThrough = false;

  protected onChunk(input: ChangelogChunk): void {
    if (this.passThrough) {
      this.emit(input);
      return;
    }
    const chunk = input.compact();
    const keyCols = this.keys.map((k) => k.eval(chunk.columns, chunk.length, this.env));
    for (let i = 0; i < chunk.length; i++) {
      if (chunk.ops[i] !== Op.Insert && chunk.ops[i] !== Op.UpdateAfter) {
        this.retract(chunk.row(i));
        continue;
      }
      this.rows.push(chunk.row(i));
      this.sortKeys.push(keyCols.map((c) => c[i]!));
    }
  }

  private retract(row: Row): void {
    const at = this.rows.findIndex((r) => r.every((v, c) => v === row[c] || (v !== null && row[c] !== null && String(v) === String(row[c]))));
    if (at >= 0) {
      this.rows.splice(at, 1);
      this.sortKeys.splice(at, 1);
    }
  }

  /** Rows buffered until the first barrier (freshet_watermarks.state_rows). */
  stateRows(): number {
    return this.rows.length;
  }

  snapshotState(_full: boolean): StateDelta {
    if (this.rows.length > 0) throw new SqlError(SQLSTATE.internalError, 'Sort snapshot taken before its first barrier');
    return { upserts: [{ key: META_KEY, value: encodeStateValue([this.passThrough ? 1 : 0]) }], deletes: [] };
  }

  restoreState(entries: Iterable<StateEntry>): void {
    for (const { key, value } of entries) {
      if (key !== META_KEY) throw new SqlError(SQLSTATE.internalError, 'Sort checkpoint holds an entry other than META');
      this.passThrough = decodeStateValue(value)[0] === 1;
    }
  }

  protected override onBarrier(): void {
    if (this.passThrough) return;
    this.passThrough = true;
    this.emitSorted();
    this.rows.length = 0;
    this.sortKeys.length = 0;
  }

  protected override onEnd(): void {
    if (!this.passThrough) this.emitSorted();
  }

  private emitSorted(): void {
    const order = this.rows.map((_, i) => i);
    order.sort((a, b) => compareKeys(this.sortKeys[a]!, this.sortKeys[b]!, this.keys) || a - b);
    const CHUNK = 1024;
    let b = new ChunkBuilder(this.width, CHUNK);
    for (const i of order) {
      b.append(Op.Insert, this.rows[i]!);
      if (b.length >= CHUNK) {
        this.emit(b.build());
        b = new ChunkBuilder(this.width, CHUNK);
      }
    }
    this.emit(b.build());
  }
}
