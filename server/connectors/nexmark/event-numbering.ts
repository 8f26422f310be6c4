/**
 * Arithmetic on Nexmark event numbers, shared by the generator and its tests: which kind event n
 * is (person 1 : auction 3 : bid 46 in every block of 50), the latest person / auction id that
 * exists when event n is generated, and event n's event time. Pure functions of n and the config.
 */
import type { ResolvedNexmarkConfig } from './config.js';

export const PERSON_PROPORTION = 1;
export const AUCTION_PROPORTION = 3;
export const BID_PROPORTION = 46;
export const PROPORTION_DENOMINATOR = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;

/** Ids as the standard numbers them: base-0 counters plus these offsets. */
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;

/** Event kind codes, in the generator's hot loop (strings at the API). */
export const enum EventKindCode { person = 0, auction = 1, bid = 2 }

export function eventKindCode(n: number): EventKindCode {
  const offset = n % PROPORTION_DENOMINATOR;
  if (offset < PERSON_PROPORTION) return EventKindCode.person;
  if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) return EventKindCode.auction;
  return EventKindCode.bid;
}

/**
 * Base-0 id of the latest person at event n (the person event n creates, if it is one).
 * -1 never happens: event 0 is a person.
 */
export function lastBase0PersonId(n: number): number {
  const epoch = Math.floor(n / PROPORTION_DENOMINATOR);
  const offset = n % PROPORTION_DENOMINATOR;
  return epoch * PERSON_PROPORTION + Math.min(offset, PERSON_PROPORTION - 1);
}

/**
 * Base-0 id of the latest auction at event n (the auction event n creates, if it is one);
 * -1 before the first auction (event 0).
 */
export function lastBase0AuctionId(n: number): number {
  const epoch = Math.floor(n / PROPORTION_DENOMINATOR);
  const offset = n % PROPORTION_DENOMINATOR;
  if (offset < PERSON_PROPORTION) return epoch * AUCTION_PROPORTION - 1; // last auction of the previous block
  if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) return epoch * AUCTION_PROPORTION + AUCTION_PROPORTION - 1;
  return epoch * AUCTION_PROPORTION + (offset - PERSON_PROPORTION);
}

/** Event time of event n, microseconds: baseTime + floor(n * 1e6 / eventRate), exact for integer rates. */
export class EventClock {
  private readonly baseTime: number;
  private readonly rate: number;
  /** Whole microseconds between events when 1e6 / rate is an integer, else 0. */
  private readonly stepUs: number;
  private readonly integerRate: boolean;

  constructor(cfg: Pick<ResolvedNexmarkConfig, 'baseTime' | 'eventRate'>) {
    this.baseTime = cfg.baseTime;
    this.rate = cfg.eventRate;
    const step = 1e6 / cfg.eventRate;
    this.stepUs = Number.isInteger(step) ? step : 0;
    this.integerRate = Number.isInteger(cfg.eventRate);
  }

  timeOf(n: number): number {
    if (this.stepUs !== 0) return this.baseTime + n * this.stepUs;
    if (this.integerRate) {
      // Split n so that n * 1e6 never leaves the exact range of doubles.
      const whole = Math.floor(n / this.rate);
      const rest = n - whole * this.rate;
      return this.baseTime + whole * 1_000_000 + Math.floor((rest * 1_000_000) / this.rate);
    }
    return this.baseTime + Math.floor((n * 1_000_000) / this.rate);
  }
}
