/**
 * SessionWindowOperator on changelog chunks written as text (`+I id key time`, times in seconds, gap
 * 10 s, partitioned by key): sessions created, extended, merged and split, retracted and re-emitted as
 * update pairs at the barrier; a watermark closes sessions, drops their rows from state, counts late
 * rows and forwards watermarks that (property test) no later output change goes below.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op, OP_TEXT, parseOp } from '../../dynamic-table/changelog-op.js';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Messages, type Message } from '../../dynamic-table/message.js';
import type { LogicalPlan } from '../../plan/logical/plan.js';
import { SessionWindowNode } from '../../plan/logical/session-window.js';
import type { Datum } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { ExprEnv } from '../expr/env.js';
import type { Downstream } from './operator.js';
import { SessionWindowOperator } from './session-window.js';

const SEC = 1_000_000;
const GAP = 10 * SEC;

const INPUT = {
  schema: [
    { name: 'id', type: T.int4, tableOid: 0, attnum: 0 },
    { name: 'k', type: T.int4, tableOid: 0, attnum: 0 },
    { name: 't', type: T.timestamp, tableOid: 0, attnum: 0 },
  ],
  streamKey: undefined,
} as unknown as LogicalPlan;

/** `+I 1 0 12` lines: id, partition key, time in seconds (or NULL). */
function chunk(text: string): ChangelogChunk {
  const lines = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const ops = new Uint8Array(lines.map((l) => parseOp(l[0]!)));
  const ids = lines.map((l): Datum => Number(l[1]));
  const keys = lines.map((l): Datum => Number(l[2]));
  const times = lines.map((l): Datum => (l[3] === 'NULL' ? null : Number(l[3]) * SEC));
  return new ChangelogChunk(ops, [ids, keys, times], lines.length);
}

class Collect implements Downstream {
  messages: Message[] = [];
  push(m: Message): void {
    this.messages.push(m);
  }
  /** Output since the last call: `+I id key time start end` (seconds), and `wm column time` lines. */
  take(): string[] {
    const lines: string[] = [];
    for (const m of this.messages) {
      if (m.kind === 'watermark') lines.push(`wm ${m.column} ${m.time / SEC}`);
      if (m.kind !== 'chunk') continue;
      const c = m.chunk;
      for (let i = 0; i < c.length; i++) {
        const [id, k, ...times] = c.row(i) as number[];
        lines.push([OP_TEXT[c.ops[i]!], id, k, ...times.map((t) => t / SEC)].join(' '));
      }
    }
    this.messages = [];
    return lines;
  }
}

function operator(partitioned = true) {
  const out = new Collect();
  const env = { metrics: { lateRows: 0 } } as unknown as ExprEnv;
  const op = new SessionWindowOperator(out, new SessionWindowNode(INPUT, 2, GAP, partitioned ? [1] : []), env);
  return { out, op, env };
}

