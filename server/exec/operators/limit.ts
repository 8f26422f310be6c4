/**
 * Limit: skips `offset` rows then passes `count` rows, then ends its output early (the driver stops
 * pulling its sources). Batch semantics: input is insert-only.
 */
import { ChunkBuilder, type ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages } from '../../dynamic-table/message.js';
import { UnaryOperator, type Downstream } from './operator.js';

export class LimitOperator extends UnaryOperator {
  private skipped = 0;
  private passed = 0;
  private done = false;

  constructor(out: Downstream, private readonly offset: number, private readonly count: number | undefined) {
    super('Limit', out);
    if (count === 0) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.out.push(Messages.end);
  }

  protected onChunk(input: ChangelogChunk): void {
    if (this.done) return;
    const chunk = input.compact();
    const b = new ChunkBuilder(chunk.width, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      if (this.skipped < this.offset) {
        this.skipped++;
        continue;
      }
      b.appendFrom(chunk, i);
      if (this.count !== undefined && ++this.passed >= this.count) break;
    }
    this.emit(b.build());
    if (this.count !== undefined && this.passed >= this.count) this.finish();
  }

  override push(msg: Parameters<UnaryOperator['push']>[0]): void {
    if (this.done) return;
    super.push(msg);
  }
}
