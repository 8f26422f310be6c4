/**
 * Apply (LATERAL join): evaluates the correlation arguments over each left chunk, runs the right
 * plan per left row through the subplan runner (memoized per argument values), and emits the
 * joined rows, NULL-padded for a LEFT apply. Left-row retractions pass through (update pairs as
 * Delete + Insert, since one left row may join any number of rows).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum } from '../../types/datum.js';
import type { ApplyNode } from '../../plan/logical/apply.js';
import { compileExpr, evaluateOnRow, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { UnaryOperator, unpairedOp, type Downstream } from './operator.js';

export class ApplyOperator extends UnaryOperator {
  private readonly args: readonly ColumnEvaluator[];
  private readonly condition: ColumnEvaluator | undefined;

  constructor(out: Downstream, private readonly node: ApplyNode, private readonly env: ExprEnv) {
    super(`Apply ${node.joinType}`, out);
    this.args = node.args.map(compileExpr);
    this.condition = node.condition ? compileExpr(node.condition) : undefined;
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const n = chunk.length;
    const argCols = this.args.map((f) => f(chunk.columns, n, this.env));
    const width = this.node.schema.length;
    const rightWidth = this.node.right.schema.length;
    const b = new ChunkBuilder(width, n);
    for (let i = 0; i < n; i++) {
      const left = chunk.row(i);
      const outer = argCols.map((c) => c[i]!);
      let matched = false;
      for (const r of this.env.subplans.run(this.node.right, outer, undefined)) {
        const row: Datum[] = [...left, ...r];
        if (this.condition && evaluateOnRow(this.condition, row, this.env) !== true) continue;
        matched = true;
        b.append(unpairedOp(chunk.ops[i] as Op), row);
      }
      if (!matched && this.node.joinType === 'left') b.append(unpairedOp(chunk.ops[i] as Op), [...left, ...new Array<Datum>(rightWidth).fill(null)]);
    }
    this.emit(b.build());
  }
}
