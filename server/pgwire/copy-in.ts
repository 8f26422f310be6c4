/**
 * COPY ... FROM STDIN on the wire: announce CopyInResponse, feed CopyData to the engine's sink until
 * CopyDone (finish, CommandComplete) or CopyFail (abort, 57014). Flush and Sync are ignored inside
 * COPY as PostgreSQL does; any other message aborts the COPY with a protocol error.
 */
import type { CopyInSink } from '../engine/api.js';
import { SqlError, SQLSTATE, toSqlError } from '../errors.js';
import { ConnectionGone } from './connection-gone.js';
import type { WireChannel } from './wire-channel.js';

export async function runCopyIn(channel: WireChannel, sink: CopyInSink): Promise<void> {
  channel.writer.copyInResponse(0, new Array<0>(sink.columnCount).fill(0));
  await channel.flush();
  for (;;) {
    let msg;
    try {
      msg = await channel.nextMessage();
    } catch (e) {
      sink.abort('protocol error during COPY');
      throw e;
    }
    if (msg === null) {
      sink.abort('client disconnected during COPY');
      throw new ConnectionGone();
    }
    switch (msg.kind) {
      case 'copyData':
        try {
          sink.write(msg.data);
        } catch (e) {
          sink.abort(toSqlError(e).message);
          throw e;
        }
        break;
      case 'copyDone': {
        const tag = await sink.finish();
        channel.writer.commandComplete(tag);
        return;
      }
      case 'copyFail':
        sink.abort(msg.message);
        throw new SqlError(SQLSTATE.queryCanceled, `COPY from stdin failed: ${msg.message}`);
      case 'flush':
      case 'sync':
        break;
      case 'terminate':
        sink.abort('client terminated during COPY');
        throw new ConnectionGone();
      default:
        sink.abort(`unexpected message ${msg.kind}`);
        throw new SqlError(SQLSTATE.protocolViolation, `unexpected message type ${msg.kind} during COPY from stdin`);
    }
  }
}
