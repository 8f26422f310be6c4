/** Values: evaluates literal rows (constants, params, uncorrelated subplans) into one chunk. */
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { Datum } from '../../types/datum.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import type { Downstream } from './operator.js';
import type { Source } from './source.js';

export class ValuesSource implements Source {
  readonly name = 'Values';
  constructor(
    private readonly out: Downstream,
    private readonly width: number,
    private readonly rows: readonly (readonly ColumnEvaluator[])[],
    private readonly env: ExprEnv,
  ) {}

  *run(): Generator<void, void, void> {
    const n = this.rows.length;
    const columns: Datum[][] = Array.from({ length: this.width }, () => new Array<Datum>(n));
    const none: Datum[][] = [];
    for (let r = 0; r < n; r++) {
      const row = this.rows[r]!;
      for (let c = 0; c < this.width; c++) columns[c]![r] = row[c]!(none, 1, this.env)[0]!;
    }
    this.out.push(Messages.chunk(new ChangelogChunk(new Uint8Array(n).fill(Op.Insert), columns, n)));
    yield;
    this.out.push(Messages.end);
  }
}
