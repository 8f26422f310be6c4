/**
 * The fixed set of Nexmark events the query oracle runs on: generated once from a seed, held as
 * per-kind columns in event order, and cut into event-number ranges (the part loaded before a view
 * exists, then the transactions that follow). Owns no I/O.
 */
import { NexmarkGenerator, type NexmarkKindBatch } from '../../server/connectors/nexmark/generator.js';
import { NEXMARK_EVENT_KINDS, type NexmarkEventKind } from '../../server/connectors/nexmark/schemas.js';
import type { Datum } from '../../server/types/datum.js';

/** 2015-07-15 07:58:00 UTC: the run crosses 08:00, so q14's parts of the day and q10's minutes vary. */
export const ORACLE_BASE_TIME_US = Date.UTC(2015, 6, 15, 7, 58) * 1000;
/** Ten events a second of event time: 3,000 events span five minutes, thirty 10-second windows. */
export const ORACLE_EVENT_RATE = 10;
export const ORACLE_SEED = 20_150_715;

/** The events of [firstEvent, firstEvent + eventCount), per kind, by column. */
export interface EventSlice {
  readonly firstEvent: number;
  readonly eventCount: number;
  readonly kinds: Readonly<Record<NexmarkEventKind, NexmarkKindBatch>>;
}

export function generateSlice(totalEvents: number, firstEvent: number, eventCount: number): EventSlice {
  const generator = new NexmarkGenerator({
    seed: ORACLE_SEED,
    eventRate: ORACLE_EVENT_RATE,
    baseTime: ORACLE_BASE_TIME_US,
    maxEvents: totalEvents,
    firstEventNumber: firstEvent,
  });
  const batch = generator.nextBatch(eventCount);
  return { firstEvent, eventCount: batch.eventCount, kinds: { person: batch.person, auction: batch.auction, bid: batch.bid } };
}

/**
 * The events cut into slices: the first half (loaded before the views exist), then the second half
 * in `laterSlices` roughly equal slices (one transaction each).
 */
export function oracleSlices(totalEvents: number, laterSlices: number): { initial: EventSlice; later: EventSlice[] } {
  const half = Math.floor(totalEvents / 2);
  const initial = generateSlice(totalEvents, 0, half);
  const later: EventSlice[] = [];
  const rest = totalEvents - half;
  for (let k = 0; k < laterSlices; k++) {
    const from = half + Math.floor((rest * k) / laterSlices);
    const to = half + Math.floor((rest * (k + 1)) / laterSlices);
    if (to > from) later.push(generateSlice(totalEvents, from, to - from));
  }
  return { initial, later };
}

/** Columns of one kind over several slices, concatenated in event order. */
export function concatColumns(slices: readonly EventSlice[], kind: NexmarkEventKind): Datum[][] {
  const width = slices[0]?.kinds[kind].columns.length ?? 0;
  const out: Datum[][] = Array.from({ length: width }, () => []);
  for (const slice of slices) {
    const cols = slice.kinds[kind].columns;
    for (let c = 0; c < width; c++) for (const v of cols[c]!) out[c]!.push(v);
  }
  return out;
}

export { NEXMARK_EVENT_KINDS };
