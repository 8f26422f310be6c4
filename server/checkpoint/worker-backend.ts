/**
 * WorkerCheckpointBackend: the SQLite checkpoint backend run on a worker_thread, behind the same
 * CheckpointBackend contract. Operator states written during a checkpoint are kept here and sent
 * with its `complete`; their encoding, checksums and the SQLite transaction happen on the worker,
 * so a checkpoint's write never holds up the queries (issue 6: written in the background).
 */
import { Worker } from 'node:worker_threads';
import { SqlError } from '../errors.js';
import type {
  CheckpointBackend,
  CheckpointReport,
  CompleteCheckpoint,
  OperatorStateRef,
  OperatorStateWrite,
  RestoreSearch,
  SourcePositions,
  StateEntry,
} from './api.js';
import type { SqliteCheckpointBackendOptions } from './sqlite-backend.js';
import type { BackendCall, BackendReply } from './worker-protocol.js';

export async function openWorkerCheckpointBackend(dataDir: string, options: Omit<SqliteCheckpointBackendOptions, 'now'> = {}): Promise<CheckpointBackend> {
  const worker = new Worker(new URL('./backend-worker.js', import.meta.url), { workerData: { dataDir, options } });
  const problems = await new Promise<string[]>((resolve, reject) => {
    const onMessage = (m: BackendReply): void => {
      if (m.kind !== 'ready') return;
      worker.off('error', reject);
      worker.off('message', onMessage);
      resolve(m.problems);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  return new WorkerCheckpointBackend(worker, problems);
}

class WorkerCheckpointBackend implements CheckpointBackend {
  private nextCall = 1;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private readonly writes = new Map<number, { ref: OperatorStateRef; write: OperatorStateWrite }[]>();
  private readonly positions = new Map<number, SourcePositions>();
  private failure: Error | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly problems: readonly string[],
  ) {
    worker.on('message', (m: BackendReply) => {
      if (m.kind === 'ready') return;
      const call = this.calls.get(m.call);
      if (!call) return;
      this.calls.delete(m.call);
      if (this.calls.size === 0) this.worker.unref();
      if (m.kind === 'result') call.resolve(m.result);
      else call.reject(m.code ? new SqlError(m.code, m.message) : new Error(m.message));
    });
    const fail = (e: Error): void => {
      this.failure = e;
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`checkpoint backend thread exited (${code})`)));
    // Between calls the thread waits for work: it must not keep the process alive (a call in flight does).
    worker.unref();
  }

  private call<T>(request: BackendCall): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const call = this.nextCall++;
    return new Promise<T>((resolve, reject) => {
      if (this.calls.size === 0) this.worker.ref();
      this.calls.set(call, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, call });
    });
  }

  begin(id: number, startedAt: number): Promise<void> {
    this.writes.set(id, []);
    return this.call({ method: 'begin', id, startedAt });
  }

  writeOperatorState(id: number, ref: OperatorStateRef, write: OperatorStateWrite): void {
    const list = this.writes.get(id);
    if (!list) throw new Error(`checkpoint ${id} is not pending (never begun, or already completed or aborted)`);
    list.push({ ref, write });
  }

  recordSourcePositions(id: number, positions: SourcePositions): void {
    if (!this.writes.has(id)) throw new Error(`checkpoint ${id} is not pending (never begun, or already completed or aborted)`);
    this.positions.set(id, positions);
  }

  complete(id: number): Promise<CheckpointReport> {
    const writes = this.writes.get(id) ?? [];
    const positions = this.positions.get(id);
    this.writes.delete(id);
    this.positions.delete(id);
    return this.call({ method: 'complete', id, writes, positions });
  }

  abort(id: number, reason: string): Promise<void> {
    this.writes.delete(id);
    this.positions.delete(id);
    return this.call({ method: 'abort', id, reason });
  }

  listComplete(): Promise<CompleteCheckpoint[]> {
    return this.call({ method: 'listComplete' });
  }

  latestRestorable(): Promise<RestoreSearch> {
    return this.call({ method: 'latestRestorable' });
  }

  readOperatorState(id: number, ref: OperatorStateRef): Promise<StateEntry[] | undefined> {
    return this.call({ method: 'readOperatorState', id, ref });
  }

  readSourcePositions(id: number): Promise<SourcePositions> {
    return this.call({ method: 'readSourcePositions', id });
  }

  prune(retain: number): Promise<number[]> {
    return this.call({ method: 'prune', retain });
  }

  report(): Promise<CheckpointReport[]> {
    return this.call({ method: 'report' });
  }

  lastCheckpointId(): Promise<number> {
    return this.call({ method: 'lastCheckpointId' });
  }

  openProblems(): readonly string[] {
    return this.problems;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.call({ method: 'close' }).catch(() => undefined);
    this.failure ??= new Error('checkpoint backend closed');
    await this.worker.terminate();
  }
}
