/**
 * Test support: a Downstream that records every message an operator sends as a line of text that
 * tells apart rows printing differently (1.5 and 1.50), so two operators' outputs compare exactly.
 */
import { OP_TEXT } from '../../dynamic-table/changelog-op.js';
import type { Message } from '../../dynamic-table/message.js';
import { exactKeyOf } from '../row-key.js';
import type { Downstream } from './operator.js';

export class MessageRecorder implements Downstream {
  private lines: string[] = [];

  push(m: Message): void {
    switch (m.kind) {
      case 'chunk': {
        const c = m.chunk;
        for (let i = 0; i < c.length; i++) {
          if (c.visibility && !c.visibility[i]) continue;
          this.lines.push(`${OP_TEXT[c.ops[i]!]} ${exactKeyOf(c.row(i))}`);
        }
        return;
      }
      case 'watermark':
        this.lines.push(`W ${m.column} ${m.time}${m.idle ? ' idle' : ''}`);
        return;
      case 'barrier':
        this.lines.push(`B ${m.checkpointId}`);
        return;
      case 'end':
        this.lines.push('E');
        return;
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  /** The lines recorded since the last call. */
  take(): string[] {
    const taken = this.lines;
    this.lines = [];
    return taken;
  }
}
