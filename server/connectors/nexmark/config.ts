/**
 * Configuration of the Nexmark event generator: what a user may set (`NexmarkConfig`, every field
 * optional) and the checked, complete form the generator runs on (`ResolvedNexmarkConfig`).
 * Defaults are the standard Nexmark ones (Beam / Flink / RisingWave generators) except `idLead`
 * (see its comment). This module owns validation; it never generates events.
 */
import { SQLSTATE, SqlError } from '../../errors.js';

export interface NexmarkConfig {
  /** Seed of every random choice; same seed and config give the same events. Default 0. */
  readonly seed?: number | bigint;
  /** Events per second of event time (all three kinds together). Default 10,000. */
  readonly eventRate?: number;
  /**
   * Length of the whole stream: event numbers run from 0 to maxEvents - 1, whatever
   * `firstEventNumber` is (a restarted source keeps its end). null or absent: unbounded.
   */
  readonly maxEvents?: number | bigint | null;
  /** Number of the first event this generator produces (a saved source offset). Default 0. */
  readonly firstEventNumber?: number;
  /** Event time of event 0, microseconds since the epoch. Default 2015-07-15 00:00:00 UTC. */
  readonly baseTime?: number;
  /** 1 in hotAuctionRatio bids go to a random recent auction, the rest to the hot one. Default 2. */
  readonly hotAuctionRatio?: number;
  /** 1 in hotBidderRatio bids come from a random active person, the rest from the hot bidder. Default 4. */
  readonly hotBidderRatio?: number;
  /** 1 in hotSellerRatio auctions come from a random active person, the rest from the hot seller. Default 4. */
  readonly hotSellerRatio?: number;
  /** 1 in hotChannelRatio bids use one of 10,000 generic channels, the rest a hot one. Default 2. */
  readonly hotChannelRatio?: number;
  /** Random auction references choose among this many latest auctions. Default 100. */
  readonly numInFlightAuctions?: number;
  /** Random person references choose among this many latest people. Default 1,000. */
  readonly numActivePeople?: number;
  /** Average size in bytes of a person / auction / bid, reached by padding `extra`. Defaults 200 / 500 / 100. */
  readonly avgPersonByteSize?: number;
  readonly avgAuctionByteSize?: number;
  readonly avgBidByteSize?: number;
  /**
   * How many ids past the latest person / auction a random reference may name. The standard uses 10
   * (a bid may name an auction not created yet); Freshet's default is 0 so every reference names an
   * event already generated, which keeps joins exact at any cut of the stream.
   */
  readonly idLead?: number;
}

export interface ResolvedNexmarkConfig {
  readonly seed: bigint;
  readonly eventRate: number;
  /** Number.MAX_SAFE_INTEGER when unbounded. */
  readonly maxEvents: number;
  readonly firstEventNumber: number;
  readonly baseTime: number;
  readonly hotAuctionRatio: number;
  readonly hotBidderRatio: number;
  readonly hotSellerRatio: number;
  readonly hotChannelRatio: number;
  readonly numInFlightAuctions: number;
  readonly numActivePeople: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  readonly idLead: number;
}

/** 2015-07-15 00:00:00 UTC in microseconds: the standard generators' fixed base time. */
export const NEXMARK_BASE_TIME_US = Date.UTC(2015, 6, 15) * 1000;

export const NEXMARK_DEFAULTS: ResolvedNexmarkConfig = Object.freeze({
  seed: 0n,
  eventRate: 10_000,
  maxEvents: Number.MAX_SAFE_INTEGER,
  firstEventNumber: 0,
  baseTime: NEXMARK_BASE_TIME_US,
  hotAuctionRatio: 2,
  hotBidderRatio: 4,
  hotSellerRatio: 4,
  hotChannelRatio: 2,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  idLead: 0,
});

function invalid(message: string): SqlError {
  return new SqlError(SQLSTATE.invalidParameterValue, `nexmark: ${message}`);
}

function integerAtLeast(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw invalid(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Checks a user's config and fills in the defaults; throws SqlError 22023 on a bad value. */
export function resolveNexmarkConfig(cfg: NexmarkConfig = {}): ResolvedNexmarkConfig {
  const d = NEXMARK_DEFAULTS;
  let seed = d.seed;
  if (cfg.seed !== undefined) {
    if (typeof cfg.seed === 'number' && !Number.isSafeInteger(cfg.seed)) throw invalid(`seed must be an integer, got ${cfg.seed}`);
    seed = BigInt.asUintN(64, BigInt(cfg.seed));
  }
  const eventRate = cfg.eventRate ?? d.eventRate;
  if (!Number.isFinite(eventRate) || eventRate <= 0) throw invalid(`eventRate must be a positive number, got ${eventRate}`);
  let maxEvents = d.maxEvents;
  if (cfg.maxEvents !== undefined && cfg.maxEvents !== null) {
    const m = cfg.maxEvents;
    if (typeof m === 'bigint') {
      if (m < 0n) throw invalid(`maxEvents must be >= 0, got ${m}`);
      maxEvents = m > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(m);
    } else {
      maxEvents = integerAtLeast('maxEvents', m, d.maxEvents, 0);
    }
  }
  const baseTime = cfg.baseTime ?? d.baseTime;
  if (!Number.isSafeInteger(baseTime)) throw invalid(`baseTime must be an integer number of microseconds, got ${baseTime}`);
  return {
    seed,
    eventRate,
    maxEvents,
    firstEventNumber: integerAtLeast('firstEventNumber', cfg.firstEventNumber, d.firstEventNumber, 0),
    baseTime,
    hotAuctionRatio: integerAtLeast('hotAuctionRatio', cfg.hotAuctionRatio, d.hotAuctionRatio, 1),
    hotBidderRatio: integerAtLeast('hotBidderRatio', cfg.hotBidderRatio, d.hotBidderRatio, 1),
    hotSellerRatio: integerAtLeast('hotSellerRatio', cfg.hotSellerRatio, d.hotSellerRatio, 1),
    hotChannelRatio: integerAtLeast('hotChannelRatio', cfg.hotChannelRatio, d.hotChannelRatio, 1),
    numInFlightAuctions: integerAtLeast('numInFlightAuctions', cfg.numInFlightAuctions, d.numInFlightAuctions, 1),
    numActivePeople: integerAtLeast('numActivePeople', cfg.numActivePeople, d.numActivePeople, 1),
    avgPersonByteSize: integerAtLeast('avgPersonByteSize', cfg.avgPersonByteSize, d.avgPersonByteSize, 0),
    avgAuctionByteSize: integerAtLeast('avgAuctionByteSize', cfg.avgAuctionByteSize, d.avgAuctionByteSize, 0),
    avgBidByteSize: integerAtLeast('avgBidByteSize', cfg.avgBidByteSize, d.avgBidByteSize, 0),
    idLead: integerAtLeast('idLead', cfg.idLead, d.idLead, 0),
  };
}
