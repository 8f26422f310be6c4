/**
 * What flows on a dataflow edge: chunks of changelog rows, and in-band control messages.
 * Barriers carry a checkpoint id (DESIGN.md: aligned barrier snapshots); watermarks carry event time
 * in microseconds; `end` closes a bounded input (a batch SELECT is a stream that ends).
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
export interface WatermarkMessage {
  readonly kind: 'watermark';
  /** Event time, microseconds since the epoch, all rows with smaller time have been seen. */
  readonly time: number;
}
export interface EndMessage {
  readonly kind: 'end';
}

export type Message = ChunkMessage | BarrierMessage | WatermarkMessage | EndMessage;

export const Messages = {
  chunk: (chunk: ChangelogChunk): ChunkMessage => ({ kind: 'chunk', chunk }),
  barrier: (checkpointId: number): BarrierMessage => ({ kind: 'barrier', checkpointId }),
  watermark: (time: number): WatermarkMessage => ({ kind: 'watermark', time }),
  end: { kind: 'end' } as EndMessage,
};
