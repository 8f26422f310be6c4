/**
 * PushSource: the source of a continuous query for one scanned relation. The view runtime pushes
 * into it the relation's snapshot, then every committed change, each epoch closed by a barrier; it
 * never ends. (Batch scans use exec/operators/scan-source.ts, which reads a snapshot and ends.)
 */
import type { RelationDef } from '../catalog/model.js';
import type { Downstream } from '../exec/operators/operator.js';
import type { Source } from '../exec/operators/source.js';
import type { Message } from './message.js';

export class PushSource implements Source {
  readonly name: string;

  constructor(
    readonly rel: RelationDef,
    private readonly out: Downstream,
  ) {
    this.name = `Changes ${rel.name}`;
  }

  push(msg: Message): void {
    this.out.push(msg);
  }

  /** Nothing to pull: data arrives by push. */
  *run(): Generator<void, void, void> {}
}
