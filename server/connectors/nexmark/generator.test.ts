/**
 * NexmarkGenerator: kind ratios, id references, event times, determinism and resumption at any
 * event number, the standard's skewed distributions, bounded streams and config checks.
 */
import assert from 'node:assert/strict';
import { SqlError } from '../../errors.js';
import type { Datum, Row } from '../../types/datum.js';
import { nexmarkChunk, nexmarkRows } from './batch-views.js';
import { NEXMARK_BASE_TIME_US, type NexmarkConfig } from './config.js';
import { EventKindCode, eventKindCode } from './event-numbering.js';
import { NexmarkGenerator, type NexmarkBatch } from './generator.js';
import { AuctionCol, BidCol, PersonCol } from './schemas.js';

/** One event of the stream, with its number, in event order. */
type Event =
  | { kind: 'person'; n: number; row: Row }
  | { kind: 'auction'; n: number; row: Row }
  | { kind: 'bid'; n: number; row: Row };

/** Events one batch of one event at a time, so the interleaving of kinds is known exactly. */
function eventsInOrder(cfg: NexmarkConfig, count: number): Event[] {
  const g = new NexmarkGenerator(cfg);
  const out: Event[] = [];
  for (let i = 0; i < count; i++) {
    const n = g.nextEventNumber;
    const b = g.nextBatch(1);
    assert.equal(b.eventCount, 1);
    if (b.person.length) out.push({ kind: 'person', n, row: nexmarkRows(b.person)[0]! });
    else if (b.auction.length) out.push({ kind: 'auction', n, row: nexmarkRows(b.auction)[0]! });
    else out.push({ kind: 'bid', n, row: nexmarkRows(b.bid)[0]! });
  }
  return out;
}

/** All rows per kind of `count` events, generated in batches of `batchSize`. */
function rowsByKind(cfg: NexmarkConfig, count: number, batchSize: number): Record<'person' | 'auction' | 'bid', Row[]> {
  const g = new NexmarkGenerator(cfg);
  const out = { person: [] as Row[], auction: [] as Row[], bid: [] as Row[] };
  let left = count;
  while (left > 0) {
    const b: NexmarkBatch = g.nextBatch(Math.min(batchSize, left));
    left -= b.eventCount;
    out.person.push(...nexmarkRows(b.person));
    out.auction.push(...nexmarkRows(b.auction));
    out.bid.push(...nexmarkRows(b.bid));
  }
  return out;
}

const num = (d: Datum): number => {
  assert.equal(typeof d, 'bigint');
  return Number(d as bigint);
};

