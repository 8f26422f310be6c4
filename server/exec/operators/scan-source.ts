/** Scan: the chunks ExecContext.scan gives for a relation, pushed one per step. */
import type { RelationDef } from '../../catalog/model.js';
import { Messages } from '../../dynamic-table/message.js';
import type { ExecContext } from '../../plan/context.js';
import type { Downstream } from './operator.js';
import type { Source } from './source.js';

export class ScanSource implements Source {
  readonly name: string;
  constructor(private readonly out: Downstream, private readonly rel: RelationDef, private readonly ctx: ExecContext) {
    this.name = `Scan ${rel.name}`;
  }

  *run(): Generator<void, void, void> {
    for (const chunk of this.ctx.scan(this.rel)) {
      if (chunk.length === 0) continue;
      this.out.push(Messages.chunk(chunk));
      yield;
    }
    this.out.push(Messages.end);
  }
}
