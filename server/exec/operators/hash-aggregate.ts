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
 *
 * Checkpoints (StatefulOperator): one entry per group (its keys, row count, accumulators' states and
 * the row it holds downstream), groups changed since the last snapshot marked at each barrier, and
 * operator-wide progress (closed bounds, first barrier seen) under META_KEY.
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
import { decodeStateValue, DirtyKeys, encodeStateValue, META_KEY, type StatefulOperator, type StateDelta, type StateEntry, type StateKey } from './operator-state.js';

export interface AggregateOptions {
  /** EMIT ON WINDOW CLOSE: emit each group once, when a watermark on a group key closes it. */
  readonly emitOnWindowClose: boolean;
}
import { sameRow } from './same-row.js';

/** A group's Map key: `${set}#${keyOf(keys)}`, or with one grouping set the key of its values alone (a number for an integer key). */
type GroupKey = number | string;

interface Group {
  readonly key: GroupKey;
  /** Index of its grouping set. */
  readonly set: number;
  /** Creation order: the groups Map's iteration order (EMIT ON WINDOW CLOSE emits closed groups in it). */
  readonly seq: number;
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

/** A group's state key: its Map key, with a prefix telling number keys from string keys (never META_KEY). */
const groupStateKey = (key: GroupKey): string => (typeof key === 'number' ? `i${key}` : `s${key}`);

export class HashAggregateOperator extends UnaryOperator implements StatefulOperator {
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
  /** The next group's `seq`. */
  private nextSeq = 0;
  /** Groups changed or removed since the last snapshot (marked at barriers and when groups close). */
  private readonly dirty = new DirtyKeys<GroupKey>();

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

  private newGroup(key: GroupKey, set: number, keys: Datum[], permanent: boolean): Group {
    return { key, set, seq: this.nextSeq++, keys, permanent, accumulators: this.plan.aggregates.map(createAccumulator), rows: 0, emitted: undefined, touched: false };
  }

  /** The group for `key`, created (inheriting a retired group's emitted row) when missing. */
  private groupFor(key: GroupKey, set: number, keys: Datum[], permanent: boolean): Group {
    let g = this.groups.get(key);
    if (g) return g;
    g = this.newGroup(key, set, keys, permanent);
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
            g = this.groupFor(key, 0, keys, false);
          }
        } else {
          const keys: Datum[] = new Array<Datum>(width).fill(null);
          for (const k of set) keys[k] = keyCols[k]![i]!;
          g = this.groupFor(`${s}#${keyOf(keys)}`, s, keys, set.length === 0);
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
      this.dirty.mark(g.key);
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
        const g = this.groupFor(`${s}#${keyOf(keys)}`, s, keys, true);
        if (!g.touched) {
          g.touched = true;
          this.touched.push(g);
        }
      }
    }
    if (this.emitOnWindowClose) {
      // Nothing goes out before its window closes; the touched list only matters for emission.
      for (const g of this.touched) {
        g.touched = false;
        this.dirty.mark(g.key);
      }
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
      this.dirty.mark(g.key);
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
        const g = this.newGroup('', 0, new Array<Datum>(this.groupExprs.length).fill(null), true);
        b.append(Op.Insert, this.resultRow(g));
      }
    }
    for (const g of this.groups.values()) b.append(Op.Insert, this.resultRow(g));
    this.emit(b.build());
  }

  /**
   * Groups changed since the last snapshot (all with `full`) and the operator-wide META entry. Between
   * epochs nothing is pending: the barrier emitted every touched group, forgot retired ones and
   * applied queued watermarks (META carries the queue all the same).
   */
  snapshotState(full: boolean): StateDelta {
    if (this.touched.length > 0 || this.retired.size > 0) throw new Error('HashAggregate: snapshot taken before the barrier emitted its changes');
    const upserts: StateEntry[] = [this.metaEntry()];
    const deletes: StateKey[] = [];
    const changed = this.dirty.take();
    if (full) {
      for (const g of this.groups.values()) upserts.push(this.groupEntry(g));
    } else {
      for (const key of changed) {
        const g = this.groups.get(key);
        if (g) upserts.push(this.groupEntry(g));
        else deletes.push(groupStateKey(key));
      }
    }
    return { upserts, deletes };
  }

  restoreState(entries: Iterable<StateEntry>): void {
    const restored: Group[] = [];
    for (const entry of entries) {
      const v = decodeStateValue(entry.value);
      if (entry.key === META_KEY) this.loadMeta(v);
      else restored.push(this.loadGroup(v));
    }
    // The Map iterates in creation order, as the snapshotted one did.
    restored.sort((a, b) => a.seq - b.seq);
    for (const g of restored) this.groups.set(g.key, g);
    this.dirty.clear();
  }

  /** [sawBarrier, anyClosed, next seq, [closedBelow per key], [column, time, idle, ...] queued watermarks]. */
  private metaEntry(): StateEntry {
    const pending: Datum[] = [];
    for (const w of this.pending) pending.push(w.column, w.time, w.idle);
    const meta: Datum[] = [this.sawBarrier, this.anyClosed, this.nextSeq, [...this.closedBelow], pending];
    return { key: META_KEY, value: encodeStateValue(meta) };
  }

  private loadMeta(meta: readonly Datum[]): void {
    this.sawBarrier = meta[0] as boolean;
    this.anyClosed = meta[1] as boolean;
    this.nextSeq = meta[2] as number;
    const closed = meta[3] as number[];
    for (let k = 0; k < this.closedBelow.length; k++) this.closedBelow[k] = closed[k]!;
    const pending = meta[4] as Datum[];
    this.pending = [];
    for (let i = 0; i < pending.length; i += 3) this.pending.push(Messages.watermark(pending[i] as number, pending[i + 1] as number, pending[i + 2] as boolean));
  }

  /** [map key, grouping set, seq, permanent, rows, keys, [accumulator state, ...], emitted row or NULL]. */
  private groupEntry(g: Group): StateEntry {
    const accs: Datum[] = g.accumulators.map((a) => a.save());
    const value: Datum[] = [g.key, g.set, g.seq, g.permanent, g.rows, g.keys, accs, g.emitted ?? null];
    return { key: groupStateKey(g.key), value: encodeStateValue(value) };
  }

  private loadGroup(v: readonly Datum[]): Group {
    const accs = v[6] as Datum[][];
    const accumulators = this.plan.aggregates.map((call, a) => {
      const acc = createAccumulator(call);
      acc.load(accs[a]!);
      return acc;
    });
    const g: Group = {
      key: v[0] as GroupKey,
      set: v[1] as number,
      seq: v[2] as number,
      permanent: v[3] as boolean,
      rows: v[4] as number,
      keys: v[5] as Datum[],
      accumulators,
      emitted: (v[7] as Row | null) ?? undefined,
      touched: false,
    };
    return g;
  }
}
