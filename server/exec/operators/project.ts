/**
 * Project: computes one output column per compiled expression; ops (and update pairs) are kept.
 * A watermark follows its column to every output position that passes the column through unchanged.
 */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages, type WatermarkMessage } from '../../dynamic-table/message.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class ProjectOperator extends UnaryOperator {
  /**
   * @param passThrough per output column, the input column it copies unchanged (a bare column
   *   reference), or undefined; watermarks of other input columns are dropped.
   */
  constructor(
    out: Downstream,
    private readonly exprs: readonly ColumnEvaluator[],
    private readonly env: ExprEnv,
    private readonly passThrough: readonly (number | undefined)[] = [],
  ) {
    super('Project', out);
  }

  protected override onWatermark(msg: WatermarkMessage): void {
    for (let j = 0; j < this.passThrough.length; j++) {
      if (this.passThrough[j] === msg.column) this.out.push(Messages.watermark(j, msg.time, msg.idle));
    }
  }

  protected onChunk(input: ChangelogChunk): void {
    const chunk = input.compact();
    const columns = this.exprs.map((f) => f(chunk.columns, chunk.length, this.env));
    this.emit(new ChangelogChunk(chunk.ops, columns, chunk.length));
  }
}
