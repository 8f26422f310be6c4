/**
 * Window: buffers its input, then per window call partitions the rows, orders each partition and
 * computes ranking functions, offsets (lag/lead), frame values and aggregates over the frame
 * (default frame: from the partition start to the current row's last peer). Emits every input row
 * with the results appended, ordered by the last call's partition and order keys. In a continuous
 * query it keeps its input multiset and, at each barrier after a change, recomputes the output and
 * emits the difference from what it emitted before (deletions, then insertions): exact for every
 * window function. When every call has the same PARTITION BY, the state is kept per partition and
 * only the partitions changed since the last barrier are recomputed (top-N-per-group and
 * deduplication patterns then cost in proportion to the partitions they touch).
 * Checkpoints: one entry per shard, key `p` + shard key, value [shard key, rows, then per call its
 * evaluated partition, order and argument lists]; what it emitted is recomputed from them on restore
 * (a shard's output is a function of its rows in their order, and every shard was diffed at its barrier).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import type { WindowNode } from '../../plan/logical/window.js';
import type { WindowBound, WindowCall } from '../../plan/logical/window-call.js';
import { createAccumulator } from '../aggregate/accumulators.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { exactKeyOf, keyOf } from '../row-key.js';
import { exprKey } from '../../plan/bound/expr.js';
import { compareKeys } from './sort.js';
import { UnaryOperator, type Downstream } from './operator.js';
import { snapshotUnits, restoreUnits, checkStateShape, DirtyKeys, META_KEY, encodeStateValue, type StateDelta, type StateEntry, type StatefulOperator } from './operator-state.js';

interface CallInputs {
  partition: Datum[][];
  order: Datum[][];
  args: Datum[][];
}

/**
 * The rows of one shard (a partition shared by every call, or everything), each call's evaluated
 * inputs by row index, and, in a continuous query, what was last emitted for them.
 */
class Shard {
  readonly rows: Row[] = [];
  readonly inputs: CallInputs[];
  /** What the operator emitted so far for this shard, as row key -> rows (a multiset). */
  emitted = new Map<string, Row[]>();
  constructor(readonly key: string, calls: number) {
    this.inputs = Array.from({ length: calls }, () => ({ partition: [], order: [], args: [] }));
  }
}

export class WindowOperator extends UnaryOperator implements StatefulOperator {
  private readonly compiled;
  private readonly shards = new Map<string, Shard>();
  /** Shards changed since the last barrier. */
  private readonly touched = new Set<Shard>();
  /** Shard keys changed since the last snapshot (marked at the barrier). */
  private readonly changed = new DirtyKeys<string>();
  /** Shard by the first call's partition: every call partitions the same way (continuous queries only). */
  private readonly sharded: boolean;

  constructor(out: Downstream, private readonly plan: WindowNode, private readonly env: ExprEnv, continuous = false) {
    super('Window', out);
    this.compiled = plan.calls.map((c) => ({
      partition: c.partitionBy.map(compileExpr),
      order: c.orderBy.map((k) => compileExpr(k.expr)),
      args: (c.aggregate ? c.aggregate.args : c.args).map(compileExpr),
    }));
    const partitionOf = (c: WindowCall) => c.partitionBy.map(exprKey).join(',');
    this.sharded = continuous && plan.calls.length > 0 && plan.calls[0]!.partitionBy.length > 0 && plan.calls.every((c) => partitionOf(c) === partitionOf(plan.calls[0]!));
  }

