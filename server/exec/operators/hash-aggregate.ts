/**
 * HashAggregate: groups rows by the group-by expressions (once per grouping set) and feeds each
 * group's accumulators with the row's sign, so retractions are applied too. A batch run emits every
 * group at end of input (a grouped query over no rows gives nothing; an ungrouped one gives one row).
 * A continuous one emits, at each barrier, the change of every group touched since the last one:
 * Insert for a new group, an UpdateBefore/UpdateAfter pair for a changed row, Delete for an emptied
 * group; a whole-table (empty) grouping set always holds exactly one row.
 *
 * Watermarks on an input column that is a group key (a window's start or end, a time column) close
 * the groups below them: no later change can reach them. Normally the closed groups' state is
 * dropped after the barrier has emitted their last change (state stays bounded on an endless
 * stream); with EMIT ON WINDOW CLOSE nothing is emitted at barriers, and a closed group goes out
 * once, as an Insert, when the watermark passes it (an append-only output). Rows that arrive for a
 * closed group are dropped and counted as late. The watermark moves on to the key's output column.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import type { Datum, Row } from '../../types/datum.js';
import type { AggregateNode } from '../../plan/logical/aggregate.js';
import { createAccumulator, type Accumulator } from '../aggregate/accumulators.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import { hashKeyOfValue, keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';

export interface AggregateOptions {
  /** EMIT ON WINDOW CLOSE: emit each group once, when a watermark on a group key closes it. */
  readonly emitOnWindowClose: boolean;
}
import { sameRow } from './same-row.js';

/** A group's Map key: `${set}#${keyOf(keys)}`, or with one grouping set the key of its values alone (a number for an integer key). */
type GroupKey = number | string;

interface Group {
  readonly key: GroupKey;
  readonly keys: Datum[];
  /** Whole-table group (an empty grouping set): never removed, always one output row. */
  readonly permanent: boolean;
  accumulators: Accumulator[];
  rows: number;
  /** The row downstream holds for this group (continuous mode), if any. */
  emitted: Row | undefined;
  touched: boolean;
}

interface CompiledAggregate {
  readonly args: readonly ColumnEvaluator[];
  readonly filter: ColumnEvaluator | undefined;
  readonly order: readonly ColumnEvaluator[];
}

export class HashAggregateOperator extends UnaryOperator {
  private readonly groups = new Map<GroupKey, Group>();
  private readonly groupExprs: readonly ColumnEvaluator[];
  private readonly aggs: readonly CompiledAggregate[];
  private readonly sets: readonly (readonly number[])[];
  /** Groups changed since the last barrier, in first-touch order. */
  private touched: Group[] = [];
  /** Emptied groups whose row downstream still holds, by key, until the next barrier. */
  private readonly retired = new Map<GroupKey, Group>();
  private sawBarrier = false;
  /** Per input column, the group keys that are that column unchanged (watermarks apply to them). */
  private readonly keysOfColumn = new Map<number, number[]>();
  /** Per group key, the watermark below which its groups are closed. */
  private readonly closedBelow: number[];
  private anyClosed = false;
  /** Watermarks to apply after the next barrier's changes (not EMIT ON WINDOW CLOSE). */
  private pending: WatermarkMessage[] = [];
  private readonly emitOnWindowClose: boolean;

  constructor(out: Downstream, private readonly plan: AggregateNode, private readonly env: ExprEnv, opts: AggregateOptions = { emitOnWindowClose: false }) {
    super('HashAggregate', out);
    this.emitOnWindowClose = opts.emitOnWindowClose;
    this.closedBelow = plan.groupExprs.map(() => -Infinity);
    if (!plan.groupingSets) {
      plan.groupExprs.forEach((e, k) => {
        if (e.kind !== 'column') return;
        const list = this.keysOfColumn.get(e.index);
        if (list) list.push(k);
        else this.keysOfColumn.set(e.index, [k]);
      });
    }
    this.groupExprs = plan.groupExprs.map(compileExpr);
    this.aggs = plan.aggregates.map((a) => ({
      args: a.args.map(compileExpr),
      filter: a.filter ? compileExpr(a.filter) : undefined,
      order: a.orderBy.map((k) => compileExpr(k.expr)),
    }));
    this.sets = plan.groupingSets ?? [plan.groupExprs.map((_, i) => i)];
  }

