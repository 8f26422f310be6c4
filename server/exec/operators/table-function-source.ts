/** A set-returning function in FROM as a source (rows from table-functions.ts). */
import { ChunkBuilder } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import type { SqlType } from '../../types/sql-type.js';
import { tableFunctionRows } from '../table-functions.js';
import type { TableFunctionName } from '../../plan/logical/table-function.js';
import type { ColumnEvaluator } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import type { Downstream } from './operator.js';
import type { Source } from './source.js';

const CHUNK = 1024;

export class TableFunctionSource implements Source {
  readonly name: string;
  constructor(
    private readonly out: Downstream,
    private readonly fn: TableFunctionName,
    private readonly args: readonly ColumnEvaluator[],
    private readonly types: readonly SqlType[],
    private readonly env: ExprEnv,
  ) {
    this.name = fn;
  }

  *run(): Generator<void, void, void> {
    const values = this.args.map((a) => a([], 1, this.env)[0]!);
    let b = new ChunkBuilder(this.types.length, CHUNK);
    for (const row of tableFunctionRows(this.fn, values, this.types)) {
      b.append(Op.Insert, row);
      if (b.length >= CHUNK) {
        this.out.push(Messages.chunk(b.build()));
        yield;
        b = new ChunkBuilder(this.types.length, CHUNK);
      }
    }
    if (b.length > 0) this.out.push(Messages.chunk(b.build()));
    yield;
    this.out.push(Messages.end);
  }
}
