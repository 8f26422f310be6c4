/**
 * The SQLite checkpoint backend: full and incremental chains read back folded, source positions,
 * reports, prune keeping chains, atomicity across a close without complete, and damaged blobs
 * (bytes flipped or truncated with a second SQLite connection) detected, reported and skipped.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OperatorStateRef, OperatorStateWrite, SourcePositions, StateEntry } from './api.js';
import { CheckpointDamagedError } from './checkpoint-errors.js';
import { openSqliteCheckpointBackend, type SqliteCheckpointBackend } from './sqlite-backend.js';
import { CHECKPOINT_DB_FILE_NAME } from './sqlite-checkpoint-schema.js';

const AGG: OperatorStateRef = { queryOid: 16384, operatorId: 'HashAggregate#2' };
const JOIN: OperatorStateRef = { queryOid: 16384, operatorId: 'HashJoin#1' };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-checkpoint-'));
}

const v = (s: string): Uint8Array => new TextEncoder().encode(s);

function positions(offset: number): SourcePositions {
  return { relationOffsets: new Map([[16385, offset], [16390, 7]]), builtinPositions: new Map([['nexmark', `{"events":${offset}}`]]) };
}

/** State as comparable text: "s:key=value" for string keys, "b:hex=value" for byte keys, sorted. */
function show(entries: readonly StateEntry[] | undefined): string[] | undefined {
  if (entries === undefined) return undefined;
  return entries
    .map((e) => `${typeof e.key === 'string' ? `s:${e.key}` : `b:${Buffer.from(e.key).toString('hex')}`}=${Buffer.from(e.value).toString()}`)
    .sort();
}

async function checkpoint(
  b: SqliteCheckpointBackend,
  id: number,
  writes: readonly [OperatorStateRef, OperatorStateWrite][],
): Promise<void> {
  await b.begin(id, 1000 * id);
  for (const [ref, write] of writes) b.writeOperatorState(id, ref, write);
  b.recordSourcePositions(id, positions(id * 10));
  await b.complete(id);
}

const full = (...pairs: [string | Uint8Array, string][]): OperatorStateWrite => ({
  kind: 'full',
  entries: pairs.map(([key, value]) => ({ key, value: v(value) })),
});
const incremental = (base: number, upserts: [string | Uint8Array, string][], deletes: (string | Uint8Array)[]): OperatorStateWrite => ({
  kind: 'incremental',
  baseCheckpointId: base,
  upserts: upserts.map(([key, value]) => ({ key, value: v(value) })),
  deletes,
});

/** Overwrite one operator blob (or the sources blob) of a checkpoint through a second connection. */
function tamper(dir: string, checkpointId: number, ref: OperatorStateRef | 'sources', change: (blob: Buffer) => Buffer): void {
  const db = new Database(path.join(dir, CHECKPOINT_DB_FILE_NAME));
  try {
    if (ref === 'sources') {
      const row = db.prepare('SELECT sources FROM checkpoint WHERE id = ?').get(checkpointId) as { sources: Buffer };
      db.prepare('UPDATE checkpoint SET sources = ? WHERE id = ?').run(change(Buffer.from(row.sources)), checkpointId);
    } else {
      const row = db
        .prepare('SELECT state FROM operator_state WHERE checkpoint_id = ? AND query_oid = ? AND operator_id = ?')
        .get(checkpointId, ref.queryOid, ref.operatorId) as { state: Buffer };
      const changed = db
        .prepare('UPDATE operator_state SET state = ? WHERE checkpoint_id = ? AND query_oid = ? AND operator_id = ?')
        .run(change(Buffer.from(row.state)), checkpointId, ref.queryOid, ref.operatorId);
      assert.equal(changed.changes, 1);
    }
  } finally {
    db.close();
  }
}