  /** Groups held (freshet_watermarks.state_rows). */
  stateRows(): number {
    return this.groups.size;
  }

  private newGroup(key: GroupKey, keys: Datum[], permanent: boolean): Group {
    return { key, keys, permanent, accumulators: this.plan.aggregates.map(createAccumulator), rows: 0, emitted: undefined, touched: false };
  }

  /** The group for `key`, created (inheriting a retired group's emitted row) when missing. */
  private groupFor(key: GroupKey, keys: Datum[], permanent: boolean): Group {
    let g = this.groups.get(key);
    if (g) return g;
    g = this.newGroup(key, keys, permanent);
    const old = this.retired.get(key);
    if (old) {
      g.emitted = old.emitted;
      old.emitted = undefined;
      this.retired.delete(key);
    }
    this.groups.set(key, g);
    return g;
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const n = chunk.length;
    const cols = chunk.columns;
    const keyCols = this.groupExprs.map((f) => f(cols, n, this.env));
    const argCols = this.aggs.map((a) => a.args.map((f) => f(cols, n, this.env)));
    const filterCols = this.aggs.map((a) => (a.filter ? a.filter(cols, n, this.env) : undefined));
    const orderCols = this.aggs.map((a) => a.order.map((f) => f(cols, n, this.env)));
    const width = this.groupExprs.length;
    // Plain GROUP BY (one grouping set, at least one key): groups keyed by their values alone.
    const plainKeys = !this.plan.groupingSets && width > 0;
    const scratchKeys = new Array<Datum>(width);
    const argScratch = argCols.map((cols) => new Array<Datum>(cols.length));
    for (let i = 0; i < n; i++) {
      if (this.anyClosed && this.isLate(keyCols, i)) continue;
      const sign = opSign(chunk.ops[i] as Op);
      for (let s = 0; s < this.sets.length; s++) {
        const set = this.sets[s]!;
        let g: Group | undefined;
        if (plainKeys) {
          let key: GroupKey;
          if (width === 1) key = hashKeyOfValue(keyCols[0]![i]!);
          else {
            for (let k = 0; k < width; k++) scratchKeys[k] = keyCols[k]![i]!;
            key = keyOf(scratchKeys);
          }
          g = this.groups.get(key);
          if (!g) {
            const keys = new Array<Datum>(width);
            for (let k = 0; k < width; k++) keys[k] = keyCols[k]![i]!;
            g = this.groupFor(key, keys, false);
          }
        } else {
          const keys: Datum[] = new Array<Datum>(width).fill(null);
          for (const k of set) keys[k] = keyCols[k]![i]!;
          g = this.groupFor(`${s}#${keyOf(keys)}`, keys, set.length === 0);
        }
        if (!g.touched) {
          g.touched = true;
          this.touched.push(g);
        }
        g.rows += sign;
        for (let a = 0; a < this.aggs.length; a++) {
          const f = filterCols[a];
          if (f && f[i] !== true) continue;
          // Accumulators read args during add and copy what they keep, so one array per aggregate serves.
          const cols = argCols[a]!;
          const args = argScratch[a]!;
          for (let c = 0; c < cols.length; c++) args[c] = cols[c]![i]!;
          const order = orderCols[a]!.length > 0 ? orderCols[a]!.map((c) => c[i]!) : undefined;
          g.accumulators[a]!.add(args, sign, order);
        }
        if (g.rows <= 0) this.empty(g);
      }
    }
  }

  /** Whether row i falls in a group a watermark has closed (then it is dropped and counted). */
  private isLate(keyCols: readonly (readonly Datum[])[], i: number): boolean {
    for (let k = 0; k < this.closedBelow.length; k++) {
      const v = keyCols[k]![i];
      if (typeof v === 'number' && v < this.closedBelow[k]!) {
        if (this.env.metrics) this.env.metrics.lateRows++;
        return true;
      }
    }
    return false;
  }

  protected override onWatermark(msg: WatermarkMessage): void {
    const keys = this.keysOfColumn.get(msg.column);
    if (!keys) return;
    if (this.emitOnWindowClose) this.close(keys, msg);
    else this.pending.push(msg);
  }

