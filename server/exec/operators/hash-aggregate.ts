/**
 * HashAggregate: groups rows by the group-by expressions (once per grouping set) and feeds each
 * group's accumulators with the row's sign, so retractions are applied too. This batch form emits
 * every group at end of input (a grouped query over no rows gives nothing; an ungrouped one gives
 * one row). The incremental form (emit changed groups per barrier) builds on the same state.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, opSign } from '../../dynamic-table/changelog-op.js';
import type { Datum } from '../../types/datum.js';
import type { AggregateNode } from '../../plan/logical/aggregate.js';
import { createAccumulator, type Accumulator } from '../aggregate/accumulators.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { keyOf } from '../row-key.js';
import { UnaryOperator, type Downstream } from './operator.js';

interface Group {
  readonly keys: Datum[];
  readonly accumulators: Accumulator[];
  rows: number;
}

interface CompiledAggregate {
  readonly args: readonly ColumnEvaluator[];
  readonly filter: ColumnEvaluator | undefined;
  readonly order: readonly ColumnEvaluator[];
}

export class HashAggregateOperator extends UnaryOperator {
  private readonly groups = new Map<string, Group>();
  private readonly groupExprs: readonly ColumnEvaluator[];
  private readonly aggs: readonly CompiledAggregate[];
  private readonly sets: readonly (readonly number[])[];

  constructor(out: Downstream, private readonly plan: AggregateNode, private readonly env: ExprEnv) {
    super('HashAggregate', out);
    this.groupExprs = plan.groupExprs.map(compileExpr);
    this.aggs = plan.aggregates.map((a) => ({
      args: a.args.map(compileExpr),
      filter: a.filter ? compileExpr(a.filter) : undefined,
      order: a.orderBy.map((k) => compileExpr(k.expr)),
    }));
    this.sets = plan.groupingSets ?? [plan.groupExprs.map((_, i) => i)];
  }

  private newGroup(keys: Datum[]): Group {
    return { keys, accumulators: this.plan.aggregates.map(createAccumulator), rows: 0 };
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
    for (let i = 0; i < n; i++) {
      const sign = opSign(chunk.ops[i] as Op);
      for (let s = 0; s < this.sets.length; s++) {
        const set = this.sets[s]!;
        const keys: Datum[] = new Array<Datum>(width).fill(null);
        for (const k of set) keys[k] = keyCols[k]![i]!;
        const key = `${s}#${keyOf(keys)}`;
        let g = this.groups.get(key);
        if (!g) {
          g = this.newGroup(keys);
          this.groups.set(key, g);
        }
        g.rows += sign;
        for (let a = 0; a < this.aggs.length; a++) {
          const f = filterCols[a];
          if (f && f[i] !== true) continue;
          const args = argCols[a]!.map((c) => c[i]!);
          const order = orderCols[a]!.length > 0 ? orderCols[a]!.map((c) => c[i]!) : undefined;
          g.accumulators[a]!.add(args, sign, order);
        }
        if (g.rows <= 0) this.groups.delete(key);
      }
    }
  }

  protected override onEnd(): void {
    const width = this.plan.schema.length;
    const b = new ChunkBuilder(width, Math.max(1, this.groups.size));
    if (this.groups.size === 0) {
      // No input rows: one row for each empty grouping set (the whole-table aggregate).
      for (const set of this.sets) {
        if (set.length > 0) continue;
        const g = this.newGroup(new Array<Datum>(this.groupExprs.length).fill(null));
        b.append(Op.Insert, [...g.keys, ...g.accumulators.map((a) => a.result())]);
      }
    }
    for (const g of this.groups.values()) b.append(Op.Insert, [...g.keys, ...g.accumulators.map((a) => a.result())]);
    this.emit(b.build());
  }
}
