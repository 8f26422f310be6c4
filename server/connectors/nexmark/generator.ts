/**
 * NexmarkGenerator: the person / auction / bid events of the Nexmark benchmark, from a seed, in
 * event-number order, as columns ready for chunks (schemas.ts gives the column order). Event n is
 * a pure function of (config, n): its kind and ids follow from n, its random choices from
 * EventRandom seeded by (seed, n), its time from EventClock; so a generator started at any event
 * number produces exactly the tail of a run started at 0. It owns no I/O and no wall-clock time.
 */
import type { Datum } from '../../types/datum.js';
import { resolveNexmarkConfig, type NexmarkConfig, type ResolvedNexmarkConfig } from './config.js';
import { EventRandom } from './event-random.js';
import {
  AUCTION_PROPORTION,
  EventClock,
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  NUM_CATEGORIES,
  PERSON_PROPORTION,
  PROPORTION_DENOMINATOR,
  lastBase0AuctionId,
  lastBase0PersonId,
} from './event-numbering.js';
import { AUCTION_COLUMNS, AuctionCol, BID_COLUMNS, BidCol, PERSON_COLUMNS, PersonCol } from './schemas.js';
import {
  CARD_GROUPS,
  HOT_CHANNELS,
  PERSON_NAMES,
  TextPool,
  US_CITIES,
  US_STATES,
  channels,
  type ChannelPool,
} from './string-pools.js';

/** The rows of one event kind in a batch, by column (Datum[][] indexed [column][row]). */
export interface NexmarkKindBatch {
  readonly columns: Datum[][];
  readonly length: number;
}

export interface NexmarkBatch {
  /** Event number of the batch's first event; the batch holds [firstEventNumber, firstEventNumber + eventCount). */
  readonly firstEventNumber: number;
  readonly eventCount: number;
  readonly person: NexmarkKindBatch;
  readonly auction: NexmarkKindBatch;
  readonly bid: NexmarkKindBatch;
  /** Event time of the batch's last event (times never decrease), null for an empty batch. */
  readonly maxEventTime: number | null;
}

/**
 * Hot sellers, bidders and auctions are the first of each run of this many ids (the standard's
 * HOT_*_RATIO constants of 100; the configurable ratios are how often the hot one is chosen).
 */
const HOT_ID_STRIDE = 100;

/** Fixed byte sizes the standard counts before padding `extra` to the average event size. */
const BID_FIXED_BYTES = 8 + 8 + 8 + 8;
const AUCTION_FIXED_BYTES = 8 + 8 + 8 + 8 + 8 + 8;
const PERSON_FIXED_BYTES = 8;
const CARD_BYTES = 19;
const EMAIL_SUFFIX = '.com';

/** 10^x = e^(x ln 10); Math.exp is several times faster than Math.pow in V8. */
const SIX_LN10 = 6 * Math.LN10;

const CATEGORY_DATUMS: readonly bigint[] = Array.from({ length: NUM_CATEGORIES }, (_, i) => BigInt(FIRST_CATEGORY_ID + i));

/**
 * bigint datums for ids, reused: bids name a small set of recent ids over and over, and a bigint
 * allocation costs more than an array probe. Direct-mapped on the id's low bits.
 */
class IdDatumCache {
  private static readonly SIZE = 4096;
  private readonly keys = new Float64Array(IdDatumCache.SIZE).fill(-1);
  private readonly values: bigint[] = new Array<bigint>(IdDatumCache.SIZE).fill(0n);

  get(id: number): bigint {
    const slot = id & (IdDatumCache.SIZE - 1);
    if (this.keys[slot] === id) return this.values[slot]!;
    const value = BigInt(id);
    this.keys[slot] = id;
    this.values[slot] = value;
    return value;
  }
}

function emptyColumns(width: number): Datum[][] {
  const columns: Datum[][] = new Array<Datum[]>(width);
  for (let c = 0; c < width; c++) columns[c] = [];
  return columns;
}

export class NexmarkGenerator {
  readonly config: ResolvedNexmarkConfig;
  private next: number;
  private readonly random: EventRandom;
  private readonly clock: EventClock;
  private readonly text: TextPool;
  private readonly channels: ChannelPool;
  private readonly ids = new IdDatumCache();
  /** Events until numInFlightAuctions more auctions exist: the mean auction length, in events. */
  private readonly auctionHorizonEvents: number;

