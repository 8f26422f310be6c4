/**
 * Runs a SQL query as a continuous dataflow in tests: binds it with the planner's FakeDatabase,
 * builds the operator graph with sources the test feeds by hand (changelog chunks, then a barrier),
 * and folds the output changelog into a multiset of rows, snapshotted when each barrier arrives.
 * The oracle is the same query run in batch over the tables as they stand.
 */
import assert from 'node:assert/strict';
import type { RelationDef } from '../../server/catalog/model.js';
import { Op, OP_TEXT } from '../../server/dynamic-table/changelog-op.js';
import { ChangelogChunk, ChunkBuilder } from '../../server/dynamic-table/chunk.js';
import { Messages, type Message } from '../../server/dynamic-table/message.js';
import { buildGraph } from '../../server/exec/build-graph.js';
import type { Downstream } from '../../server/exec/operators/operator.js';
import type { Source } from '../../server/exec/operators/source.js';
import { PlanRunner } from '../../server/exec/run-plan.js';
import type { Row } from '../../server/types/datum.js';
import type { SqlType } from '../../server/types/sql-type.js';
import { formatText } from '../../server/types/text-io.js';
import { FakeDatabase } from '../plan/harness.js';

export type Columns = readonly [string, SqlType][];

/** A source the test drives: it never ends on its own. */
class FedSource implements Source {
  constructor(readonly name: string, readonly rel: RelationDef, private readonly out: Downstream) {}
  *run(): Generator<void, void, void> {}
  push(msg: Message): void {
    this.out.push(msg);
  }
}

/** The output changelog folded into counts of rendered rows; checks update pairs and retractions. */
class MultisetSink implements Downstream {
  readonly counts = new Map<string, number>();
  snapshots: string[][] = [];
  messages: Message[] = [];
  constructor(private readonly types: readonly SqlType[]) {}

  render(row: Row): string {
    return JSON.stringify(row.map((v, i) => (v === null ? null : formatText(v, this.types[i]!))));
  }

  push(msg: Message): void {
    this.messages.push(msg);
    if (msg.kind === 'barrier') {
      this.snapshots.push(this.contents());
      return;
    }
    if (msg.kind !== 'chunk') return;
    const c = msg.chunk;
    for (let i = 0; i < c.length; i++) {
      if (c.visibility && !c.visibility[i]) continue;
      const op = c.ops[i] as Op;
      if (op === Op.UpdateBefore) assert.equal(c.ops[i + 1], Op.UpdateAfter, `UpdateBefore not followed by UpdateAfter:\n${c.toText()}`);
      if (op === Op.UpdateAfter) assert.equal(c.ops[i - 1], Op.UpdateBefore, `UpdateAfter without UpdateBefore:\n${c.toText()}`);
      const key = this.render(c.row(i));
      const n = (this.counts.get(key) ?? 0) + (op === Op.Insert || op === Op.UpdateAfter ? 1 : -1);
      assert.ok(n >= 0, `${OP_TEXT[op]} of a row not in the output: ${key}`);
      if (n === 0) this.counts.delete(key);
      else this.counts.set(key, n);
    }
  }

  contents(): string[] {
    const rows: string[] = [];
    for (const [k, n] of this.counts) for (let i = 0; i < n; i++) rows.push(k);
    return rows.sort();
  }

  /** The output changes since `from` (message index) as text lines. */
  changesSince(from: number): string[] {
    const lines: string[] = [];
    for (const m of this.messages.slice(from)) {
      if (m.kind !== 'chunk') continue;
      const c = m.chunk;
      for (let i = 0; i < c.length; i++) lines.push(`${OP_TEXT[c.ops[i]!]} ${this.render(c.row(i))}`);
    }
    return lines;
  }
}

export type Change = { readonly op: Op; readonly row: Row };

export class ContinuousQuery {
  private readonly tables: Map<string, { columns: Columns; rows: Row[] }>;
  private readonly sources: FedSource[] = [];
  private readonly sink: MultisetSink;
  private checkpoint = 0;

  constructor(readonly sql: string, tables: Record<string, { columns: Columns; rows?: readonly Row[] }>) {
    this.tables = new Map(Object.entries(tables).map(([name, t]) => [name, { columns: t.columns, rows: [...(t.rows ?? [])] }]));
    const db = this.database();
    const ctx = db.context();
    const bound = db.bind(sql);
    this.sink = new MultisetSink(bound.fields.map((f) => f.type));
    const batchSources: Source[] = [];
    buildGraph(bound.plan, this.sink, new PlanRunner(ctx, []).env(), batchSources, (rel, out) => {
      const s = new FedSource(`Fed ${rel.name}`, rel, out);
      this.sources.push(s);
      return s;
    }, true);
    assert.equal(batchSources.length, this.sources.length, 'only table scans may start this dataflow');
    // The snapshot, as inserts, then the first barrier.
    for (const s of this.sources) {
      const rows = this.tables.get(s.rel.name)!.rows;
      if (rows.length > 0) s.push(Messages.chunk(ChangelogChunk.fromRows(s.rel.columns.length, rows)));
    }
    this.barrier();
  }

  private database(): FakeDatabase {
    const db = new FakeDatabase();
    for (const [name, t] of this.tables) db.table(name, { columns: t.columns, rows: t.rows });
    return db;
  }

  rows(table: string): readonly Row[] {
    return this.tables.get(table)!.rows;
  }

  /** Applies one transaction's changes to `table` (deletes remove an equal row) and pushes them. */
  apply(table: string, changes: readonly Change[]): void {
    const t = this.tables.get(table)!;
    const b = new ChunkBuilder(t.columns.length);
    for (const { op, row } of changes) {
      if (op === Op.Insert || op === Op.UpdateAfter) t.rows.push(row);
      else {
        const key = JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
        const at = t.rows.findIndex((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) === key);
        assert.ok(at >= 0, 'test bug: deleting a row that is not there');
        t.rows.splice(at, 1);
      }
      b.append(op, row);
    }
    const chunk = b.build();
    for (const s of this.sources) if (s.rel.name === table && chunk.length > 0) s.push(Messages.chunk(chunk));
  }

  /** Sends a barrier through every source; returns the output changes since the previous one. */
  barrier(): string[] {
    let from = this.sink.messages.length;
    while (from > 0 && this.sink.messages[from - 1]!.kind !== 'barrier') from--;
    const id = ++this.checkpoint;
    for (const s of this.sources) s.push(Messages.barrier(id));
    assert.equal(this.sink.snapshots.length, id, 'the barrier did not reach the sink (exactly once)');
    return this.sink.changesSince(from);
  }

  /** The output as of the last barrier, and the batch result over the current tables. */
  compare(): { streamed: string[]; batch: string[] } {
    const batch = this.database().query(this.sql).map((r) => JSON.stringify(r)).sort();
    return { streamed: this.sink.snapshots.at(-1)!, batch };
  }

  assertMatchesBatch(context = ''): void {
    const { streamed, batch } = this.compare();
    assert.deepEqual(streamed, batch, `${this.sql}${context}`);
  }
}
