/**
 * Operators fed changelog chunks directly: retractions through Filter, Project, Distinct,
 * HashAggregate and the inner hash join, and LIMIT ending its output early.
 */
import assert from 'node:assert/strict';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op, parseOp } from '../../dynamic-table/changelog-op.js';
import { Messages, type Message } from '../../dynamic-table/message.js';
import type { BoundExpr } from '../../plan/bound/expr.js';
import type { ExecContext } from '../../plan/context.js';
import { AggregateNode } from '../../plan/logical/aggregate.js';
import { JoinNode } from '../../plan/logical/join.js';
import { ValuesNode } from '../../plan/logical/values.js';
import type { Datum } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import { compileExpr } from '../expr/compile.js';
import type { ExprEnv } from '../expr/env.js';
import { DistinctOperator } from './distinct.js';
import { FilterOperator } from './filter.js';
import { HashAggregateOperator } from './hash-aggregate.js';
import { JoinOperator } from './join.js';
import { LimitOperator } from './limit.js';
import type { Downstream } from './operator.js';
import { ProjectOperator } from './project.js';

const env: ExprEnv = { params: [], outer: [], ctx: { fn: {} } as unknown as ExecContext, subplans: { run: () => [] } };

/** `+I 1 2` lines -> a chunk of int4 columns. */
function chunk(text: string): ChangelogChunk {
  const lines = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const width = lines[0]!.length - 1;
  const ops = new Uint8Array(lines.map((l) => parseOp(l[0]!)));
  const columns = Array.from({ length: width }, (_, c) => lines.map((l): Datum => (l[c + 1] === 'NULL' ? null : Number(l[c + 1]))));
  return new ChangelogChunk(ops, columns, lines.length);
}

class Collect implements Downstream {
  readonly messages: Message[] = [];
  push(m: Message): void {
    this.messages.push(m);
  }
  text(): string {
    return this.messages.filter((m) => m.kind === 'chunk').map((m) => (m.kind === 'chunk' ? m.chunk.toText() : '')).filter((t) => t).join('\n');
  }
}

const col = (i: number): BoundExpr => ({ kind: 'column', index: i, type: T.int4, label: `c${i}` });
const gt = (a: BoundExpr, n: number): BoundExpr => ({ kind: 'call', label: '>', fn: (x) => (x[0] as number) > (x[1] as number), args: [a, { kind: 'const', value: n, type: T.int4 }], type: T.bool, strict: true, volatile: false });

describe('operators on changelogs', () => {
  it('Filter keeps ops, drops rows whose predicate is NULL or false, forwards barriers', () => {
    const out = new Collect();
    const f = new FilterOperator(out, compileExpr(gt(col(0), 1)), env);
    f.push(Messages.chunk(chunk('+I 1\n+I 2\n-D 3\n+I NULL\n-U 5\n+U 6')));
    f.push(Messages.barrier(7));
    f.push(Messages.end);
    assert.equal(out.text(), '+I 2\n-D 3\n-U 5\n+U 6');
    assert.deepEqual(out.messages.slice(1).map((m) => m.kind), ['barrier', 'end']);
  });

  it('Project computes columns and keeps update pairs', () => {
    const out = new Collect();
    const p = new ProjectOperator(out, [compileExpr(col(1)), compileExpr(gt(col(0), 1))], env);
    p.push(Messages.chunk(chunk('-U 1 10\n+U 2 20')));
    assert.equal(out.text(), '-U 10 false\n+U 20 true');
  });

  it('Distinct emits on 0 -> 1 and retracts on 1 -> 0', () => {
    const out = new Collect();
    const d = new DistinctOperator(out);
    d.push(Messages.chunk(chunk('+I 1\n+I 1\n+I 2\n-D 1\n-D 1\n-D 2')));
    assert.equal(out.text(), '+I 1\n+I 2\n-D 1\n-D 2');
  });

  it('HashAggregate applies retractions to count and sum, dropping empty groups', () => {
    const input = new ValuesNode([{ name: 'k', type: T.int4, tableOid: 0, attnum: 0 }, { name: 'v', type: T.int4, tableOid: 0, attnum: 0 }], []);
    const count = { name: 'count', args: [], argTypes: [], distinct: false, orderBy: [], star: true, type: T.int8 };
    const sum = { name: 'sum', args: [col(1)], argTypes: [T.int4], distinct: false, orderBy: [], star: false, type: T.int8 };
    const plan = new AggregateNode(input, [col(0)], [count, sum], undefined, [
      { name: 'k', type: T.int4, tableOid: 0, attnum: 0 }, { name: 'count', type: T.int8, tableOid: 0, attnum: 0 }, { name: 'sum', type: T.int8, tableOid: 0, attnum: 0 },
    ]);
    const out = new Collect();
    const agg = new HashAggregateOperator(out, plan, env);
    agg.push(Messages.chunk(chunk('+I 1 10\n+I 1 5\n+I 2 7\n-D 1 10\n-D 2 7\n+I 3 NULL')));
    agg.push(Messages.end);
    assert.equal(out.text(), '+I 1 1 5\n+I 3 1 NULL');
  });

  it('inner hash join retracts joined rows when an input row is deleted', () => {
    const schema = [{ name: 'a', type: T.int4, tableOid: 0, attnum: 0 }, { name: 'b', type: T.int4, tableOid: 0, attnum: 0 }];
    const side = new ValuesNode(schema, []);
    const plan = new JoinNode('inner', side, side, { kind: 'call', label: '=', fn: (x) => x[0] === x[1], args: [col(0), col(2)], type: T.bool, strict: true, volatile: false }, [[0, 0]]);
    const out = new Collect();
    const j = new JoinOperator(out, plan, env);
    j.left.push(Messages.chunk(chunk('+I 1 10\n+I 2 20')));
    j.right.push(Messages.chunk(chunk('+I 1 100\n+I 1 101\n+I NULL 0')));
    j.left.push(Messages.chunk(chunk('-D 1 10')));
    j.left.push(Messages.end);
    j.right.push(Messages.end);
    assert.equal(out.text(), '+I 1 10 1 100\n+I 1 10 1 101\n-D 1 10 1 100\n-D 1 10 1 101');
    assert.equal(out.messages.at(-1)!.kind, 'end');
  });

  it('Limit passes offset..offset+count and ends its output early', () => {
    const out = new Collect();
    const l = new LimitOperator(out, 1, 2);
    l.push(Messages.chunk(chunk('+I 1\n+I 2')));
    l.push(Messages.chunk(chunk('+I 3\n+I 4')));
    l.push(Messages.chunk(chunk('+I 5')));
    l.push(Messages.end);
    assert.equal(out.text(), '+I 2\n+I 3');
    assert.deepEqual(out.messages.map((m) => m.kind), ['chunk', 'chunk', 'end']);
    assert.equal(Op.Insert, 0);
  });
});