  private shardFor(key: string): Shard {
    let shard = this.shards.get(key);
    if (!shard) this.shards.set(key, (shard = new Shard(key, this.plan.calls.length)));
    return shard;
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const n = chunk.length;
    const evaluated = this.compiled.map((c) => {
      const cols = (fs: readonly ColumnEvaluator[]) => fs.map((f) => f(chunk.columns, n, this.env));
      return { p: cols(c.partition), o: cols(c.order), a: cols(c.args) };
    });
    for (let i = 0; i < n; i++) {
      const row = chunk.row(i);
      const shardKey = this.sharded ? keyOf(evaluated[0]!.p.map((col) => col[i]!)) : '';
      const shard = this.shardFor(shardKey);
      this.touched.add(shard);
      if (chunk.ops[i] === Op.Insert || chunk.ops[i] === Op.UpdateAfter) {
        shard.rows.push(row);
        evaluated.forEach((e, k) => {
          const dst = shard.inputs[k]!;
          dst.partition.push(e.p.map((col) => col[i]!));
          dst.order.push(e.o.map((col) => col[i]!));
          dst.args.push(e.a.map((col) => col[i]!));
        });
        continue;
      }
      // A retraction removes one equal row (and its evaluated inputs); swap-remove keeps it O(1).
      const key = exactKeyOf(row);
      const at = shard.rows.findIndex((r) => exactKeyOf(r) === key);
      if (at < 0) throw new SqlError(SQLSTATE.internalError, 'Window lost track of a row (retraction of a row it does not hold)');
      const last = shard.rows.length - 1;
      shard.rows[at] = shard.rows[last]!;
      shard.rows.pop();
      for (const dst of shard.inputs) {
        for (const list of [dst.partition, dst.order, dst.args]) {
          list[at] = list[last]!;
          list.pop();
        }
      }
    }
  }

  protected override onBarrier(): void {
    if (this.touched.size === 0) return;
    const width = this.plan.schema.length;
    const deletes = new ChunkBuilder(width);
    const inserts = new ChunkBuilder(width);
    for (const shard of this.touched) {
      this.changed.mark(shard.key);
      this.diffShard(shard, deletes, inserts);
    }
    this.touched.clear();
    this.emit(deletes.build());
    this.emit(inserts.build());
  }

  /** Rows held (freshet_watermarks.state_rows). */
  stateRows(): number {
    let n = 0;
    for (const shard of this.shards.values()) n += shard.rows.length;
    return n;
  }

  snapshotState(full: boolean): StateDelta {
    if (this.touched.size > 0) throw new SqlError(SQLSTATE.internalError, 'Window snapshot taken in the middle of an epoch');
    const delta: StateDelta = { upserts: [], deletes: [] };
    snapshotUnits(this.shards, this.changed, full, (key) => 'p' + key, (shard) => {
      const values: Datum[] = [shard.key, shard.rows];
      for (const inp of shard.inputs) values.push(inp.partition, inp.order, inp.args);
      return encodeStateValue(values);
    }, delta);
    delta.upserts.push({ key: META_KEY, value: encodeStateValue(this.shape()) });
    return delta;
  }

  restoreState(stored: Iterable<StateEntry>): void {
    // No entries at all: nothing was checkpointed for it, so it starts fresh.
    const entries = [...stored];
    if (entries.length === 0) return;
    this.shards.clear();
    this.touched.clear();
    const meta = restoreUnits(entries, (values) => {
      const shard = new Shard(values[0] as string, this.plan.calls.length);
      for (const row of values[1] as Row[]) shard.rows.push(row);
      shard.inputs.forEach((inp, k) => {
        inp.partition = values[2 + 3 * k] as Datum[][];
        inp.order = values[3 + 3 * k] as Datum[][];
        inp.args = values[4 + 3 * k] as Datum[][];
      });
      // What the shard emitted at its last barrier: its output then, from the same rows in the same order.
      shard.emitted = this.outputByKey(shard);
      this.shards.set(shard.key, shard);
    });
    checkStateShape('Window', meta, this.shape(), true);
    this.changed.clear();
  }

  /** What a checkpoint must agree on with the operator restoring it. */
  private shape(): Datum[] {
    return [this.sharded ? 1 : 0, this.plan.calls.length, this.plan.schema.length];
  }

