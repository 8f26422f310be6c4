/**
 * The writer side of crash tests: clients that write rounds of rows to a keyed table and an append-only
 * relation (autocommit inserts, then a BEGIN/COMMIT block of inserts plus an UPDATE), recording every
 * write the server acknowledged in a ledger; and the check that a recovered server holds every
 * acknowledged write, no duplicated event, no row nobody wrote, and no half-applied transaction.
 */
import pg from 'pg';

/** Rows of one BEGIN/COMMIT block per relation. */
export const ROWS_PER_TXN = 3;

/** One round of a writer: ids and the transaction number it uses (all unique across writers and cycles). */
export interface Round {
  /** Inserted with autocommit into dur_kv with v = 'a'; the round's transaction later sets v = 'u<txn>'. */
  readonly kvId: number;
  /** Inserted with autocommit into dur_events. */
  readonly eventId: number;
  readonly txn: number;
  /** Ids of the transaction's rows, in dur_kv and in dur_events. */
  readonly txnKvIds: readonly number[];
  readonly txnEventIds: readonly number[];
}

export interface Ledger {
  /** Every round a writer started (acknowledged or not): anything in the database must come from one. */
  readonly rounds: Round[];
  readonly ackedKv: Set<number>;
  readonly ackedEvents: Set<number>;
  readonly ackedTxns: Set<number>;
  /** Acknowledged statements (autocommit writes and COMMITs), across writers. */
  acks: number;
}

export function newLedger(): Ledger {
  return { rounds: [], ackedKv: new Set(), ackedEvents: new Set(), ackedTxns: new Set(), acks: 0 };
}

export function roundFor(writer: number, cycle: number, index: number): Round {
  const base = ((cycle * 10 + writer) * 100_000 + index) * 10;
  const txn = base / 10 + 1;
  return {
    kvId: base,
    eventId: base,
    txn,
    txnKvIds: Array.from({ length: ROWS_PER_TXN }, (_, k) => base + 1 + k),
    txnEventIds: Array.from({ length: ROWS_PER_TXN }, (_, k) => base + 1 + k),
  };
}

/**
 * Writes rounds until a statement fails (the server died), calling `onAck` after each acknowledgement.
 * Resolves with the error that stopped it.
 */
export async function runWriter(url: string, writer: number, cycle: number, ledger: Ledger, onAck: () => void): Promise<Error> {
  const client = new pg.Client({ connectionString: url, query_timeout: 30_000 });
  client.on('error', () => undefined); // the socket dies with the server; the failing query reports it
  try {
    await client.connect();
  } catch (err) {
    return err as Error;
  }
  const ack = (): void => {
    ledger.acks++;
    onAck();
  };
  try {
    for (let index = 0; ; index++) {
      const round = roundFor(writer, cycle, index);
      ledger.rounds.push(round);
      await client.query('INSERT INTO dur_kv (id, txn, v) VALUES ($1, 0, $2)', [round.kvId, 'a']);
      ledger.ackedKv.add(round.kvId);
      ack();
      await client.query('INSERT INTO dur_events (id, txn) VALUES ($1, 0)', [round.eventId]);
      ledger.ackedEvents.add(round.eventId);
      ack();
      await client.query('BEGIN');
      for (const id of round.txnKvIds) await client.query(`INSERT INTO dur_kv (id, txn, v) VALUES (${id}, ${round.txn}, 't')`);
      for (const id of round.txnEventIds) await client.query(`INSERT INTO dur_events (id, txn) VALUES (${id}, ${round.txn})`);
      await client.query(`UPDATE dur_kv SET v = 'u${round.txn}' WHERE id = ${round.kvId}`);
      await client.query('COMMIT');
      ledger.ackedTxns.add(round.txn);
      for (const id of round.txnKvIds) ledger.ackedKv.add(id);
      for (const id of round.txnEventIds) ledger.ackedEvents.add(id);
      ack();
    }
  } catch (err) {
    return err as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Reads the recovered state and lists every violation (empty: the recovery is correct). */
export async function checkRecovered(url: string, ledger: Ledger): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, query_timeout: 30_000 });
  await client.connect();
  let kvRows: Array<{ id: number; txn: number; v: string }>;
  let eventRows: Array<{ id: number; txn: number }>;
  try {
    kvRows = (await client.query('SELECT id, txn, v FROM dur_kv')).rows;
    eventRows = (await client.query('SELECT id, txn FROM dur_events')).rows;
  } finally {
    await client.end();
  }
  const problems: string[] = [];
  const kv = new Map<number, { txn: number; v: string }>();
  for (const r of kvRows) {
    if (kv.has(r.id)) problems.push(`dur_kv holds key ${r.id} twice`);
    kv.set(r.id, { txn: r.txn, v: r.v });
  }
  const eventCounts = new Map<number, number>();
  for (const r of eventRows) eventCounts.set(r.id, (eventCounts.get(r.id) ?? 0) + 1);
  for (const [id, n] of eventCounts) if (n > 1) problems.push(`dur_events holds event ${id} ${n} times`);

  const written = new Set<number>();
  for (const round of ledger.rounds) {
    written.add(round.kvId);
    for (const id of round.txnKvIds) written.add(id);
    const txnKvPresent = round.txnKvIds.filter((id) => kv.has(id)).length;
    const txnEventsPresent = round.txnEventIds.filter((id) => eventCounts.has(id)).length;
    const present = txnKvPresent + txnEventsPresent;
    if (present !== 0 && present !== 2 * ROWS_PER_TXN) {
      problems.push(`transaction ${round.txn} is half-applied: ${txnKvPresent}/${ROWS_PER_TXN} table rows, ${txnEventsPresent}/${ROWS_PER_TXN} events`);
    }
    const committed = present === 2 * ROWS_PER_TXN;
    if (ledger.ackedTxns.has(round.txn) && !committed) problems.push(`acknowledged transaction ${round.txn} is missing`);
    const target = kv.get(round.kvId);
    if (target !== undefined) {
      const expected = committed ? `u${round.txn}` : 'a';
      if (target.v !== expected) {
        problems.push(`dur_kv ${round.kvId} has v=${target.v}, expected ${expected} (transaction ${round.txn} ${committed ? 'applied' : 'not applied'})`);
      }
    }
  }
  for (const id of ledger.ackedKv) if (!kv.has(id)) problems.push(`acknowledged dur_kv row ${id} is missing`);
  for (const id of ledger.ackedEvents) if (!eventCounts.has(id)) problems.push(`acknowledged dur_events row ${id} is missing`);
  for (const id of kv.keys()) if (!written.has(id)) problems.push(`dur_kv row ${id} was never written`);
  const writtenEvents = new Set(ledger.rounds.flatMap((r) => [r.eventId, ...r.txnEventIds]));
  for (const id of eventCounts.keys()) if (!writtenEvents.has(id)) problems.push(`dur_events row ${id} was never written`);
  return problems.slice(0, 30);
}
