/**
 * The fast-check property of the view oracle: for each generated case, reset both engines, run the
 * case step by step, and fail with the mismatch report. checkViews() runs it and turns a failure
 * (shrunk by fast-check) into one message with the seed and path that replay it.
 */
import fc from 'fast-check';
import { oracleCase } from './oracle-arbitraries.js';
import type { OracleEngine } from './oracle-engines.js';
import { renderCase } from './oracle-render.js';
import { OracleStats, runCase } from './oracle-runner.js';

export class OracleMismatchError extends Error {}

export interface CheckOptions {
  readonly numRuns: number;
  /** Whether cases crash and restart the side under test now and then. */
  readonly restarts?: boolean;
  readonly seed?: number;
  /** fast-check's counterexample path, to replay one shrunk case. */
  readonly path?: string;
  readonly timeLimitMs?: number;
  /** false: report the first failing case as found (fast-check's endOnFailure). Default true. */
  readonly shrink?: boolean;
}

export interface CheckResult {
  readonly stats: OracleStats;
  /** null when every case agreed. */
  readonly failure: string | null;
}

export async function checkViews(oracle: OracleEngine, subject: OracleEngine, options: CheckOptions): Promise<CheckResult> {
  const stats = new OracleStats();
  const property = fc.asyncProperty(oracleCase({ restarts: options.restarts ?? false }), async (c) => {
    await Promise.all([oracle.reset(), subject.reset()]);
    const mismatch = await runCase(renderCase(c), oracle, subject, stats);
    if (mismatch !== null) throw new OracleMismatchError(mismatch.report);
  });
  const details = await fc.check(property, {
    numRuns: options.numRuns,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.shrink === false ? { endOnFailure: true } : {}),
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
  });
  if (!details.failed) return { stats, failure: null };
  const err = details.errorInstance;
  const report = err instanceof OracleMismatchError ? err.message : `unexpected error: ${err instanceof Error ? err.stack : String(err)}`;
  return {
    stats,
    failure: `view oracle: mismatch after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s)\n` +
      `replay: FRESHET_ORACLE_SEED=${details.seed} FRESHET_ORACLE_PATH=${details.counterexamplePath ?? ''} ` +
      `npx mocha --no-config --exit dist/test/dynamic-table/view-oracle.test.js\n\n${report}`,
  };
}
