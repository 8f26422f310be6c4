/**
 * The checkpoint coordinator of one process (issue 6): takes a checkpoint every `intervalMs` and on
 * demand (the CHECKPOINT statement). A checkpoint is cut between epochs, where every running query
 * has passed the same barrier (all queries advance together after each commit), so capturing the
 * operators' state there is the aligned barrier snapshot; the capture is synchronous and only encodes
 * what changed, and the backend writes it afterwards. One checkpoint runs at a time; a failed one
 * makes the next snapshot of each query full. Completed checkpoints beyond `retain` are pruned.
 */
import type { CheckpointBackend, CheckpointReport, OperatorStateRef, StateEntry } from './api.js';
import { encodeStateValue } from '../exec/operators/operator-state.js';
import type { CapturedQuery, RestoredQuery } from '../dynamic-table/query-checkpoint.js';
import type { CheckpointStats } from '../catalog/system/system-table.js';

/** What the coordinator needs of the running queries (ViewRuntime). */
export interface CheckpointedQueries {
  /** Every query's state at the current epoch boundary; `epoch`: the last epoch the state includes. */
  captureCheckpoint(): { queries: CapturedQuery[]; relationOffsets: Map<number, number>; epoch: number };
  checkpointSettled(id: number | null, captured: readonly CapturedQuery[], epoch: number): void;
}

/** What the coordinator needs of the built-in sources (SourceDriver). */
export interface CheckpointedSources {
  positions(): Map<string, string>;
}

export interface CheckpointCoordinatorOptions {
  /** Milliseconds between checkpoints; 0: only on demand. */
  readonly intervalMs: number;
  /** Complete checkpoints kept (>= 1). */
  readonly retain: number;
}

export type CheckpointTrigger = 'interval' | 'manual';

/** Figures of one checkpoint beside the backend's report. */
export interface CheckpointTiming {
  readonly trigger: CheckpointTrigger;
  /** From the trigger until every query's state was captured (the barrier's time across the job). */
  readonly alignmentMs: number;
  /** The synchronous part: snapshotting the operators' state (copies of what changed). */
  readonly captureMs: number;
  /** Encoding the captured state, in slices between epochs. */
  readonly encodeMs: number;
  /** The backend's write of the checkpoint (SQLite, one transaction; null until it is done). */
  readonly writeMs: number | null;
  /** The last epoch whose output the checkpoint covers. */
  readonly epoch: number;
}

/** What recovery found and did, for freshet_checkpoints and the log. */
export interface RecoveryReport {
  readonly checkpointId: number | null;
  readonly skipped: readonly { readonly id: number; readonly failure: string }[];
  readonly restoredQueries: number;
  readonly rebuiltQueries: number;
  readonly durationMs: number;
}

const REPORTS_KEPT = 100;
/** Longest stretch of encoding before the stream gets a turn. */
const ENCODE_SLICE_MS = 4;

export class CheckpointCoordinator {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<CheckpointReport> | undefined;
  private closed = false;
  private readonly timings = new Map<number, CheckpointTiming>();
  /** The backend's reports as of the last checkpoint settled (system views read this synchronously). */
  private reports: CheckpointReport[] = [];
  recovery: RecoveryReport | undefined;

  private constructor(
    readonly backend: CheckpointBackend,
    private lastId: number,
    private readonly queries: CheckpointedQueries,
    private readonly sources: CheckpointedSources,
    readonly options: CheckpointCoordinatorOptions,
  ) {}

  static async open(backend: CheckpointBackend, queries: CheckpointedQueries, sources: CheckpointedSources, options: CheckpointCoordinatorOptions): Promise<CheckpointCoordinator> {
    const c = new CheckpointCoordinator(backend, await backend.lastCheckpointId(), queries, sources, options);
    c.reports = (await backend.report()).slice(-REPORTS_KEPT);
    return c;
  }

  /**
   * Every running query's state in the newest restorable checkpoint, by query oid (damaged newer
   * checkpoints are skipped and reported), and the built-in sources' positions stored with it.
   */
  async loadRestorePoint(): Promise<{ checkpointId: number | null; queries: Map<number, RestoredQuery>; builtinPositions: ReadonlyMap<string, string>; skipped: { id: number; failure: string }[] }> {
    const search = await this.backend.latestRestorable();
    const queries = new Map<number, RestoredQuery>();
    const skipped = search.skipped.map((s) => ({ id: s.id, failure: s.failure }));
    if (!search.point) return { checkpointId: null, queries, builtinPositions: new Map(), skipped };
    const id = search.point.checkpoint.id;
    const byQuery = new Map<number, OperatorStateRef[]>();
    for (const ref of search.point.checkpoint.operators) {
      const list = byQuery.get(ref.queryOid);
      if (list) list.push(ref);
      else byQuery.set(ref.queryOid, [ref]);
    }
    for (const [oid, refs] of byQuery) {
      const states = new Map<string, StateEntry[]>();
      for (const ref of refs) states.set(ref.operatorId, (await this.backend.readOperatorState(id, ref)) ?? []);
      queries.set(oid, { checkpointId: id, states });
    }
    this.reports = (await this.backend.report()).slice(-REPORTS_KEPT);
    return { checkpointId: id, queries, builtinPositions: search.point.sources.builtinPositions, skipped };
  }