describe('SessionWindow operator', () => {
  it('emits at the barrier: new sessions, then merges and extensions as update pairs', () => {
    const { out, op } = operator();
    op.push(Messages.chunk(chunk('+I 1 0 0\n+I 2 0 5\n+I 3 0 15\n+I 4 1 7\n+I 5 0 NULL')));
    assert.deepEqual(out.take(), [], 'nothing before the barrier');
    op.push(Messages.barrier(1));
    assert.deepEqual(out.take(), ['+I 1 0 0 0 15', '+I 2 0 5 0 15', '+I 3 0 15 15 25', '+I 4 1 7 7 17']);
    // 10 bridges key 0's sessions (10 - 5 < 10, 15 - 10 < 10); key 1 untouched.
    op.push(Messages.chunk(chunk('+I 6 0 10')));
    op.push(Messages.barrier(2));
    assert.deepEqual(out.take(), ['-U 1 0 0 0 15', '+U 1 0 0 0 25', '-U 2 0 5 0 15', '+U 2 0 5 0 25', '+I 6 0 10 0 25', '-U 3 0 15 15 25', '+U 3 0 15 0 25']);
    assert.equal(op.stateRows(), 5);
  });

  it('splits a session when the row bridging it goes, and cancels a row inserted and deleted in one epoch', () => {
    const { out, op } = operator(false);
    op.push(Messages.chunk(chunk('+I 1 0 0\n+I 2 0 8\n+I 3 0 16')));
    op.push(Messages.barrier(1));
    out.take();
    op.push(Messages.chunk(chunk('-D 2 0 8\n+I 4 0 40\n-D 4 0 40')));
    op.push(Messages.barrier(2));
    assert.deepEqual(out.take(), ['-D 2 0 8 0 26', '-U 1 0 0 0 26', '+U 1 0 0 0 10', '-U 3 0 16 0 26', '+U 3 0 16 16 26']);
    assert.equal(op.stateRows(), 2);
  });

  it('a row exactly gap after the last starts a new session', () => {
    const { out, op } = operator(false);
    op.push(Messages.chunk(chunk('+I 1 0 0\n+I 2 0 10\n+I 3 0 10')));
    op.push(Messages.barrier(1));
    assert.deepEqual(out.take(), ['+I 1 0 0 0 10', '+I 2 0 10 10 20', '+I 3 0 10 10 20']);
  });

  it('closes sessions at the watermark: their rows leave the state, late rows are counted', () => {
    const { out, op, env } = operator();
    op.push(Messages.chunk(chunk('+I 1 0 0\n+I 2 0 5\n+I 3 1 12\n+I 4 2 30')));
    op.push(Messages.watermark(2, 16 * SEC));
    op.push(Messages.watermark(0, 99 * SEC));
    op.push(Messages.barrier(1));
    // Key 0's [0, 15) closed; key 1's [12, 22) and key 2's [30, 40) stay open: time and
    // window_start may still be 12, window_end at least 22 (12 + gap).
    assert.deepEqual(out.take(), ['+I 1 0 0 0 15', '+I 2 0 5 0 15', '+I 3 1 12 12 22', '+I 4 2 30 30 40', 'wm 2 12', 'wm 3 12', 'wm 4 22']);
    assert.equal(op.stateRows(), 2);
    op.push(Messages.chunk(chunk('+I 5 0 14\n+I 6 1 20')));
    op.push(Messages.watermark(2, 45 * SEC));
    op.push(Messages.barrier(2));
    assert.equal(env.metrics!.lateRows, 1);
    assert.deepEqual(out.take(), ['-U 3 1 12 12 22', '+U 3 1 12 12 30', '+I 6 1 20 12 30', 'wm 2 45', 'wm 3 45', 'wm 4 55']);
    assert.equal(op.stateRows(), 0);
  });

  it('never sends a change below a watermark it forwarded (random append streams)', () => {
    const event = fc.record({ key: fc.integer({ min: 0, max: 3 }), ahead: fc.integer({ min: 0, max: 25 }) });
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 8 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 15 }), (epochs, delay) => {
        const { out, op } = operator();
        const held = new Map<string, number>();
        const promised = [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity];
        let maxTime = 0;
        let id = 0;
        epochs.forEach((events, e) => {
          const lines: string[] = [];
          const watermark = maxTime - delay;
          for (const ev of events) {
            // Times at or after the watermark (a stream drops the rest before they get here).
            const t = Math.max(watermark, maxTime - 12 + ev.ahead);
            maxTime = Math.max(maxTime, t);
            lines.push(`+I ${++id} ${ev.key} ${t}`);
          }
          if (lines.length > 0) op.push(Messages.chunk(chunk(lines.join('\n'))));
          op.push(Messages.watermark(2, (maxTime - delay) * SEC));
          op.push(Messages.barrier(e + 1));
          for (const line of out.take()) {
            const parts = line.split(' ');
            if (parts[0] === 'wm') {
              const [column, time] = [Number(parts[1]), Number(parts[2])];
              assert.ok(time >= promised[column]!, `watermark of column ${column} went down`);
              promised[column] = time;
              continue;
            }
            const [, rowId, , t, start, end] = parts.map(Number);
            for (const [column, v] of [[2, t], [3, start], [4, end]] as const) {
              assert.ok(v! >= promised[column]!, `${line} is below the watermark ${promised[column]} of column ${column}`);
            }
            const key = `${rowId}`;
            const sign = parts[0] === '+I' || parts[0] === '+U' ? 1 : -1;
            held.set(key, (held.get(key) ?? 0) + sign);
          }
        });
        for (const n of held.values()) assert.equal(n, 1, 'each input row is in the output once');
        assert.equal(held.size, id);
      }),
      { numRuns: 200 },
    );
  });
});
