/**
 * COPY ... TO STDOUT: CopyOutResponse, one CopyData per line the engine formatted, then CopyDone and
 * CommandComplete. A live source (COPY (SUBSCRIBE ...) TO STDOUT) is flushed after every batch so the
 * client sees changes as they happen; it ends with an error when cancelled.
 */
import type { ExecutionResult } from '../engine/api.js';
import { ConnectionGone } from './connection-gone.js';
import type { WireChannel } from './wire-channel.js';

const BATCH_LINES = 4096;

export async function runCopyOut(channel: WireChannel, result: Extract<ExecutionResult, { kind: 'copyOut' }>): Promise<void> {
  const w = channel.writer;
  w.copyOutResponse(0, new Array<0>(result.columnCount).fill(0));
  let sent = 0;
  try {
    for (;;) {
      const { rows, done } = await result.lines.fetch(BATCH_LINES);
      for (const row of rows) w.copyData(Buffer.from(row[0] as string, 'utf8'));
      sent += rows.length;
      if (result.lines.live) await channel.flush();
      else await channel.flushIfFull();
      if (channel.closed) throw new ConnectionGone();
      if (done) break;
    }
  } finally {
    result.lines.close();
  }
  w.copyDone();
  w.commandComplete(result.tag(sent));
}
