/**
 * What flows on a dataflow edge: chunks of changelog rows, and in-band control messages.
 * Barriers carry a checkpoint id (DESIGN.md: aligned barrier snapshots); watermarks carry event time
 * in microseconds for one column; `end` closes a bounded input (a batch SELECT is a stream that ends).
 */
import type { ChangelogChunk } from './chunk.js';

export interface ChunkMessage {
  readonly kind: 'chunk';
  readonly chunk: ChangelogChunk;
}
export interface BarrierMessage {
  readonly kind: 'barrier';
  readonly checkpointId: number;
}
/**
 * A promise about column `column` of this edge: no later change touches a row whose value there is
 * below `time` (microseconds since the epoch; the column is a timestamp). Watermarks of one column
 * never go down on an edge. `idle`: the input has been quiet for its idle timeout, so operators that
 * combine inputs leave it out of their minimum until it speaks again.
 */
export interface WatermarkMessage {
  readonly kind: 'watermark';
  readonly column: number;
  readonly time: number;
  readonly idle: boolean;
}
export interface EndMessage {
  readonly kind: 'end';
}

export type Message = ChunkMessage | BarrierMessage | WatermarkMessage | EndMessage;

export const Messages = {
  chunk: (chunk: ChangelogChunk): ChunkMessage => ({ kind: 'chunk', chunk }),
  barrier: (checkpointId: number): BarrierMessage => ({ kind: 'barrier', checkpointId }),
  watermark: (column: number, time: number, idle = false): WatermarkMessage => ({ kind: 'watermark', column, time, idle }),
  end: { kind: 'end' } as EndMessage,
};