  constructor(cfg: NexmarkConfig = {}) {
    this.config = resolveNexmarkConfig(cfg);
    const c = this.config;
    this.next = c.firstEventNumber;
    this.random = new EventRandom(c.seed);
    this.clock = new EventClock(c);
    this.text = new TextPool(c.seed, Math.max(c.avgPersonByteSize, c.avgAuctionByteSize, c.avgBidByteSize, 100) * 2);
    this.channels = channels();
    this.auctionHorizonEvents = Math.floor((c.numInFlightAuctions * PROPORTION_DENOMINATOR) / AUCTION_PROPORTION);
  }

  /** Number of the next event nextBatch will produce (the source offset to save). */
  get nextEventNumber(): number {
    return this.next;
  }

  /** True when the configured maxEvents have all been produced. */
  get done(): boolean {
    return this.next >= this.config.maxEvents;
  }

  /** Event time of event n, microseconds since the epoch. */
  eventTime(n: number): number {
    return this.clock.timeOf(n);
  }

  /** The next up to `maxEvents` events (fewer only at the end of a bounded stream). */
  nextBatch(maxEvents: number): NexmarkBatch {
    if (!Number.isFinite(maxEvents) || maxEvents < 0) {
      throw new RangeError(`nextBatch: maxEvents must be a finite number >= 0, got ${maxEvents}`);
    }
    const first = this.next;
    const count = Math.max(0, Math.min(Math.floor(maxEvents), this.config.maxEvents - first));
    const person = emptyColumns(PERSON_COLUMNS.length);
    const auction = emptyColumns(AUCTION_COLUMNS.length);
    const bid = emptyColumns(BID_COLUMNS.length);
    const end = first + count;
    let offset = first % PROPORTION_DENOMINATOR;
    let time = 0;
    for (let n = first; n < end; n++) {
      time = this.clock.timeOf(n);
      this.random.resetFor(n);
      if (offset < PERSON_PROPORTION) this.person(n, time, person);
      else if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) this.auction(n, time, auction);
      else this.bid(n, time, bid);
      if (++offset === PROPORTION_DENOMINATOR) offset = 0;
    }
    this.next = end;
    return {
      firstEventNumber: first,
      eventCount: count,
      person: { columns: person, length: person[0]!.length },
      auction: { columns: auction, length: auction[0]!.length },
      bid: { columns: bid, length: bid[0]!.length },
      maxEventTime: count === 0 ? null : time,
    };
  }

  /** A random person among the latest numActivePeople (plus idLead ids not yet created). */
  private activePerson(lastPerson: number): number {
    const people = lastPerson + 1;
    const active = Math.min(people, this.config.numActivePeople);
    return people - active + this.random.long(active + this.config.idLead);
  }

  /** A random auction among the latest numInFlightAuctions (plus idLead ids not yet created). */
  private inFlightAuction(lastAuction: number): number {
    const min = Math.max(lastAuction - this.config.numInFlightAuctions, 0);
    return min + this.random.long(lastAuction - min + 1 + this.config.idLead);
  }

  /** Length of `extra` that brings an event of `fixedBytes` to `averageBytes` on average (±20%). */
  private extraLength(fixedBytes: number, averageBytes: number): number {
    if (fixedBytes > averageBytes) return 0;
    const wanted = averageBytes - fixedBytes;
    const delta = Math.round(wanted * 0.2);
    return wanted - delta + (delta === 0 ? 0 : this.random.int(2 * delta));
  }

  /** Price in cents, log-uniform from $1 to $1,000,000 as the standard draws it (10^(6u) dollars). */
  private price(): number {
    return Math.round(Math.exp(this.random.unit() * SIX_LN10) * 100);
  }

  private person(n: number, time: number, cols: Datum[][]): void {
    const r = this.random;
    const text = this.text;
    const name = PERSON_NAMES[r.int(PERSON_NAMES.length)]!;
    const email = text.letters(r, 3 + r.int(4)) + '@' + text.letters(r, 3 + r.int(2)) + EMAIL_SUFFIX;
    const card =
      CARD_GROUPS[r.int(10_000)]! + ' ' + CARD_GROUPS[r.int(10_000)]! + ' ' + CARD_GROUPS[r.int(10_000)]! + ' ' +
      CARD_GROUPS[r.int(10_000)]!;
    const city = US_CITIES[r.int(US_CITIES.length)]!;
    const state = US_STATES[r.int(US_STATES.length)]!;
    const size = PERSON_FIXED_BYTES + name.length + email.length + CARD_BYTES + city.length + state.length;
    cols[PersonCol.id]!.push(this.ids.get(lastBase0PersonId(n) + FIRST_PERSON_ID));
    cols[PersonCol.name]!.push(name);
    cols[PersonCol.emailAddress]!.push(email);
    cols[PersonCol.creditCard]!.push(card);
    cols[PersonCol.city]!.push(city);
    cols[PersonCol.state]!.push(state);
    cols[PersonCol.dateTime]!.push(time);
    cols[PersonCol.extra]!.push(text.letters(r, this.extraLength(size, this.config.avgPersonByteSize)));
  }

  private auction(n: number, time: number, cols: Datum[][]): void {
    const r = this.random;
    const c = this.config;
    const lastPerson = lastBase0PersonId(n);
    const seller =
      r.int(c.hotSellerRatio) > 0 ? Math.floor(lastPerson / HOT_ID_STRIDE) * HOT_ID_STRIDE : this.activePerson(lastPerson);
    const itemName = this.text.words(r, 20);
    const description = this.text.words(r, 100);
    const initialBid = this.price();
    const reserve = initialBid + this.price();
    // Auctions last on average as long as it takes numInFlightAuctions more auctions to appear.
    const horizon = this.clock.timeOf(n + this.auctionHorizonEvents) - time;
    const expires = time + 1 + r.long(Math.max(horizon * 2, 1));
    const size = AUCTION_FIXED_BYTES + itemName.length + description.length;
    cols[AuctionCol.id]!.push(this.ids.get(lastBase0AuctionId(n) + FIRST_AUCTION_ID));
    cols[AuctionCol.itemName]!.push(itemName);
    cols[AuctionCol.description]!.push(description);
    cols[AuctionCol.initialBid]!.push(BigInt(initialBid));
    cols[AuctionCol.reserve]!.push(BigInt(reserve));
    cols[AuctionCol.dateTime]!.push(time);
    cols[AuctionCol.expires]!.push(expires);
    cols[AuctionCol.seller]!.push(this.ids.get(seller + FIRST_PERSON_ID));
    cols[AuctionCol.category]!.push(CATEGORY_DATUMS[r.int(NUM_CATEGORIES)]!);
    cols[AuctionCol.extra]!.push(this.text.letters(r, this.extraLength(size, c.avgAuctionByteSize)));
  }

  private bid(n: number, time: number, cols: Datum[][]): void {
    const r = this.random;
    const c = this.config;
    const lastAuction = lastBase0AuctionId(n);
    const auction =
      r.int(c.hotAuctionRatio) > 0
        ? Math.floor(lastAuction / HOT_ID_STRIDE) * HOT_ID_STRIDE
        : this.inFlightAuction(lastAuction);
    const lastPerson = lastBase0PersonId(n);
    // The hot bidder is the second person of its run (so it is not also the hot seller); clamped
    // so that it exists when the run has only its first person yet.
    const bidder =
      r.int(c.hotBidderRatio) > 0
        ? Math.min(Math.floor(lastPerson / HOT_ID_STRIDE) * HOT_ID_STRIDE + 1, lastPerson)
        : this.activePerson(lastPerson);
    const price = this.price();
    let channel: string;
    let url: string;
    if (r.int(c.hotChannelRatio) > 0) {
      const i = r.int(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = this.channels.hotUrls[i]!;
    } else {
      const i = r.int(this.channels.names.length);
      channel = this.channels.names[i]!;
      url = this.channels.urls[i]!;
    }
    cols[BidCol.auction]!.push(this.ids.get(auction + FIRST_AUCTION_ID));
    cols[BidCol.bidder]!.push(this.ids.get(bidder + FIRST_PERSON_ID));
    cols[BidCol.price]!.push(BigInt(price));
    cols[BidCol.channel]!.push(channel);
    cols[BidCol.url]!.push(url);
    cols[BidCol.dateTime]!.push(time);
    cols[BidCol.extra]!.push(this.text.letters(r, this.extraLength(BID_FIXED_BYTES, c.avgBidByteSize)));
  }
}