  /** The shard's output rows as a multiset: exact row key -> rows, in output order. */
  private outputByKey(shard: Shard): Map<string, Row[]> {
    const byKey = new Map<string, Row[]>();
    for (const row of this.compute(shard)) {
      const k = exactKeyOf(row);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    return byKey;
  }

  /** Recomputes one shard and appends the difference from what it emitted before. */
  private diffShard(shard: Shard, deletes: ChunkBuilder, inserts: ChunkBuilder): void {
    const next = this.outputByKey(shard);
    for (const [k, rows] of shard.emitted) {
      const keep = next.get(k)?.length ?? 0;
      for (let i = keep; i < rows.length; i++) deletes.append(Op.Delete, rows[i]!);
    }
    for (const [k, rows] of next) {
      const had = shard.emitted.get(k)?.length ?? 0;
      for (let i = had; i < rows.length; i++) inserts.append(Op.Insert, rows[i]!);
    }
    shard.emitted = next;
    if (shard.rows.length === 0) this.shards.delete(shard.key);
  }

  /** Row indexes grouped by partition, each partition sorted by the call's order keys. */
  private partitions(call: WindowCall, inp: CallInputs, count: number): number[][] {
    const parts = new Map<string, number[]>();
    for (let i = 0; i < count; i++) {
      const k = keyOf(inp.partition[i]!);
      const list = parts.get(k);
      if (list) list.push(i);
      else parts.set(k, [i]);
    }
    const keys = call.orderBy.map((k) => ({ type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
    const partKeys = call.partitionBy.map((e) => ({ type: e.type, desc: false, nullsFirst: false }));
    const result = [...parts.values()];
    for (const p of result) p.sort((a, b) => compareKeys(inp.order[a]!, inp.order[b]!, keys) || a - b);
    result.sort((a, b) => compareKeys(inp.partition[a[0]!]!, inp.partition[b[0]!]!, partKeys));
    return result;
  }

  protected override onEnd(): void {
    const width = this.plan.schema.length;
    const out = this.compute(this.shardFor(''));
    const b = new ChunkBuilder(width, out.length);
    for (const row of out) b.append(Op.Insert, row);
    this.emit(b.build());
  }

  /** The shard's rows with their window results, ordered by the last call's partition and order keys. */
  private compute(shard: Shard): Row[] {
    const rows = shard.rows;
    const results: Datum[][] = this.plan.calls.map(() => new Array<Datum>(rows.length).fill(null));
    let finalOrder: number[] = rows.map((_, i) => i);
    this.plan.calls.forEach((call, k) => {
      const inp = shard.inputs[k]!;
      const parts = this.partitions(call, inp, rows.length);
      for (const part of parts) this.computePartition(call, inp, part, results[k]!);
      finalOrder = parts.flat();
    });
    return finalOrder.map((i) => [...rows[i]!, ...results.map((r) => r[i]!)]);
  }

  private computePartition(call: WindowCall, inp: CallInputs, part: readonly number[], out: Datum[]): void {
    const n = part.length;
    const keys = call.orderBy.map((k) => ({ type: k.expr.type, desc: k.desc, nullsFirst: k.nullsFirst }));
    // Peer groups: rows with equal order keys (all rows are peers without ORDER BY).
    const peerStart = new Array<number>(n), peerEnd = new Array<number>(n), groupIndex = new Array<number>(n);
    let g = 0;
    for (let i = 0; i < n; ) {
      let j = i;
      while (j + 1 < n && compareKeys(inp.order[part[i]!]!, inp.order[part[j + 1]!]!, keys) === 0) j++;
      for (let x = i; x <= j; x++) { peerStart[x] = i; peerEnd[x] = j; groupIndex[x] = g; }
      g++;
      i = j + 1;
    }
    const arg = (pos: number, a: number) => inp.args[part[pos]!]![a] ?? null;
    switch (call.name) {
      case 'row_number': for (let i = 0; i < n; i++) out[part[i]!] = BigInt(i + 1); return;
      case 'rank': for (let i = 0; i < n; i++) out[part[i]!] = BigInt(peerStart[i]! + 1); return;
      case 'dense_rank': for (let i = 0; i < n; i++) out[part[i]!] = BigInt(groupIndex[i]! + 1); return;
      case 'percent_rank': for (let i = 0; i < n; i++) out[part[i]!] = n > 1 ? peerStart[i]! / (n - 1) : 0; return;
      case 'cume_dist': for (let i = 0; i < n; i++) out[part[i]!] = (peerEnd[i]! + 1) / n; return;
      case 'ntile': {
        for (let i = 0; i < n; i++) {
          const buckets = arg(i, 0) as number | null;
          if (buckets === null) { out[part[i]!] = null; continue; }
          if (buckets <= 0) throw new SqlError(SQLSTATE.invalidParameterValue.replace('22023', '22014'), 'argument of ntile must be greater than zero');
          const size = Math.floor(n / buckets), extra = n % buckets;
          const big = extra * (size + 1);
          out[part[i]!] = i < big ? Math.floor(i / (size + 1)) + 1 : extra + Math.floor((i - big) / Math.max(size, 1)) + 1;
        }
        return;
      }
      case 'lag': case 'lead': {
        for (let i = 0; i < n; i++) {
          const off = call.args.length > 1 ? (arg(i, 1) as number | null) : 1;
          if (off === null) { out[part[i]!] = null; continue; }
          const j = call.name === 'lag' ? i - off : i + off;
          out[part[i]!] = j >= 0 && j < n ? arg(j, 0) : call.args.length > 2 ? arg(i, 2) : null;
        }
        return;
      }
      default: break;
    }
    // Frame-based functions.
    for (let i = 0; i < n; i++) {
      const [start, end] = this.frame(call, i, n, peerStart, peerEnd, groupIndex);
      const target = part[i]!;
      switch (call.name) {
        case 'first_value': out[target] = start <= end ? arg(start, 0) : null; break;
        case 'last_value': out[target] = start <= end ? arg(end, 0) : null; break;
        case 'nth_value': {
          const nth = arg(i, 1) as number | null;
          if (nth !== null && nth <= 0) throw new SqlError('22016', 'argument of nth_value must be greater than zero');
          out[target] = nth === null || start + nth - 1 > end ? null : arg(start + nth - 1, 0);
          break;
        }
        default: {
          const agg = call.aggregate;
          if (!agg) throw new SqlError(SQLSTATE.featureNotSupported, `window function ${call.name} is not supported`);
          const acc = createAccumulator(agg);
          for (let j = start; j <= end; j++) acc.add(inp.args[part[j]!]!, 1, undefined);
          out[target] = acc.result();
        }
      }
    }
  }

  /** The frame [start, end] (positions in the partition) of row i; start > end when empty. */
  private frame(call: WindowCall, i: number, n: number, peerStart: number[], peerEnd: number[], group: number[]): [number, number] {
    const f = call.frame;
    if (!f) return call.orderBy.length === 0 ? [0, n - 1] : [0, peerEnd[i]!];
    const bound = (b: WindowBound, isStart: boolean): number => {
      switch (b.kind) {
        case 'unboundedPreceding': return 0;
        case 'unboundedFollowing': return n - 1;
        case 'currentRow':
          if (f.units === 'rows') return i;
          return isStart ? peerStart[i]! : peerEnd[i]!;
        case 'preceding': case 'following': {
          const off = b.kind === 'preceding' ? -b.offset : b.offset;
          if (f.units === 'rows') return i + off;
          if (f.units === 'groups') {
            const target = group[i]! + off;
            if (isStart) { const x = group.findIndex((gg) => gg >= target); return x < 0 ? n : x; }
            let last = -1;
            for (let x = 0; x < n; x++) if (group[x]! <= target) last = x;
            return last;
          }
          throw new SqlError(SQLSTATE.featureNotSupported, 'RANGE with offset frames is not supported yet');
        }
        default: { const never: never = b; return never; }
      }
    };
    return [Math.max(0, bound(f.start, true)), Math.min(n - 1, bound(f.end, false))];
  }
}
