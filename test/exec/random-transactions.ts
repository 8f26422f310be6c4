/**
 * A continuous query under random transactions (inserts, deletes, updates of the rows it holds) over
 * one input table `t`, a barrier after each: its output must equal the same query run in batch after
 * the snapshot and after every transaction. Shared by the window table function tests.
 */
import fc from 'fast-check';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import type { Row } from '../../server/types/datum.js';
import { ContinuousQuery, type Change, type Columns } from './changelog-harness.js';

interface Action {
  readonly kind: 'insert' | 'delete' | 'update';
  readonly row: Row;
  readonly pick: number;
}

export function checkRandomTransactionsAgainstBatch(sql: string, columns: Columns, row: fc.Arbitrary<Row>, numRuns = 60): void {
  const action: fc.Arbitrary<Action> = fc.record({
    kind: fc.constantFrom<Action['kind']>('insert', 'insert', 'delete', 'update'),
    row,
    pick: fc.nat(),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 8 }), fc.array(fc.array(action, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (initial, transactions) => {
      const q = new ContinuousQuery(sql, { t: { columns, rows: initial } });
      q.assertMatchesBatch(' (after the snapshot)');
      transactions.forEach((tx, n) => {
        const current = [...q.rows('t')];
        const changes: Change[] = [];
        for (const a of tx) {
          if (a.kind === 'insert' || current.length === 0) {
            current.push(a.row);
            changes.push({ op: Op.Insert, row: a.row });
            continue;
          }
          const [old] = current.splice(a.pick % current.length, 1);
          if (a.kind === 'delete') changes.push({ op: Op.Delete, row: old! });
          else {
            current.push(a.row);
            changes.push({ op: Op.UpdateBefore, row: old! }, { op: Op.UpdateAfter, row: a.row });
          }
        }
        q.apply('t', changes);
        q.barrier();
        q.assertMatchesBatch(` (after transaction ${n + 1})`);
      });
    }),
    { numRuns },
  );
}
