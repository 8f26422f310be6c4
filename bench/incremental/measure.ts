/**
 * Small measuring helpers shared by the benchmark's runners: a monotonic clock in milliseconds,
 * medians, and the JS heap in use after a full collection (when node runs with --expose-gc).
 */

export const nowMs = (): number => performance.now();

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Whether heap figures are taken after a forced full GC (node --expose-gc). */
export const canForceGc = (): boolean => typeof globalThis.gc === 'function';

/** Heap used in bytes, after two full collections when they can be forced. */
export function heapUsedBytes(): number {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Waits until `check` returns true, polling; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  while (!(await check())) {
    if (nowMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
