/**
 * WindowTvfOperator on changelog chunks written as text (`+I id time`, times in seconds): TUMBLE keeps
 * ops and update pairs, masks NULL times (splitting a pair into a lone Delete/Insert), honours an input
 * visibility mask; HOP emits a row per window with update pairs as Delete + Insert; control messages pass.
 */
import assert from 'node:assert/strict';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { parseOp } from '../../dynamic-table/changelog-op.js';
import { Messages, type Message } from '../../dynamic-table/message.js';
import type { Datum } from '../../types/datum.js';
import type { Downstream } from './operator.js';
import { WindowTvfOperator } from './window-tvf.js';

const SEC = 1_000_000;

/** `+I 1 12` lines: column 0 an id, column 1 a time in seconds (or NULL). */
function chunk(text: string, visibility: Uint8Array | null = null): ChangelogChunk {
  const lines = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const ops = new Uint8Array(lines.map((l) => parseOp(l[0]!)));
  const ids = lines.map((l): Datum => Number(l[1]));
  const times = lines.map((l): Datum => (l[2] === 'NULL' ? null : Number(l[2]) * SEC));
  return new ChangelogChunk(ops, [ids, times], lines.length, visibility);
}

class Collect implements Downstream {
  readonly messages: Message[] = [];
  push(m: Message): void {
    this.messages.push(m);
  }
  /** Output rows with times back in seconds: `+I id time start end`. */
  text(): string {
    const lines: string[] = [];
    for (const m of this.messages) {
      if (m.kind !== 'chunk') continue;
      const c = m.chunk;
      for (const line of c.toText().split('\n')) {
        if (line === '') continue;
        const [op, id, ...times] = line.split(' ');
        lines.push([op, id, ...times.map((t) => (t === 'NULL' ? t : String(Number(t) / SEC)))].join(' '));
      }
    }
    return lines.join('\n');
  }
}

describe('WindowTvf operator', () => {
  it('TUMBLE appends window_start and window_end and keeps every op, update pairs included', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'tumble', size: 10 * SEC }, 2);
    op.push(Messages.chunk(chunk('+I 1 3\n+I 2 10\n-D 3 -1\n-U 4 19\n+U 4 21')));
    assert.equal(out.text(), '+I 1 3 0 10\n+I 2 10 10 20\n-D 3 -1 -10 0\n-U 4 19 10 20\n+U 4 21 20 30');
  });

  it('TUMBLE drops rows without a time; an update pair losing one side becomes a lone Delete or Insert', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'tumble', size: 10 * SEC }, 2);
    op.push(Messages.chunk(chunk('+I 1 NULL\n-U 2 5\n+U 2 NULL\n-U 3 NULL\n+U 3 15\n-U 4 NULL\n+U 4 NULL\n+I 5 7')));
    assert.equal(out.text(), '-D 2 5 0 10\n+I 3 15 10 20\n+I 5 7 0 10');
    // Nothing at all when no row has a time.
    op.push(Messages.chunk(chunk('+I 6 NULL')));
    assert.equal(out.messages.length, 1);
  });

  it('TUMBLE honours the input visibility mask', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'tumble', size: 10 * SEC }, 2);
    op.push(Messages.chunk(chunk('+I 1 1\n+I 2 2\n+I 3 NULL\n+I 4 4', new Uint8Array([1, 0, 1, 1]))));
    assert.equal(out.text(), '+I 1 1 0 10\n+I 4 4 0 10');
  });

  it('HOP emits one row per window; update pairs become Delete + Insert', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'hop', slide: 5 * SEC, size: 10 * SEC }, 2);
    op.push(Messages.chunk(chunk('+I 1 12\n+I 2 NULL\n-U 3 0\n+U 3 4')));
    assert.equal(out.text(), [
      '+I 1 12 5 15', '+I 1 12 10 20',
      '-D 3 0 -5 5', '-D 3 0 0 10',
      '+I 3 4 -5 5', '+I 3 4 0 10',
    ].join('\n'));
  });

  it('HOP with size % slide != 0 and a visibility mask', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'hop', slide: 4 * SEC, size: 10 * SEC }, 2);
    op.push(Messages.chunk(chunk('+I 1 1\n+I 2 3\n+I 3 2', new Uint8Array([1, 0, 1]))));
    assert.equal(out.text(), ['+I 1 1 -8 2', '+I 1 1 -4 6', '+I 1 1 0 10', '+I 3 2 -4 6', '+I 3 2 0 10'].join('\n'));
  });

  it('passes barriers, watermarks and end through', () => {
    const out = new Collect();
    const op = new WindowTvfOperator(out, 1, { kind: 'hop', slide: SEC, size: 2 * SEC }, 2);
    op.push(Messages.barrier(1));
    op.push(Messages.watermark(0, 5));
    op.push(Messages.end);
    assert.deepEqual(out.messages.map((m) => m.kind), ['barrier', 'watermark', 'end']);
  });
});
