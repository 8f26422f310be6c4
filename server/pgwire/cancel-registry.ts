/**
 * The process-wide table of running sessions by (process id, secret key), so a CancelRequest that
 * arrives on another connection can find its target. Keys are random; a wrong secret is ignored.
 */
import { randomInt } from 'node:crypto';

export interface Cancellable {
  cancel(): void;
}

export interface CancelKey {
  readonly processId: number;
  readonly secretKey: number;
}

const sessionsByProcessId = new Map<number, { secretKey: number; target: Cancellable }>();

/** Register a session under a fresh random key; call the returned function when it ends. */
export function registerCancellable(target: Cancellable): { key: CancelKey; unregister: () => void } {
  let processId: number;
  do processId = randomInt(1, 0x7fffffff);
  while (sessionsByProcessId.has(processId));
  const secretKey = randomInt(-0x80000000, 0x7fffffff);
  sessionsByProcessId.set(processId, { secretKey, target });
  return {
    key: { processId, secretKey },
    unregister: () => {
      if (sessionsByProcessId.get(processId)?.target === target) sessionsByProcessId.delete(processId);
    },
  };
}

/** Cancel the session with this key; false when no session matches. */
export function cancelByKey(processId: number, secretKey: number): boolean {
  const entry = sessionsByProcessId.get(processId);
  if (!entry || entry.secretKey !== secretKey) return false;
  entry.target.cancel();
  return true;
}
