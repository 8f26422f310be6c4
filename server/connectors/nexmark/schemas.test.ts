/** The Nexmark column lists agree with the positions the generator writes by. */
import assert from 'node:assert/strict';
import { NexmarkGenerator } from './generator.js';
import { AUCTION_COLUMNS, AuctionCol, BID_COLUMNS, BidCol, NEXMARK_SCHEMAS, PERSON_COLUMNS, PersonCol } from './schemas.js';

describe('nexmark schemas', () => {
  it('names each column at the position the generator fills', () => {
    assert.deepEqual(
      PERSON_COLUMNS.map((c) => `${c.name} ${c.type}`),
      ['id int8', 'name varchar', 'email_address varchar', 'credit_card varchar', 'city varchar', 'state varchar', 'date_time timestamp', 'extra varchar'],
    );
    assert.equal(PERSON_COLUMNS[PersonCol.dateTime]!.name, 'date_time');
    assert.equal(PERSON_COLUMNS[PersonCol.extra]!.name, 'extra');
    assert.equal(AUCTION_COLUMNS[AuctionCol.seller]!.name, 'seller');
    assert.equal(AUCTION_COLUMNS[AuctionCol.expires]!.name, 'expires');
    assert.equal(AUCTION_COLUMNS[AuctionCol.extra]!.name, 'extra');
    assert.equal(BID_COLUMNS[BidCol.url]!.name, 'url');
    assert.equal(BID_COLUMNS[BidCol.extra]!.name, 'extra');
    assert.equal(NEXMARK_SCHEMAS.bid, BID_COLUMNS);
    for (const cols of Object.values(NEXMARK_SCHEMAS)) for (const c of cols) assert.equal(c.sqlType.kind, c.type);
  });

  it('gives every value the representation of its column type', () => {
    const b = new NexmarkGenerator({ seed: 1 }).nextBatch(200);
    for (const [kind, cols] of Object.entries(NEXMARK_SCHEMAS)) {
      const batch = b[kind as keyof typeof NEXMARK_SCHEMAS];
      assert.equal(batch.columns.length, cols.length, kind);
      cols.forEach((c, i) => {
        const want = c.type === 'int8' ? 'bigint' : c.type === 'varchar' ? 'string' : 'number';
        for (const v of batch.columns[i]!) assert.equal(typeof v, want, `${kind}.${c.name}`);
        if (c.type === 'timestamp') assert.ok(batch.columns[i]!.every((v) => Number.isSafeInteger(v)));
      });
    }
  });
});
