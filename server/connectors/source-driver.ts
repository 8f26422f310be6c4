/**
 * Runs the connector sources of one process (today: Nexmark). A source is a stream whose rows are
 * not written by INSERT but generated, deterministically from its options, so nothing is stored: a
 * scan regenerates events [0, offset), and continuous queries get each new batch as one epoch
 * (chunks of every stream of a shared generator, then watermarks and a barrier). Sources with the
 * same generator options share one generator, so person / auction / bid stay one event sequence.
 * Pace 'realtime' keeps event time in step with the wall clock at event_rate; 'max' generates as
 * fast as queries take the events. A checkpoint stores each generator's offset (`positions`); after a
 * restart `resume` continues from the restored checkpoint's offsets (views restored from it replay
 * the same events), and without a checkpoint a source starts again from event 0.
 */
import type { RelationDef } from '../catalog/model.js';
import type { ChangelogChunk } from '../dynamic-table/chunk.js';
import { nexmarkChunk } from './nexmark/batch-views.js';
import { NexmarkGenerator } from './nexmark/generator.js';
import type { NexmarkEventKind } from './nexmark/schemas.js';
import { generatorKey, nexmarkSourceSpec, type NexmarkSourceSpec } from './nexmark-source-options.js';

/** One source's new rows of an epoch, and the largest event time among them. */
export interface SourceDelivery {
  readonly rel: RelationDef;
  readonly chunk: ChangelogChunk;
  readonly maxEventTime: number;
}

export interface SourceDriverOptions {
  /** Generate in the background (a server); false: only when `step` / `drain` is called (benchmarks, tests). */
  readonly autostart: boolean;
  /** Events per batch (one epoch). */
  readonly batchEvents?: number;
}

const DEFAULT_BATCH_EVENTS = 4096;
const REALTIME_POLL_MS = 10;

class GeneratorGroup {
  generator: NexmarkGenerator;
  readonly sources = new Map<number, { rel: RelationDef; kind: NexmarkEventKind }>();
  private startedAtMs = Date.now();

  constructor(readonly spec: NexmarkSourceSpec) {
    this.generator = new NexmarkGenerator(spec.config);
  }

  /** Continues from event `offset`, as if it had generated [0, offset) already (realtime pace included). */
  resumeAt(offset: number): void {
    this.generator = new NexmarkGenerator({ ...this.spec.config, firstEventNumber: offset });
    this.startedAtMs = Date.now() - (offset / this.generator.config.eventRate) * 1000;
  }

  get done(): boolean {
    return this.generator.nextEventNumber >= this.generator.config.maxEvents;
  }

  /** How many events to generate now: a batch, or (realtime) what the wall clock has made due. */
  due(batch: number): number {
    if (this.done) return 0;
    if (this.spec.pace === 'max') return batch;
    const dueTotal = Math.floor(((Date.now() - this.startedAtMs) / 1000) * this.generator.config.eventRate);
    return Math.max(0, Math.min(batch, dueTotal - this.generator.nextEventNumber));
  }
}

export class SourceDriver {
  private readonly groups = new Map<string, GeneratorGroup>();
  private readonly groupOf = new Map<number, GeneratorGroup>();
  /** The next turn of the background loop (an Immediate, or a Timeout while a realtime source waits). */
  private timer: { readonly kind: 'immediate'; readonly handle: NodeJS.Immediate } | { readonly kind: 'timeout'; readonly handle: NodeJS.Timeout } | undefined;
  private closed = false;
  /** Held: generate nothing in the background (while recovery restores the queries). */
  private held = false;
  private readonly batchEvents: number;

  constructor(
    private readonly deliver: (deliveries: readonly SourceDelivery[]) => void,
    private readonly options: SourceDriverOptions,
  ) {
    this.batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  }

  isSource(rel: RelationDef): boolean {
    return rel.options['connector'] === 'nexmark';
  }

  /** Starts generating for a source (at CREATE SOURCE, or for every source when the engine opens). */
  register(rel: RelationDef): void {
    const spec = nexmarkSourceSpec(rel.options);
    const key = generatorKey(rel.options);
    let group = this.groups.get(key);
    if (!group) {
      group = new GeneratorGroup(spec);
      this.groups.set(key, group);
    }
    group.sources.set(rel.oid, { rel, kind: spec.kind });
    this.groupOf.set(rel.oid, group);
    this.schedule();
  }

