/**
 * The operator contract: an operator consumes Messages (chunks of changelog rows, barriers,
 * watermarks, end) on its input port(s) and pushes Messages downstream. Control messages pass
 * through in order; a binary operator forwards `end` once both inputs ended. A stateful operator
 * flushes its changes in `onBarrier` (a continuous query) or `onEnd` (a batch run, which never sends
 * a barrier) just before that message goes downstream. Batch and streaming speak only this interface.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import type { ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { Message } from '../../dynamic-table/message.js';
import { Messages } from '../../dynamic-table/message.js';

/**
 * An update op as a plain Insert/Delete: for operators that turn one input row into zero or many
 * output rows, where an update pair would no longer stay one adjacent pair.
 */
export function unpairedOp(op: Op): Op {
  return op === Op.UpdateBefore ? Op.Delete : op === Op.UpdateAfter ? Op.Insert : op;
}

export interface Downstream {
  push(msg: Message): void;
}

/** A one-input operator: `onChunk` is the transform; barriers and watermarks pass through. */
export abstract class UnaryOperator implements Downstream {
  protected ended = false;

  constructor(
    readonly name: string,
    protected readonly out: Downstream,
  ) {}

  push(msg: Message): void {
    switch (msg.kind) {
      case 'chunk':
        if (!this.ended && msg.chunk.length > 0) this.onChunk(msg.chunk);
        return;
      case 'end':
        if (this.ended) return;
        this.ended = true;
        this.onEnd();
        this.out.push(Messages.end);
        return;
      case 'barrier':
        if (!this.ended) this.onBarrier();
        this.out.push(msg);
        return;
      case 'watermark':
        this.out.push(msg);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  protected abstract onChunk(chunk: ChangelogChunk): void;

  /** Emit the changes accumulated since the last barrier, before the barrier goes downstream. */
  protected onBarrier(): void {}

  /** Flush whatever the operator holds before `end` goes downstream. */
  protected onEnd(): void {}

  protected emit(chunk: ChangelogChunk): void {
    if (chunk.length > 0) this.out.push(Messages.chunk(chunk));
  }
}

/** A two-input operator (joins, set operations): `left` and `right` are its input ports. */
export abstract class BinaryOperator {
  private leftEnded = false;
  private rightEnded = false;
  private barriers = 0;
  readonly left: Downstream;
  readonly right: Downstream;

  constructor(
    readonly name: string,
    protected readonly out: Downstream,
  ) {
    this.left = { push: (m) => this.receive(m, 'left') };
    this.right = { push: (m) => this.receive(m, 'right') };
  }

  private receive(msg: Message, side: 'left' | 'right'): void {
    switch (msg.kind) {
      case 'chunk':
        if (msg.chunk.length > 0) this.onChunk(msg.chunk, side);
        return;
      case 'end':
        if (side === 'left') this.leftEnded = true;
        else this.rightEnded = true;
        if (this.leftEnded && this.rightEnded) {
          this.onEnd();
          this.out.push(Messages.end);
        }
        return;
      case 'barrier':
        // Aligned barriers: forward once both inputs delivered it (alignment buffering comes with checkpoints).
        if (++this.barriers % 2 === 0) {
          this.onBarrier();
          this.out.push(msg);
        }
        return;
      case 'watermark':
        this.out.push(msg);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  protected abstract onChunk(chunk: ChangelogChunk, side: 'left' | 'right'): void;
  protected onEnd(): void {}
  /** Emit the changes accumulated since the last barrier, once both inputs delivered it. */
  protected onBarrier(): void {}

  protected emit(chunk: ChangelogChunk): void {
    if (chunk.length > 0) this.out.push(Messages.chunk(chunk));
  }
}
