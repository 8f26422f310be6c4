/**
 * The join's stored rows under retractions: a removal finds its row by scanning a small bucket or
 * through the row index of a large one (more than 32 rows under one key), prefers the identical
 * row among rows equal under SQL equality, and matches int4 keys with equal int8 and numeric keys.
 */
import assert from 'node:assert/strict';
import { ChangelogChunk } from '../../dynamic-table/chunk.js';
import { Op } from '../../dynamic-table/changelog-op.js';
import { Messages, type Message } from '../../dynamic-table/message.js';
import type { ExecContext } from '../../plan/context.js';
import { JoinNode } from '../../plan/logical/join.js';
import { ValuesNode } from '../../plan/logical/values.js';
import type { Datum, Decimal } from '../../types/datum.js';
import { Numeric, numericScale, withScale } from '../../types/numeric.js';
import { T, type SqlType } from '../../types/sql-type.js';
import type { ExprEnv } from '../expr/env.js';
import { JoinOperator } from './join.js';
import type { Downstream } from './operator.js';

const env: ExprEnv = { params: [], outer: [], ctx: { fn: {} } as unknown as ExecContext, subplans: { run: () => [] } };

class Collect implements Downstream {
  readonly rows: string[] = [];
  readonly chunks: ChangelogChunk[] = [];
  push(m: Message): void {
    if (m.kind !== 'chunk') return;
    this.chunks.push(m.chunk);
    for (const line of m.chunk.toText().split('\n')) if (line) this.rows.push(line);
  }
}

function rows(op: Op, list: readonly Datum[][]): Message {
  return Messages.chunk(ChangelogChunk.fromRows(list[0]!.length, list as Datum[][], op));
}

function join(leftType: SqlType, rightType: SqlType): { j: JoinOperator; out: Collect } {
  const left = new ValuesNode([{ name: 'k', type: leftType, tableOid: 0, attnum: 0 }, { name: 'v', type: T.numeric, tableOid: 0, attnum: 0 }], []);
  const right = new ValuesNode([{ name: 'k', type: rightType, tableOid: 0, attnum: 0 }], []);
  const out = new Collect();
  return { j: new JoinOperator(out, new JoinNode('inner', left, right, undefined, [[0, 0]]), env), out };
}

describe('join state under retractions', () => {
  for (const size of [5, 40]) {
    it(`removes exactly the retracted rows from a bucket of ${size} rows`, () => {
      const { j, out } = join(T.int4, T.int4);
      j.right.push(rows(Op.Insert, [[1]]));
      const stored = Array.from({ length: size }, (_, i): Datum[] => [1, new Numeric(String(i % 7))]);
      j.left.push(rows(Op.Insert, stored));
      const gone = stored.filter((_, i) => i % 3 === 0);
      j.left.push(rows(Op.Delete, gone));
      // A retraction of a row never stored changes nothing.
      j.left.push(rows(Op.Delete, [[1, new Numeric('99')]]));
      out.rows.length = 0;
      // Probing from the right now pairs with exactly the rows left.
      j.right.push(rows(Op.Insert, [[1]]));
      const left = stored.filter((_, i) => i % 3 !== 0).map((r) => `+I 1 ${String(r[1])} 1`);
      assert.deepEqual([...out.rows].sort(), left.sort());
    });
  }

  it('retracts the identical row when rows equal under SQL equality print differently', () => {
    const { j, out } = join(T.int4, T.int4);
    j.right.push(rows(Op.Insert, [[1]]));
    // 1.5 (scale 1) stored before 1.50 (scale 2); the retraction of a 1.5 takes the 1.5.
    j.left.push(rows(Op.Insert, [[1, withScale(new Numeric('1.5'), 1)], [1, withScale(new Numeric('1.5'), 2)]]));
    out.chunks.length = 0;
    j.left.push(rows(Op.Delete, [[1, withScale(new Numeric('1.5'), 1)]]));
    assert.equal(out.chunks.length, 1);
    assert.equal(out.chunks[0]!.ops[0], Op.Delete);
    assert.equal(numericScale(out.chunks[0]!.columns[1]![0] as Decimal), 1);
  });

  it('matches integer keys across int4, int8 and numeric', () => {
    const { j, out } = join(T.int8, T.numeric);
    j.right.push(rows(Op.Insert, [[new Numeric('2')], [new Numeric('3')]]));
    j.left.push(rows(Op.Insert, [[2n, new Numeric('1')], [4n, new Numeric('1')]]));
    assert.deepEqual(out.rows, ['+I 2 1 2']);
  });
});
