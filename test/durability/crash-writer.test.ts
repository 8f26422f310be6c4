/**
 * The crash check must be able to fail: builds recovered states by hand on the shared PostgreSQL (a lost
 * acknowledged row, a half-applied transaction, a duplicated event, a row nobody wrote) and expects each
 * to be reported, and a consistent state to pass.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { createDatabase, sharedPostgres } from '../support/postgres-server.js';
import { checkRecovered, newLedger, roundFor, type Ledger } from './crash-writer.js';

describe('crash check (checkRecovered)', function () {
  this.timeout(60_000);
  let url = '';
  let client: pg.Client;

  before(async () => {
    url = await createDatabase(await sharedPostgres(), 'crash_check');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE dur_kv (id int PRIMARY KEY, txn int NOT NULL, v text NOT NULL)');
    await client.query('CREATE TABLE dur_events (id int, txn int)');
  });
  after(async () => { await client?.end(); });

  /** Two rounds: round 0 fully acknowledged, round 1 with only its autocommit writes acknowledged. */
  function ledgerOfTwoRounds(): Ledger {
    const ledger = newLedger();
    const r0 = roundFor(0, 0, 0);
    const r1 = roundFor(0, 0, 1);
    ledger.rounds.push(r0, r1);
    for (const id of [r0.kvId, ...r0.txnKvIds, r1.kvId]) ledger.ackedKv.add(id);
    for (const id of [r0.eventId, ...r0.txnEventIds, r1.eventId]) ledger.ackedEvents.add(id);
    ledger.ackedTxns.add(r0.txn);
    return ledger;
  }

  async function load(kv: Array<[number, number, string]>, events: Array<[number, number]>): Promise<void> {
    await client.query('DELETE FROM dur_kv; DELETE FROM dur_events');
    for (const [id, txn, v] of kv) await client.query('INSERT INTO dur_kv VALUES ($1, $2, $3)', [id, txn, v]);
    for (const [id, txn] of events) await client.query('INSERT INTO dur_events VALUES ($1, $2)', [id, txn]);
  }

  function consistentState(): { kv: Array<[number, number, string]>; events: Array<[number, number]> } {
    const r0 = roundFor(0, 0, 0);
    const r1 = roundFor(0, 0, 1);
    return {
      kv: [[r0.kvId, 0, `u${r0.txn}`], ...r0.txnKvIds.map((id): [number, number, string] => [id, r0.txn, 't']), [r1.kvId, 0, 'a']],
      events: [[r0.eventId, 0], ...r0.txnEventIds.map((id): [number, number] => [id, r0.txn]), [r1.eventId, 0]],
    };
  }

  it('accepts a consistent state, with the unacknowledged transaction absent or fully present', async () => {
    const state = consistentState();
    await load(state.kv, state.events);
    assert.deepEqual(await checkRecovered(url, ledgerOfTwoRounds()), []);
    const r1 = roundFor(0, 0, 1);
    const withR1 = state.kv.filter(([id]) => id !== r1.kvId);
    withR1.push([r1.kvId, 0, `u${r1.txn}`], ...r1.txnKvIds.map((id): [number, number, string] => [id, r1.txn, 't']));
    await load(withR1, [...state.events, ...r1.txnEventIds.map((id): [number, number] => [id, r1.txn])]);
    assert.deepEqual(await checkRecovered(url, ledgerOfTwoRounds()), []);
  });

  it('reports lost, half-applied, duplicated and unknown rows', async () => {
    const state = consistentState();
    const r0 = roundFor(0, 0, 0);
    const r1 = roundFor(0, 0, 1);
    const kv = state.kv.filter(([id]) => id !== r1.kvId); // acknowledged autocommit row lost
    kv.push([r1.txnKvIds[0]!, r1.txn, 't']); // one row of the unacknowledged transaction
    kv.push([777, 0, 'x']); // never written
    const events = state.events.filter(([id]) => id !== r0.txnEventIds[1]); // acknowledged transaction broken
    events.push([r0.eventId, 0]); // duplicated event
    await load(kv, events);
    const problems = (await checkRecovered(url, ledgerOfTwoRounds())).join('\n');
    assert.match(problems, new RegExp(`acknowledged dur_kv row ${r1.kvId} is missing`));
    assert.match(problems, new RegExp(`transaction ${r1.txn} is half-applied`));
    assert.match(problems, new RegExp(`transaction ${r0.txn} is half-applied`));
    assert.match(problems, new RegExp(`acknowledged transaction ${r0.txn} is missing`));
    assert.match(problems, new RegExp(`dur_events holds event ${r0.eventId} 2 times`));
    assert.match(problems, /dur_kv row 777 was never written/);
  });
});
