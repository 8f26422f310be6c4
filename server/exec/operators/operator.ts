/**
 * The operator contract: an operator consumes Messages (chunks of changelog rows, barriers,
 * watermarks, end) on its input port(s) and pushes Messages downstream. Control messages pass
 * through in order; a binary operator forwards `end` once both inputs ended. A stateful operator
 * flushes its changes in `onBarrier` (a continuous query) or `onEnd` (a batch run, which never sends
 * a barrier) just before that message goes downstream. Batch and streaming speak only this interface.
 */
import { Op } from '../../dynamic-table/changelog-op.js';
import type { ChangelogChunk } from '../../dynamic-table/chunk.js';
import type { Message, WatermarkMessage } from '../../dynamic-table/message.js';
import { Messages } from '../../dynamic-table/message.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum } from '../../types/datum.js';

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

/**
 * A one-input operator: `onChunk` is the transform; barriers pass through, and watermarks too (at
 * the barrier) unless the operator moves or drops columns (then it overrides `onWatermark`).
 */
export abstract class UnaryOperator implements Downstream {
  protected ended = false;
  private deferredWatermarks: WatermarkMessage[] = [];

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
        // Watermarks go out after the epoch's changes: nothing they close may follow them.
        for (const w of this.deferredWatermarks) this.out.push(w);
        this.deferredWatermarks = [];
        this.out.push(msg);
        return;
      case 'watermark':
        if (!this.ended) this.onWatermark(msg);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  protected abstract onChunk(chunk: ChangelogChunk): void;

  /**
   * A watermark on the input. The default keeps the column where it is and sends it with the next
   * barrier, after whatever the operator emits for the epoch (operators that emit at barriers: TopN,
   * window functions, DISTINCT). Stateless operators that move columns override it.
   */
  protected onWatermark(msg: WatermarkMessage): void {
    this.deferredWatermarks.push(msg);
  }

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
  private deferredWatermarks: WatermarkMessage[] = [];
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
          // Watermarks go out after the epoch's changes: nothing they close may follow them.
          for (const w of this.deferredWatermarks) this.out.push(w);
          this.deferredWatermarks = [];
          this.out.push(msg);
        }
        return;
      case 'watermark':
        this.onWatermark(msg, side);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  protected abstract onChunk(chunk: ChangelogChunk, side: 'left' | 'right'): void;

  /**
   * A watermark on one input. The default drops it: an output row can pair a new row of one side
   * with an old row of the other, so neither side's promise holds for the output by itself. Joins
   * and set operations that can keep a promise override this (see CombinedWatermarks).
   */
  protected onWatermark(_msg: WatermarkMessage, _side: 'left' | 'right'): void {}

  /** Sends an output watermark with the next barrier, after the changes of the epoch. */
  protected watermarkAtBarrier(msg: WatermarkMessage): void {
    this.deferredWatermarks.push(msg);
  }
  protected onEnd(): void {}

  /**
   * For checkpoints (operator-state.ts): a snapshot is taken between epochs, when both inputs
   * delivered the last barrier (an even count) and its deferred watermarks went out, so this class's
   * own fields hold nothing to save (the `ended` flags only move in a batch run, which is never
   * checkpointed). Throws when called mid-epoch, where a snapshot would lose what is pending.
   */
  protected assertBetweenEpochs(): void {
    if (this.barriers % 2 !== 0 || this.deferredWatermarks.length > 0) {
      throw new SqlError(SQLSTATE.internalError, `${this.name}: state snapshot taken in the middle of an epoch`);
    }
  }
  /** Emit the changes accumulated since the last barrier, once both inputs delivered it. */
  protected onBarrier(): void {}

  protected emit(chunk: ChangelogChunk): void {
    if (chunk.length > 0) this.out.push(Messages.chunk(chunk));
  }
}

/**
 * The watermark of an output column fed by one column of each input (a UNION branch pair, or the
 * two sides of an equi-join key): the minimum of the two sides' watermarks, an idle side left out.
 * Returns the new output watermark when it advanced, else undefined.
 */
export class CombinedWatermark {
  private readonly time = { left: -Infinity, right: -Infinity };
  private readonly idle = { left: false, right: false };
  private out = -Infinity;

  update(side: 'left' | 'right', time: number, idle: boolean): number | undefined {
    this.time[side] = Math.max(this.time[side], time);
    this.idle[side] = idle;
    const active = (['left', 'right'] as const).filter((s) => !this.idle[s]);
    if (active.length === 0) return undefined;
    const next = Math.min(...active.map((s) => this.time[s]));
    if (next <= this.out) return undefined;
    this.out = next;
    return next;
  }

  get current(): number {
    return this.out;
  }

  /** Its progress as datums, for a checkpoint (operator-state.ts); `load` takes them back. */
  save(): Datum[] {
    return [this.time.left, this.time.right, this.idle.left, this.idle.right, this.out];
  }

  load(values: readonly Datum[]): void {
    this.time.left = values[0] as number;
    this.time.right = values[1] as number;
    this.idle.left = values[2] as boolean;
    this.idle.right = values[3] as boolean;
    this.out = values[4] as number;
  }
}