describe('nexmark generator', () => {
  it('interleaves person : auction : bid exactly 1 : 3 : 46 (5,000 events)', () => {
    const b = new NexmarkGenerator({ seed: 7 }).nextBatch(5000);
    assert.equal(b.eventCount, 5000);
    assert.deepEqual([b.person.length, b.auction.length, b.bid.length], [100, 300, 4600]);
    const events = eventsInOrder({ seed: 7 }, 200);
    for (const e of events) {
      const expected = e.n % 50 === 0 ? 'person' : e.n % 50 <= 3 ? 'auction' : 'bid';
      assert.equal(e.kind, expected, `event ${e.n}`);
      assert.equal(eventKindCode(e.n), { person: EventKindCode.person, auction: EventKindCode.auction, bid: EventKindCode.bid }[e.kind]);
    }
  });

  it('numbers people and auctions from 1000 and references only ids that already exist', () => {
    let maxPerson = -1;
    let maxAuction = -1;
    for (const e of eventsInOrder({ seed: 3 }, 5000)) {
      const r = e.row;
      switch (e.kind) {
        case 'person':
          assert.equal(num(r[PersonCol.id]!), maxPerson < 0 ? 1000 : maxPerson + 1);
          maxPerson = num(r[PersonCol.id]!);
          break;
        case 'auction': {
          assert.equal(num(r[AuctionCol.id]!), maxAuction < 0 ? 1000 : maxAuction + 1);
          maxAuction = num(r[AuctionCol.id]!);
          const seller = num(r[AuctionCol.seller]!);
          assert.ok(seller >= 1000 && seller <= maxPerson, `seller ${seller} of auction at event ${e.n}`);
          const category = num(r[AuctionCol.category]!);
          assert.ok(category >= 10 && category <= 14);
          assert.ok(num(r[AuctionCol.reserve]!) >= num(r[AuctionCol.initialBid]!));
          assert.ok((r[AuctionCol.expires] as number) > (r[AuctionCol.dateTime] as number));
          break;
        }
        case 'bid': {
          const auction = num(r[BidCol.auction]!);
          const bidder = num(r[BidCol.bidder]!);
          assert.ok(auction >= 1000 && auction <= maxAuction, `auction ${auction} > ${maxAuction} at event ${e.n}`);
          assert.ok(bidder >= 1000 && bidder <= maxPerson, `bidder ${bidder} > ${maxPerson} at event ${e.n}`);
          const price = num(r[BidCol.price]!);
          assert.ok(price >= 100 && price <= 100_000_000, `price ${price}`);
          break;
        }
        default: {
          const never: never = e;
          throw new Error(`unexpected ${String(never)}`);
        }
      }
    }
    assert.equal(maxPerson, 1000 + 99);
    assert.equal(maxAuction, 1000 + 299);
  });

  it('with the standard idLead of 10, references reach at most 10 ids past the latest', () => {
    let maxPerson = -1;
    let maxAuction = -1;
    let ahead = 0;
    for (const e of eventsInOrder({ seed: 5, idLead: 10 }, 5000)) {
      if (e.kind === 'person') maxPerson = num(e.row[PersonCol.id]!);
      else if (e.kind === 'auction') maxAuction = num(e.row[AuctionCol.id]!);
      else {
        const auction = num(e.row[BidCol.auction]!);
        const bidder = num(e.row[BidCol.bidder]!);
        assert.ok(auction <= maxAuction + 10 && bidder <= maxPerson + 10);
        if (auction > maxAuction || bidder > maxPerson) ahead++;
      }
    }
    assert.ok(ahead > 0, 'some references run ahead of the latest id');
  });

  it('gives event n the time baseTime + n * 1e6 / rate: monotone, spaced by 1/rate', () => {
    const events = eventsInOrder({ seed: 1 }, 500);
    events.forEach((e, n) => {
      const col = e.kind === 'person' ? PersonCol.dateTime : e.kind === 'auction' ? AuctionCol.dateTime : BidCol.dateTime;
      assert.equal(e.row[col], NEXMARK_BASE_TIME_US + n * 100);
    });
    assert.equal(NEXMARK_BASE_TIME_US, Date.parse('2015-07-15T00:00:00Z') * 1000);
    // A rate that does not divide a second: floor(n * 1e6 / 3), exact even far into the stream.
    const far = 2 ** 40;
    const g = new NexmarkGenerator({ eventRate: 3, baseTime: 0, firstEventNumber: far });
    let previous = -Infinity;
    for (let i = 0; i < 10; i++) {
      const b = g.nextBatch(1);
      const expected = Number((BigInt(far + i) * 1_000_000n) / 3n);
      assert.equal(b.maxEventTime, expected);
      assert.ok(b.maxEventTime! >= previous);
      previous = b.maxEventTime!;
    }
  });

  it('reports the last event time of a batch as its max event time', () => {
    const g = new NexmarkGenerator({ eventRate: 1000, baseTime: 5 });
    const b = g.nextBatch(120);
    assert.equal(b.maxEventTime, 5 + 119 * 1000);
    const times = [...b.person.columns[PersonCol.dateTime]!, ...b.bid.columns[BidCol.dateTime]!] as number[];
    assert.equal(Math.max(...times), b.maxEventTime);
  });

  it('is deterministic: same seed gives the same events whatever the batch sizes', () => {
    const a = rowsByKind({ seed: 42 }, 3000, 3000);
    const b = rowsByKind({ seed: 42 }, 3000, 137);
    assert.deepEqual(b, a);
    const c = rowsByKind({ seed: 43 }, 3000, 3000);
    assert.notDeepEqual(c.bid, a.bid);
    assert.notDeepEqual(c.person, a.person);
    // Seeds given as bigint and number agree.
    assert.deepEqual(rowsByKind({ seed: 42n }, 500, 500), rowsByKind({ seed: 42 }, 500, 500));
  });

  it('started at event k produces exactly the tail of a run from 0', () => {
    const total = 5000;
    const all = rowsByKind({ seed: 9 }, total, 1000);
    for (const k of [1, 49, 50, 51, 1234, 4999]) {
      const tail = rowsByKind({ seed: 9, firstEventNumber: k }, total - k, 700);
      const cut = NEXMARK_BASE_TIME_US + k * 100;
      assert.deepEqual(tail.person, all.person.filter((r) => (r[PersonCol.dateTime] as number) >= cut), `person from ${k}`);
      assert.deepEqual(tail.auction, all.auction.filter((r) => (r[AuctionCol.dateTime] as number) >= cut), `auction from ${k}`);
      assert.deepEqual(tail.bid, all.bid.filter((r) => (r[BidCol.dateTime] as number) >= cut), `bid from ${k}`);
    }
  });

  it('follows the standard skew: hot auctions, bidders, sellers and channels', () => {
    const rows = rowsByKind({ seed: 11 }, 100_000, 10_000);
    const bidsPerAuction = new Map<number, number>();
    const bidsPerBidder = new Map<number, number>();
    for (const r of rows.bid) {
      const a = num(r[BidCol.auction]!);
      const p = num(r[BidCol.bidder]!);
      bidsPerAuction.set(a, (bidsPerAuction.get(a) ?? 0) + 1);
      bidsPerBidder.set(p, (bidsPerBidder.get(p) ?? 0) + 1);
    }
    const topShare = (counts: Map<number, number>, fraction: number): number => {
      const sorted = [...counts.values()].sort((x, y) => y - x);
      const top = sorted.slice(0, Math.max(1, Math.ceil(sorted.length * fraction)));
      return top.reduce((s, x) => s + x, 0) / rows.bid.length;
    };
    // Hot auction ratio 2: about half the bids go to the hot auction of the current run of 100.
    // 6,000 auctions exist; the top 1% of them get more than half the bids.
    assert.ok(topShare(bidsPerAuction, 0.01) > 0.5, `top auctions share ${topShare(bidsPerAuction, 0.01)}`);
    // Hot bidder ratio 4: about three quarters of bids come from hot bidders.
    assert.ok(topShare(bidsPerBidder, 0.01) > 0.7, `top bidders share ${topShare(bidsPerBidder, 0.01)}`);
    const hotBids = rows.bid.filter((r) => num(r[BidCol.auction]!) % 100 === 0).length / rows.bid.length;
    assert.ok(hotBids > 0.48 && hotBids < 0.56, `hot auction share ${hotBids}`);
    const hotSellers = rows.auction.filter((r) => num(r[AuctionCol.seller]!) % 100 === 0).length / rows.auction.length;
    assert.ok(hotSellers > 0.7 && hotSellers < 0.8, `hot seller share ${hotSellers}`);
    // Hot channel ratio 2: half the bids use Google, Facebook, Baidu or Apple, each with one URL.
    const hot = new Set(['Google', 'Facebook', 'Baidu', 'Apple']);
    const hotChannel = rows.bid.filter((r) => hot.has(r[BidCol.channel] as string));
    assert.ok(Math.abs(hotChannel.length / rows.bid.length - 0.5) < 0.02);
    for (const name of hot) {
      const urls = new Set(hotChannel.filter((r) => r[BidCol.channel] === name).map((r) => r[BidCol.url]));
      assert.equal(urls.size, 1, `${name} has one URL`);
    }
    assert.ok(rows.bid.every((r) => (r[BidCol.url] as string).startsWith('https://www.nexmark.com/')));
    // Prices are log-uniform over [100, 1e8] cents: the median is near 10^5.
    const prices = rows.bid.map((r) => num(r[BidCol.price]!)).sort((x, y) => x - y);
    const median = prices[prices.length >> 1]!;
    assert.ok(median > 60_000 && median < 160_000, `median price ${median}`);
    // Categories 10..14, all used.
    assert.deepEqual(new Set(rows.auction.map((r) => num(r[AuctionCol.category]!))), new Set([10, 11, 12, 13, 14]));
    // extra pads events to the standard average sizes (bid 100 bytes of which 32 are fixed).
    const meanExtra = rows.bid.reduce((s, r) => s + (r[BidCol.extra] as string).length, 0) / rows.bid.length;
    assert.ok(Math.abs(meanExtra - 68) < 2, `mean bid extra ${meanExtra}`);
    // Auctions last on average as long as 100 more auctions take to appear (1,666 events at 100 us).
    const meanLength =
      rows.auction.reduce((s, r) => s + ((r[AuctionCol.expires] as number) - (r[AuctionCol.dateTime] as number)), 0) /
      rows.auction.length;
    assert.ok(Math.abs(meanLength - 166_600) < 10_000, `mean auction length ${meanLength}`);
    // People: names, cities and states from the standard small lists.
    const states = new Set(rows.person.map((r) => r[PersonCol.state]));
    assert.ok([...states].every((s) => ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'].includes(s as string)));
    assert.ok(rows.person.every((r) => /^\d{4} \d{4} \d{4} \d{4}$/.test(r[PersonCol.creditCard] as string)));
    assert.ok(rows.person.every((r) => /^[a-z]+@[a-z]+\.com$/.test(r[PersonCol.emailAddress] as string)));
  });

  it('stops a bounded stream at maxEvents, counted from event 0', () => {
    const g = new NexmarkGenerator({ maxEvents: 120n, firstEventNumber: 100 });
    assert.equal(g.done, false);
    const b = g.nextBatch(1000);
    assert.equal(b.firstEventNumber, 100);
    assert.equal(b.eventCount, 20);
    assert.equal(g.nextEventNumber, 120);
    assert.equal(g.done, true);
    const empty = g.nextBatch(1000);
    assert.equal(empty.eventCount, 0);
    assert.equal(empty.maxEventTime, null);
    assert.equal(new NexmarkGenerator({ maxEvents: 0 }).nextBatch(10).eventCount, 0);
    assert.throws(() => g.nextBatch(Number.NaN), RangeError);
    assert.throws(() => g.nextBatch(-1), RangeError);
    assert.equal(g.nextEventNumber, 120);
  });

  it('rejects bad settings with SQLSTATE 22023', () => {
    for (const bad of [{ eventRate: 0 }, { eventRate: Number.NaN }, { maxEvents: -1 }, { firstEventNumber: 1.5 }, { hotAuctionRatio: 0 }, { seed: 0.5 }]) {
      assert.throws(() => new NexmarkGenerator(bad as NexmarkConfig), (e: unknown) => e instanceof SqlError && e.code === '22023');
    }
  });

  it('hands its columns over as an insert-only chunk without copying', () => {
    const b = new NexmarkGenerator({ seed: 2 }).nextBatch(500);
    const chunk = nexmarkChunk(b.bid);
    assert.equal(chunk.length, b.bid.length);
    assert.equal(chunk.columns, b.bid.columns);
    assert.ok(chunk.isInsertOnly());
    assert.deepEqual(chunk.row(3), nexmarkRows(b.bid)[3]);
  });
});
