/**
 * build-graph picks the IntervalJoin for a continuous interval join (its output carries watermarks on
 * the two time columns and it joins rows correctly), and keeps the JoinOperator (which drops
 * watermarks) for a join without time bounds and for a batch run of the same interval join.
 */
import assert from 'node:assert/strict';
import type { RelationDef } from '../../server/catalog/model.js';
import { ChangelogChunk } from '../../server/dynamic-table/chunk.js';
import { Messages, type Message } from '../../server/dynamic-table/message.js';
import { buildGraph } from '../../server/exec/build-graph.js';
import type { Downstream } from '../../server/exec/operators/operator.js';
import type { Source } from '../../server/exec/operators/source.js';
import type { Row } from '../../server/types/datum.js';
import { findJoin, intervalJoinDatabase, MIN } from './interval-join-fixture.js';

const db = intervalJoinDatabase();

class FedSource implements Source {
  constructor(readonly name: string, readonly rel: RelationDef, readonly out: Downstream) {}
  *run(): Generator<void, void, void> {}
}

/** Builds the graph of the query's join node; feeds a and b one row each and a watermark each. */
function runJoin(sql: string, continuous: boolean): Message[] {
  const join = findJoin(db.bind(sql).plan)!;
  const messages: Message[] = [];
  const fed: FedSource[] = [];
  buildGraph(join, { push: (m) => messages.push(m) }, db.env(), [], (rel, out) => {
    const s = new FedSource(rel.name, rel, out);
    fed.push(s);
    return s;
  }, continuous);
  assert.deepEqual(fed.map((s) => s.rel.name), ['a', 'b']);
  const [a, b] = fed as [FedSource, FedSource];
  const rowA: Row = [1, 10 * MIN, 0];
  const rowB: Row = [1, 9 * MIN, 0];
  a.out.push(Messages.chunk(ChangelogChunk.fromRows(3, [rowA])));
  b.out.push(Messages.chunk(ChangelogChunk.fromRows(3, [rowB])));
  a.out.push(Messages.watermark(1, 20 * MIN));
  b.out.push(Messages.watermark(1, 20 * MIN));
  return messages;
}

const rowsOf = (ms: readonly Message[]) => ms.flatMap((m) => (m.kind === 'chunk' ? m.chunk.toText().split('\n') : []));
const watermarksOf = (ms: readonly Message[]) => ms.flatMap((m) => (m.kind === 'watermark' ? [[m.column, m.time]] : []));

describe('build-graph: interval joins', () => {
  const INTERVAL_JOIN = "SELECT * FROM a JOIN b ON a.id = b.id AND b.t BETWEEN a.t - INTERVAL '1' HOUR AND a.t";

  it('builds an IntervalJoin for a continuous interval join', () => {
    const out = runJoin(INTERVAL_JOIN, true);
    assert.deepEqual(rowsOf(out), [`+I 1 ${10 * MIN} 0 1 ${9 * MIN} 0`]);
    // Output time columns 1 (a.t) and 4 (b.t): min(20min, 20min - 0) and min(20min - 1h, 20min).
    assert.deepEqual(watermarksOf(out), [[1, 20 * MIN], [4, 20 * MIN - 60 * MIN]]);
  });

  it('keeps the JoinOperator for a join without time bounds and for a batch run', () => {
    const plain = runJoin('SELECT * FROM a JOIN b ON a.id = b.id', true);
    assert.deepEqual(rowsOf(plain), [`+I 1 ${10 * MIN} 0 1 ${9 * MIN} 0`]);
    assert.deepEqual(watermarksOf(plain), []);
    const batch = runJoin(INTERVAL_JOIN, false);
    assert.deepEqual(rowsOf(batch), [`+I 1 ${10 * MIN} 0 1 ${9 * MIN} 0`]);
    assert.deepEqual(watermarksOf(batch), []);
  });
});
