/**
 * The end of a batch dataflow: collects the changelog into result rows. Inserts append; a
 * retraction removes an equal row still held (batch plans over insert-only inputs send none).
 */
import { Op } from '../dynamic-table/changelog-op.js';
import type { Message } from '../dynamic-table/message.js';
import type { Row } from '../types/datum.js';
import type { Downstream } from './operators/operator.js';
import { keyOf } from './row-key.js';

export class ResultSink implements Downstream {
  private rows: Row[] = [];
  ended = false;

  get pending(): number {
    return this.rows.length;
  }

  push(msg: Message): void {
    if (msg.kind === 'end') {
      this.ended = true;
      return;
    }
    if (msg.kind !== 'chunk' || this.ended) return;
    const c = msg.chunk;
    for (let i = 0; i < c.length; i++) {
      if (c.visibility && !c.visibility[i]) continue;
      const op = c.ops[i] as Op;
      if (op === Op.Insert || op === Op.UpdateAfter) this.rows.push(c.row(i));
      else {
        const key = keyOf(c.row(i));
        const at = this.rows.findIndex((r) => keyOf(r) === key);
        if (at >= 0) this.rows.splice(at, 1);
      }
    }
  }

  take(): Row[] {
    const r = this.rows;
    this.rows = [];
    return r;
  }
}