const flipByte = (at: number) => (blob: Buffer): Buffer => {
  const out = Buffer.from(blob);
  const i = at < 0 ? out.length + at : at;
  out[i] = out[i]! ^ 0x5a;
  return out;
};
const truncate = (keep: number) => (blob: Buffer): Buffer => blob.subarray(0, keep);

describe('checkpoint/sqlite-backend', () => {
  let dir: string;
  let backend: SqliteCheckpointBackend;
  beforeEach(() => {
    dir = tempDir();
    let clock = 0;
    backend = openSqliteCheckpointBackend(dir, { synchronous: 'normal', now: () => (clock += 1500) });
  });
  afterEach(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('folds incremental chains onto the last full write, keeping string and byte keys apart', async () => {
    await checkpoint(backend, 1, [[AGG, full(['a', '1'], [v('a'), 'bytes-a'], ['b', '2'])], [JOIN, full(['k', 'x'])]]);
    await checkpoint(backend, 2, [[AGG, incremental(1, [['c', '3'], ['a', '10']], [v('a')])], [JOIN, incremental(1, [], [])]]);
    await checkpoint(backend, 3, [[AGG, incremental(2, [[Uint8Array.of(0, 255), 'raw']], ['b'])], [JOIN, full(['k', 'y'], ['m', 'z'])]]);
    await checkpoint(backend, 4, [[AGG, incremental(3, [['b', 'back']], [])]]);

    assert.deepEqual(show(await backend.readOperatorState(1, AGG)), ['b:61=bytes-a', 's:a=1', 's:b=2']);
    assert.deepEqual(show(await backend.readOperatorState(2, AGG)), ['s:a=10', 's:b=2', 's:c=3']);
    assert.deepEqual(show(await backend.readOperatorState(3, AGG)), ['b:00ff=raw', 's:a=10', 's:c=3']);
    assert.deepEqual(show(await backend.readOperatorState(4, AGG)), ['b:00ff=raw', 's:a=10', 's:b=back', 's:c=3']);
    assert.deepEqual(show(await backend.readOperatorState(2, JOIN)), ['s:k=x']);
    assert.deepEqual(show(await backend.readOperatorState(3, JOIN)), ['s:k=y', 's:m=z']);
    assert.equal(await backend.readOperatorState(4, JOIN), undefined, 'checkpoint 4 holds nothing for the join');

    const sources = await backend.readSourcePositions(3);
    assert.deepEqual([...sources.relationOffsets], [[16385, 30], [16390, 7]]);
    assert.deepEqual([...sources.builtinPositions], [['nexmark', '{"events":30}']]);
    assert.deepEqual((await backend.listComplete()).map((c) => [c.id, c.operators.length]), [[1, 2], [2, 2], [3, 2], [4, 1]]);
  });

  it('copies state when handed over, so the operator may change it right after', async () => {
    const value = v('before');
    const entries: StateEntry[] = [{ key: 'k', value }];
    await backend.begin(1, 0);
    backend.writeOperatorState(1, AGG, { kind: 'full', entries });
    value.set(v('AFTER!'));
    entries.push({ key: 'late', value: v('x') });
    backend.recordSourcePositions(1, positions(1));
    await backend.complete(1);
    assert.deepEqual(show(await backend.readOperatorState(1, AGG)), ['s:k=before']);
  });

  it('reports id, start, duration, bytes per operator and why a checkpoint failed', async () => {
    await checkpoint(backend, 1, [[AGG, full(['a', '1'], ['b', '2'])], [JOIN, full(['k', 'x'])]]);
    await backend.begin(2, 2000);
    backend.writeOperatorState(2, AGG, full(['a', '1']));
    await backend.abort(2, 'operator HashJoin#1 failed: out of memory');
    await backend.begin(3, 3000);
    backend.writeOperatorState(3, AGG, incremental(2, [], []));
    backend.recordSourcePositions(3, positions(3));
    await assert.rejects(backend.complete(3), /incremental on checkpoint 2, which is failed/);
    await backend.begin(4, 4000);
    await assert.rejects(backend.complete(4), /no source positions/);

    const report = await backend.report();
    assert.deepEqual(report.map((r) => [r.id, r.status]), [[1, 'complete'], [2, 'failed'], [3, 'failed'], [4, 'failed']]);
    const first = report[0]!;
    assert.equal(first.startedAt, 1000);
    assert.equal(first.durationMs, 500, 'fake clock: completed at 1500');
    assert.deepEqual(first.operators.map((o) => [o.operatorId, o.kind, o.upsertCount]), [['HashAggregate#2', 'full', 2], ['HashJoin#1', 'full', 1]]);
    const operatorBytes = first.operators.reduce((sum, o) => sum + o.bytes, 0);
    assert.ok(operatorBytes > 0 && first.bytes > operatorBytes, 'total = operator blobs + source positions');
    assert.equal(report[1]!.failure, 'operator HashJoin#1 failed: out of memory');
    assert.match(report[2]!.failure!, /incremental on checkpoint 2/);
    assert.equal(report[1]!.durationMs, null);
  });

  it('rejects ids that do not grow and a checkpoint subsumed by a newer completed one', async () => {
    await checkpoint(backend, 5, [[AGG, full(['a', '1'])]]);
    await assert.rejects(backend.begin(5, 0), /greater than 5/);
    await backend.begin(6, 0);
    await backend.begin(7, 0);
    backend.recordSourcePositions(6, positions(6));
    backend.recordSourcePositions(7, positions(7));
    await backend.complete(7);
    await assert.rejects(backend.complete(6), /subsumed/);
    assert.deepEqual((await backend.listComplete()).map((c) => c.id), [5, 7]);
    assert.equal(await backend.lastCheckpointId(), 7);
  });

  it('prune keeps the newest N and every checkpoint their chains need', async () => {
    await checkpoint(backend, 1, [[AGG, full(['a', '1'])], [JOIN, full(['j', '1'])]]);
    await checkpoint(backend, 2, [[AGG, incremental(1, [['b', '2']], [])], [JOIN, full(['j', '2'])]]);
    await checkpoint(backend, 3, [[AGG, full(['c', '3'])], [JOIN, incremental(2, [['k', '3']], [])]]);
    await checkpoint(backend, 4, [[AGG, incremental(3, [['d', '4']], [])], [JOIN, incremental(3, [], ['j'])]]);
    await backend.begin(5, 0);
    await backend.abort(5, 'timed out');
    await checkpoint(backend, 6, [[AGG, incremental(4, [['e', '6']], [])], [JOIN, incremental(4, [['l', '6']], [])]]);

    // Keeping 6: its AGG chain needs AGG of 4 and 3; its JOIN chain needs JOIN of 4, 3 and 2. Checkpoint
    // 1 is needed by nobody, and failed checkpoint 5 is older than the oldest retained one.
    assert.deepEqual(await backend.prune(1), [1, 5]);
    assert.deepEqual((await backend.listComplete()).map((c) => c.id), [6]);
    assert.deepEqual(show(await backend.readOperatorState(6, JOIN)), ['s:k=3', 's:l=6']);
    assert.deepEqual(show(await backend.readOperatorState(6, AGG)), ['s:c=3', 's:d=4', 's:e=6']);
    assert.deepEqual((await backend.report()).map((r) => [r.id, r.status]), [[2, 'retired'], [3, 'retired'], [4, 'retired'], [6, 'complete']]);
    await assert.rejects(backend.readOperatorState(2, JOIN), /not a complete checkpoint \(retired\)/);
    const stored = new Database(path.join(dir, CHECKPOINT_DB_FILE_NAME), { readonly: true });
    try {
      const blobs = stored.prepare('SELECT checkpoint_id AS id, operator_id AS op FROM operator_state WHERE state IS NOT NULL ORDER BY 1, 2').all();
      assert.deepEqual(blobs.map((b) => Object.values(b as object).join(' ')), [
        '2 HashJoin#1', // AGG of 2 is needed by no kept chain: dropped
        '3 HashAggregate#2', '3 HashJoin#1', '4 HashAggregate#2', '4 HashJoin#1', '6 HashAggregate#2', '6 HashJoin#1',
      ]);
    } finally {
      stored.close();
    }

    await checkpoint(backend, 7, [[AGG, full(['z', '7'])], [JOIN, full()]]);
    assert.deepEqual(await backend.prune(1), [2, 3, 4, 6]);
    assert.deepEqual((await backend.report()).map((r) => r.id), [7]);
    assert.deepEqual(show(await backend.readOperatorState(7, AGG)), ['s:z=7']);
    await assert.rejects(backend.prune(0), /retain must be a positive integer/);
  });

  it('a checkpoint not completed before the process ends is invisible after reopening, and reported', async () => {
    await checkpoint(backend, 1, [[AGG, full(['a', '1'])]]);
    await backend.begin(2, 2000);
    backend.writeOperatorState(2, AGG, incremental(1, [['b', '2']], []));
    backend.recordSourcePositions(2, positions(2));
    await backend.close(); // a crash: complete never ran

    backend = openSqliteCheckpointBackend(dir);
    assert.deepEqual((await backend.listComplete()).map((c) => c.id), [1]);
    const restore = await backend.latestRestorable();
    assert.equal(restore.point?.checkpoint.id, 1);
    assert.deepEqual(restore.skipped, []);
    const report = await backend.report();
    assert.deepEqual(report.map((r) => [r.id, r.status, r.failure]), [
      [1, 'complete', null],
      [2, 'failed', 'the process ended before the checkpoint completed'],
    ]);
    assert.equal(await backend.lastCheckpointId(), 2);
    await assert.rejects(backend.begin(2, 0), /greater than 2/);
    await assert.rejects(backend.readOperatorState(2, AGG), /not a complete checkpoint/);
  });

  it('a slow disk delays complete, and the checkpoint stays invisible to other readers until it commits', async () => {
    await backend.close();
    backend = openSqliteCheckpointBackend(dir, { writeDelayMs: 25 });
    await backend.begin(1, Date.now());
    backend.writeOperatorState(1, AGG, full(['a', '1']));
    backend.writeOperatorState(1, JOIN, full(['j', '1']));
    backend.recordSourcePositions(1, positions(1));
    const started = Date.now();
    const done = backend.complete(1);
    await new Promise((resolve) => setImmediate(resolve)); // let complete open its transaction
    const reader = new Database(path.join(dir, CHECKPOINT_DB_FILE_NAME), { readonly: true });
    try {
      assert.deepEqual(reader.prepare('SELECT status FROM checkpoint').all(), [{ status: 'pending' }]);
      await done;
      assert.ok(Date.now() - started >= 3 * 25 - 5, 'three delayed writes: two states and the commit');
      assert.deepEqual(reader.prepare('SELECT status FROM checkpoint').all(), [{ status: 'complete' }]);
      assert.deepEqual(reader.prepare('SELECT count(*) AS n FROM operator_state').get(), { n: 2 });
    } finally {
      reader.close();
    }
  });

  describe('damaged blobs', () => {
    async function fourCheckpoints(): Promise<void> {
      await checkpoint(backend, 1, [[AGG, full(['a', '1'])], [JOIN, full(['j', '1'])]]);
      await checkpoint(backend, 2, [[AGG, incremental(1, [['b', '2']], [])], [JOIN, full(['j', '2'])]]);
      await checkpoint(backend, 3, [[AGG, full(['c', '3'])], [JOIN, incremental(2, [['k', '3']], [])]]);
      await checkpoint(backend, 4, [[AGG, incremental(3, [['d', '4']], [])], [JOIN, incremental(3, [], ['j'])]]);
      await backend.close();
    }

    it('a flipped byte in the newest checkpoint: detected, reported, restore falls back one', async () => {
      await fourCheckpoints();
      tamper(dir, 4, AGG, flipByte(-7));
      backend = openSqliteCheckpointBackend(dir);
      const restore = await backend.latestRestorable();
      assert.equal(restore.point?.checkpoint.id, 3);
      assert.equal(restore.skipped.length, 1);
      assert.match(restore.skipped[0]!.failure, /HashAggregate#2.*checkpoint 4: checksum mismatch/);
      assert.deepEqual([...restore.point!.sources.relationOffsets], [[16385, 30], [16390, 7]]);
      assert.deepEqual(show(await backend.readOperatorState(3, JOIN)), ['s:j=2', 's:k=3']);
      const damaged = (await backend.report()).find((r) => r.id === 4)!;
      assert.equal(damaged.status, 'damaged');
      assert.match(damaged.failure!, /checksum mismatch/);
      await assert.rejects(backend.readOperatorState(4, JOIN), CheckpointDamagedError);
      assert.deepEqual((await backend.listComplete()).map((c) => c.id), [1, 2, 3]);
    });

    it('a truncated base blob damages every checkpoint whose chain runs through it', async () => {
      await fourCheckpoints();
      tamper(dir, 2, JOIN, truncate(12)); // checkpoints 3 and 4 fold JOIN onto checkpoint 2
      backend = openSqliteCheckpointBackend(dir);
      const restore = await backend.latestRestorable();
      assert.equal(restore.point?.checkpoint.id, 1);
      assert.deepEqual(restore.skipped.map((s) => s.id), [4, 3, 2]);
      assert.match(restore.skipped[0]!.failure, /HashJoin#1" of query 16384 in checkpoint 2: checksum mismatch/);
      assert.deepEqual(show(await backend.readOperatorState(1, AGG)), ['s:a=1']);
    });

    it('a blob cut to a few bytes, or damaged source positions, are reported too', async () => {
      await fourCheckpoints();
      tamper(dir, 4, JOIN, truncate(3));
      tamper(dir, 3, 'sources', flipByte(5));
      backend = openSqliteCheckpointBackend(dir);
      const restore = await backend.latestRestorable();
      assert.equal(restore.point?.checkpoint.id, 2);
      assert.match(restore.skipped[0]!.failure, /truncated to 3 bytes/);
      assert.match(restore.skipped[1]!.failure, /source positions: checksum mismatch/);
    });

    it('reading a damaged chain directly rejects and marks the checkpoint damaged', async () => {
      await fourCheckpoints();
      tamper(dir, 3, AGG, flipByte(20));
      backend = openSqliteCheckpointBackend(dir);
      await assert.rejects(backend.readOperatorState(4, AGG), (e: unknown) => {
        assert.ok(e instanceof CheckpointDamagedError);
        assert.equal(e.code, 'XX001');
        assert.equal(e.checkpointId, 4);
        return true;
      });
      assert.equal((await backend.report()).find((r) => r.id === 4)!.status, 'damaged');
      assert.deepEqual(show(await backend.readOperatorState(2, AGG)), ['s:a=1', 's:b=2']);
    });

    it('a checkpoints.db that is not a database is moved aside; the backend starts empty', async () => {
      await fourCheckpoints();
      const file = path.join(dir, CHECKPOINT_DB_FILE_NAME);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      fs.writeFileSync(file, Buffer.alloc(8192, 0x41));
      backend = openSqliteCheckpointBackend(dir);
      assert.equal(backend.openProblems().length, 1);
      assert.match(backend.openProblems()[0]!, /moved to .*checkpoints\.db\.damaged-/);
      assert.deepEqual(await backend.latestRestorable(), { point: null, skipped: [] });
      await checkpoint(backend, 1, [[AGG, full(['a', '1'])]]);
      assert.deepEqual(show(await backend.readOperatorState(1, AGG)), ['s:a=1']);
    });
  });
});
