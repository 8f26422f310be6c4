/**
 * ProjectSet: expands each input row by the select list's set-returning functions; row k of the
 * output for an input row holds the input columns then the k-th row of every function (NULL once a
 * function has run out). A retracted input row retracts its expansion (update pairs become
 * Delete + Insert, since one input row may expand to any number of rows).
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum } from '../../types/datum.js';
import type { ProjectSetNode } from '../../plan/logical/project-set.js';
import { compileExpr, type ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { tableFunctionRows } from '../table-functions.js';
import { UnaryOperator, unpairedOp, type Downstream } from './operator.js';

export class ProjectSetOperator extends UnaryOperator {
  private readonly args: readonly (readonly ColumnEvaluator[])[];
  private readonly types;

  constructor(out: Downstream, private readonly plan: ProjectSetNode, private readonly env: ExprEnv) {
    super('ProjectSet', out);
    this.args = plan.calls.map((c) => c.args.map(compileExpr));
    let at = plan.input.schema.length;
    this.types = plan.calls.map((c) => {
      const t = plan.schema.slice(at, at + c.width).map((col) => col.type);
      at += c.width;
      return t;
    });
  }

  /** Output columns are the set functions' values, not the input's: no watermark carries over. */
  protected override onWatermark(): void {}

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const n = chunk.length;
    const argCols = this.args.map((fs) => fs.map((f) => f(chunk.columns, n, this.env)));
    const b = new ChunkBuilder(this.plan.schema.length, n);
    for (let i = 0; i < n; i++) {
      const results = this.plan.calls.map((c, k) => [...tableFunctionRows(c.name, argCols[k]!.map((col) => col[i]!), this.types[k]!)]);
      const rows = Math.max(0, ...results.map((r) => r.length));
      const base = chunk.row(i);
      for (let r = 0; r < rows; r++) {
        const row: Datum[] = [...base];
        this.plan.calls.forEach((c, k) => {
          const got = results[k]![r];
          for (let f = 0; f < c.width; f++) row.push(got ? got[f] ?? null : null);
        });
        b.append(unpairedOp(chunk.ops[i] as Op), row);
      }
    }
    this.emit(b.build());
  }
}
