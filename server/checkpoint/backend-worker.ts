/**
 * The thread behind WorkerCheckpointBackend: opens the SQLite checkpoint backend in a worker_thread
 * and runs each request it is sent, in order, so a checkpoint's encoding, checksums and SQLite write
 * happen off the thread that runs the queries. Replies carry the request's number.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteCheckpointBackend, type SqliteCheckpointBackendOptions } from './sqlite-backend.js';
import type { BackendReply, BackendRequest } from './worker-protocol.js';

const port = parentPort!;
const { dataDir, options } = workerData as { dataDir: string; options: SqliteCheckpointBackendOptions };
const backend = openSqliteCheckpointBackend(dataDir, options);
port.postMessage({ kind: 'ready', problems: [...backend.openProblems()] } satisfies BackendReply);

async function run(req: BackendRequest): Promise<unknown> {
  switch (req.method) {
    case 'begin':
      return backend.begin(req.id, req.startedAt);
    case 'complete':
      for (const w of req.writes) backend.writeOperatorState(req.id, w.ref, w.write);
      if (req.positions) backend.recordSourcePositions(req.id, req.positions);
      return backend.complete(req.id);
    case 'abort':
      return backend.abort(req.id, req.reason);
    case 'listComplete':
      return backend.listComplete();
    case 'latestRestorable':
      return backend.latestRestorable();
    case 'readOperatorState':
      return backend.readOperatorState(req.id, req.ref);
    case 'readSourcePositions':
      return backend.readSourcePositions(req.id);
    case 'prune':
      return backend.prune(req.retain);
    case 'report':
      return backend.report();
    case 'lastCheckpointId':
      return backend.lastCheckpointId();
    case 'close':
      return backend.close();
    default: {
      const never: never = req;
      throw new Error(`unknown checkpoint backend request ${JSON.stringify(never)}`);
    }
  }
}

port.on('message', (req: BackendRequest) => {
  run(req).then(
    (result) => port.postMessage({ kind: 'result', call: req.call, result } satisfies BackendReply),
    (e: unknown) => {
      const err = e as { message?: unknown; code?: unknown };
      port.postMessage({
        kind: 'error',
        call: req.call,
        message: typeof err?.message === 'string' ? err.message : String(e),
        code: typeof err?.code === 'string' ? err.code : undefined,
      } satisfies BackendReply);
    },
  );
});