  unregister(relOid: number): void {
    const group = this.groupOf.get(relOid);
    if (!group) return;
    group.sources.delete(relOid);
    this.groupOf.delete(relOid);
    if (group.sources.size === 0) {
      for (const [k, g] of this.groups) if (g === group) this.groups.delete(k);
    }
  }

  /** Every generator's offset, by its options' key: what a checkpoint stores. */
  positions(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, group] of this.groups) out.set(key, String(group.generator.nextEventNumber));
    return out;
  }

  /** Continues each generator from a restored checkpoint's offset (before any query reads the sources). */
  resume(positions: ReadonlyMap<string, string>): void {
    for (const [key, text] of positions) {
      const group = this.groups.get(key);
      const offset = Number(text);
      if (group && Number.isSafeInteger(offset) && offset >= 0) group.resumeAt(offset);
    }
  }

  /** Events generated so far for the source's generator (its offset). */
  offsetOf(rel: RelationDef): number {
    return this.groupOf.get(rel.oid)?.generator.nextEventNumber ?? 0;
  }

  /** The source's rows so far: events [0, offset) regenerated, its kind only. */
  *scan(rel: RelationDef): Iterable<ChangelogChunk> {
    const group = this.groupOf.get(rel.oid);
    if (!group) return;
    const end = group.generator.nextEventNumber;
    if (end === 0) return;
    const kind = group.sources.get(rel.oid)!.kind;
    const replay = new NexmarkGenerator({ ...group.spec.config, maxEvents: end, firstEventNumber: 0 });
    while (replay.nextEventNumber < end) {
      const batch = replay.nextBatch(Math.min(this.batchEvents, end - replay.nextEventNumber));
      if (batch[kind].length > 0) yield nexmarkChunk(batch[kind]);
    }
  }

  /** One batch for every generator with events due; true while some generator is not exhausted. */
  step(): boolean {
    let pending = false;
    for (const group of this.groups.values()) {
      const n = group.due(this.batchEvents);
      if (n > 0) {
        const batch = group.generator.nextBatch(n);
        const deliveries: SourceDelivery[] = [];
        for (const { rel, kind } of group.sources.values()) {
          deliveries.push({ rel, chunk: nexmarkChunk(batch[kind]), maxEventTime: batch.maxEventTime ?? -Infinity });
        }
        this.deliver(deliveries);
      }
      if (!group.done) pending = true;
    }
    return pending;
  }

  /** Generates until every bounded generator is exhausted (pace is ignored). */
  drain(): void {
    for (const group of this.groups.values()) {
      while (!group.done) {
        const batch = group.generator.nextBatch(this.batchEvents);
        const deliveries: SourceDelivery[] = [];
        for (const { rel, kind } of group.sources.values()) {
          deliveries.push({ rel, chunk: nexmarkChunk(batch[kind]), maxEventTime: batch.maxEventTime ?? -Infinity });
        }
        this.deliver(deliveries);
      }
    }
  }

  /** Stops background generation until `release` (recovery runs in between). */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.schedule();
  }

  private schedule(): void {
    if (!this.options.autostart || this.closed || this.held || this.timer !== undefined) return;
    this.timer = { kind: 'immediate', handle: setImmediate(() => this.loop()) };
  }

  private loop(): void {
    this.timer = undefined;
    if (this.closed || this.held) return;
    const pending = this.step();
    if (!pending) return;
    const anyDue = [...this.groups.values()].some((g) => g.due(1) > 0);
    // One batch per turn of the event loop, so clients are served between batches.
    this.timer = anyDue
      ? { kind: 'immediate', handle: setImmediate(() => this.loop()) }
      : { kind: 'timeout', handle: setTimeout(() => this.loop(), REALTIME_POLL_MS) };
  }

  close(): void {
    this.closed = true;
    // Each handle goes to its own clear function: clearImmediate on a Timeout corrupts Node's immediate count.
    if (this.timer?.kind === 'immediate') clearImmediate(this.timer.handle);
    else if (this.timer?.kind === 'timeout') clearTimeout(this.timer.handle);
    this.timer = undefined;
  }
}
