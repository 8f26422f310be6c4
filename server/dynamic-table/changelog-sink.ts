/**
 * ChangelogSink: the sink of a continuous query whose output is a stream (`CREATE STREAM s AS`). It
 * keeps no result state, only the changes of the epoch in progress, handed over at each barrier to
 * be appended to the stream's durable log.
 */
import { ChunkBuilder, type ChangelogChunk } from './chunk.js';
import type { Message } from './message.js';
import type { Downstream } from '../exec/operators/operator.js';

export class ChangelogSink implements Downstream {
  private epochChanges: ChunkBuilder;
  onEpoch: ((changes: ChangelogChunk, epoch: number) => void) | undefined;

  constructor(readonly width: number) {
    this.epochChanges = new ChunkBuilder(width);
  }

  push(msg: Message): void {
    switch (msg.kind) {
      case 'chunk':
        for (let i = 0; i < msg.chunk.length; i++) {
          if (msg.chunk.visibility === null || msg.chunk.visibility[i]) this.epochChanges.appendFrom(msg.chunk, i);
        }
        return;
      case 'barrier':
        this.onEpoch?.(this.epochChanges.build(), msg.checkpointId);
        return;
      case 'watermark':
      case 'end':
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }
}