  /**
   * Closes the groups of `keys` below the watermark: EMIT ON WINDOW CLOSE emits them now; otherwise
   * their last change went out at this barrier and only their state goes. Then the watermark moves
   * on to the keys' output columns.
   */
  private close(keys: readonly number[], msg: WatermarkMessage): void {
    const b = this.emitOnWindowClose ? new ChunkBuilder(this.plan.schema.length, 16) : undefined;
    for (const k of keys) {
      if (msg.time <= this.closedBelow[k]!) continue;
      this.closedBelow[k] = msg.time;
      this.anyClosed = true;
    }
    for (const g of this.groups.values()) {
      if (g.permanent || !this.closedGroup(g)) continue;
      if (b && g.rows > 0) b.append(Op.Insert, this.resultRow(g));
      this.groups.delete(g.key);
    }
    if (b) this.emit(b.build());
    for (const k of keys) this.out.push(Messages.watermark(k, this.closedBelow[k]!, msg.idle));
  }

  private closedGroup(g: Group): boolean {
    for (let k = 0; k < this.closedBelow.length; k++) {
      const v = g.keys[k];
      if (typeof v === 'number' && v < this.closedBelow[k]!) return true;
    }
    return false;
  }

  /** A group left with no rows: drop it, or (whole-table group) start it afresh. */
  private empty(g: Group): void {
    g.rows = 0;
    g.accumulators = this.plan.aggregates.map(createAccumulator);
    if (g.permanent && this.sawBarrier) return;
    this.groups.delete(g.key);
    if (g.emitted) this.retired.set(g.key, g);
  }

  private resultRow(g: Group): Row {
    return [...g.keys, ...g.accumulators.map((a) => a.result())];
  }

  protected override onBarrier(): void {
    if (!this.sawBarrier) {
      this.sawBarrier = true;
      // Whole-table groups hold a row from the first barrier on, even over no input.
      for (let s = 0; s < this.sets.length; s++) {
        if (this.sets[s]!.length > 0) continue;
        const keys = new Array<Datum>(this.groupExprs.length).fill(null);
        const g = this.groupFor(`${s}#${keyOf(keys)}`, keys, true);
        if (!g.touched) {
          g.touched = true;
          this.touched.push(g);
        }
      }
    }
    if (this.emitOnWindowClose) {
      // Nothing goes out before its window closes; the touched list only matters for emission.
      for (const g of this.touched) g.touched = false;
      this.touched = [];
      this.retired.clear();
      return;
    }
    this.emitChanges();
    const pending = this.pending;
    this.pending = [];
    for (const msg of pending) this.close(this.keysOfColumn.get(msg.column)!, msg);
  }

  private emitChanges(): void {
    const b = new ChunkBuilder(this.plan.schema.length, Math.max(16, this.touched.length));
    for (const g of this.touched) {
      g.touched = false;
      if (g.rows <= 0 && !g.permanent) {
        if (g.emitted) b.append(Op.Delete, g.emitted);
        g.emitted = undefined;
        continue;
      }
      const row = this.resultRow(g);
      if (!g.emitted) b.append(Op.Insert, row);
      else if (!sameRow(g.emitted, row)) {
        b.append(Op.UpdateBefore, g.emitted);
        b.append(Op.UpdateAfter, row);
      }
      g.emitted = row;
    }
    this.touched = [];
    this.retired.clear();
    this.emit(b.build());
  }

  protected override onEnd(): void {
    if (this.sawBarrier) {
      this.emitChanges();
      return;
    }
    const width = this.plan.schema.length;
    const b = new ChunkBuilder(width, Math.max(1, this.groups.size));
    if (this.groups.size === 0) {
      // No input rows: one row for each empty grouping set (the whole-table aggregate).
      for (const set of this.sets) {
        if (set.length > 0) continue;
        const g = this.newGroup('', new Array<Datum>(this.groupExprs.length).fill(null), true);
        b.append(Op.Insert, this.resultRow(g));
      }
    }
    for (const g of this.groups.values()) b.append(Op.Insert, this.resultRow(g));
    this.emit(b.build());
  }
}
