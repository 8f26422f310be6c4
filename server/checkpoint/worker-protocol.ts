/**
 * Messages between WorkerCheckpointBackend and its thread (backend-worker.ts): one request per
 * backend call, numbered, and one reply per request. Operator states written during a checkpoint
 * travel with its `complete` request, so a checkpoint crosses threads once.
 */
import type { OperatorStateRef, OperatorStateWrite, SourcePositions } from './api.js';

export type BackendRequest = { readonly call: number } & (
  | { readonly method: 'begin'; readonly id: number; readonly startedAt: number }
  | {
      readonly method: 'complete';
      readonly id: number;
      readonly writes: readonly { readonly ref: OperatorStateRef; readonly write: OperatorStateWrite }[];
      readonly positions: SourcePositions | undefined;
    }
  | { readonly method: 'abort'; readonly id: number; readonly reason: string }
  | { readonly method: 'listComplete' }
  | { readonly method: 'latestRestorable' }
  | { readonly method: 'readOperatorState'; readonly id: number; readonly ref: OperatorStateRef }
  | { readonly method: 'readSourcePositions'; readonly id: number }
  | { readonly method: 'prune'; readonly retain: number }
  | { readonly method: 'report' }
  | { readonly method: 'lastCheckpointId' }
  | { readonly method: 'close' }
);

/** A request without its number, as the client builds it. */
export type BackendCall = BackendRequest extends infer R ? (R extends { readonly call: number } ? Omit<R, 'call'> : never) : never;

export type BackendReply =
  | { readonly kind: 'ready'; readonly problems: string[] }
  | { readonly kind: 'result'; readonly call: number; readonly result: unknown }
  | { readonly kind: 'error'; readonly call: number; readonly message: string; readonly code: string | undefined };