  /** Starts the interval timer (no-op when intervalMs is 0). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.closed) return;
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      if (this.inFlight) {
        this.schedule();
        return;
      }
      this.run('interval')
        .catch(() => {
          // Recorded as failed in the backend's report; the next interval tries again.
        })
        .finally(() => {
          if (!this.closed) this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** CHECKPOINT: waits for a checkpoint in flight, then takes a new one and resolves when it completed. */
  async checkpoint(): Promise<CheckpointReport> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    return this.run('manual');
  }

  private run(trigger: CheckpointTrigger): Promise<CheckpointReport> {
    const p = this.take(trigger).finally(() => {
      if (this.inFlight === p) this.inFlight = undefined;
    });
    this.inFlight = p;
    return p;
  }

  private async take(trigger: CheckpointTrigger): Promise<CheckpointReport> {
    const triggeredAt = performance.now();
    const startedAt = Date.now();
    const id = ++this.lastId;
    let captured: CapturedQuery[] = [];
    let epoch = 0;
    let begun = false;
    try {
      // The capture comes first, at the epoch boundary this turn of the event loop is at; the
      // backend (on its own thread) is told afterwards, so its round trip is not in the pause.
      const captureStart = performance.now();
      const capture = this.queries.captureCheckpoint();
      const { queries, relationOffsets } = capture;
      captured = queries;
      epoch = capture.epoch;
      const builtinPositions = this.sources.positions();
      const capturedAt = performance.now();
      await this.backend.begin(id, startedAt);
      begun = true;
      // The encoding, in slices between which the stream goes on (the captured datums are immutable copies).
      const entries = new Map<CapturedQuery['units'][number], StateEntry[]>();
      let sliceStart = performance.now();
      for (const q of queries) {
        for (const u of q.units) {
          const list = u.captured.ready.slice();
          for (const p of u.captured.pending) {
            list.push({ key: p.key, value: encodeStateValue(p.values) });
            if (performance.now() - sliceStart > ENCODE_SLICE_MS) {
              await new Promise((resolve) => setImmediate(resolve));
              sliceStart = performance.now();
            }
          }
          entries.set(u, list);
        }
      }
      for (const q of queries) {
        for (const u of q.units) {
          const ref = { queryOid: q.oid, operatorId: u.id };
          const upserts = entries.get(u)!;
          if (q.base === null) this.backend.writeOperatorState(id, ref, { kind: 'full', entries: upserts });
          else this.backend.writeOperatorState(id, ref, { kind: 'incremental', baseCheckpointId: q.base, upserts, deletes: u.captured.deletes });
        }
      }
      this.backend.recordSourcePositions(id, { relationOffsets, builtinPositions });
      const end = performance.now();
      const timing: CheckpointTiming = { trigger, alignmentMs: capturedAt - triggeredAt, captureMs: capturedAt - captureStart, encodeMs: end - capturedAt, writeMs: null, epoch };
      this.remember(id, timing);
      const writeStart = performance.now();
      const report = await this.backend.complete(id);
      this.timings.set(id, { ...timing, writeMs: performance.now() - writeStart });
      this.queries.checkpointSettled(id, captured, epoch);
      await this.backend.prune(this.options.retain);
      this.reports = (await this.backend.report()).slice(-REPORTS_KEPT);
      return report;
    } catch (e) {
      this.queries.checkpointSettled(null, captured, epoch);
      const reason = e instanceof Error ? e.message : String(e);
      if (begun) await this.backend.abort(id, reason).catch(() => undefined);
      this.reports = (await this.backend.report().catch(() => this.reports)).slice(-REPORTS_KEPT);
      throw e;
    }
  }

  private remember(id: number, t: CheckpointTiming): void {
    this.timings.set(id, t);
    if (this.timings.size > REPORTS_KEPT) this.timings.delete(this.timings.keys().next().value!);
  }

  /** Checkpoints as last reported by the backend, oldest first, with their timings where known. */
  list(): readonly { readonly report: CheckpointReport; readonly timing: CheckpointTiming | undefined }[] {
    return this.reports.map((report) => ({ report, timing: this.timings.get(report.id) }));
  }

  /** Stops the timer and waits for a checkpoint in flight; the backend stays open (the engine closes it). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight) await this.inFlight.catch(() => undefined);
  }
}

/** The coordinator's checkpoints as the system views take them. */
export function checkpointStats(c: CheckpointCoordinator | undefined): CheckpointStats[] {
  if (!c) return [];
  return c.list().map(({ report, timing }) => ({
    id: report.id,
    status: report.status,
    trigger: timing?.trigger ?? null,
    startedAt: report.startedAt,
    completedAt: report.completedAt,
    durationMs: report.durationMs,
    alignmentMs: timing?.alignmentMs ?? null,
    epoch: timing?.epoch ?? null,
    captureMs: timing?.captureMs ?? null,
    encodeMs: timing?.encodeMs ?? null,
    writeMs: timing?.writeMs ?? null,
    bytes: report.bytes,
    failure: report.failure,
    operators: report.operators.map((o) => ({
      queryOid: o.queryOid,
      operatorId: o.operatorId,
      kind: o.kind,
      baseCheckpointId: o.baseCheckpointId,
      upserts: o.upsertCount,
      deletes: o.deleteCount,
      bytes: o.bytes,
    })),
  }));
}
