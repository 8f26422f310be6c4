/**
 * The three Nexmark streams as Freshet declares them: column names and SQL types in the order the
 * generator fills its columns, plus the column positions the generator writes by. int8 columns hold
 * bigint, varchar string, timestamp a number of microseconds (types/datum.ts).
 */
import { T, type SqlType } from '../../types/sql-type.js';

export type NexmarkEventKind = 'person' | 'auction' | 'bid';

export const NEXMARK_EVENT_KINDS: readonly NexmarkEventKind[] = ['person', 'auction', 'bid'];

export type NexmarkColumnType = 'int8' | 'varchar' | 'timestamp';

export interface NexmarkColumn {
  readonly name: string;
  /** Freshet's type kind name (sql-type.ts TypeKind). */
  readonly type: NexmarkColumnType;
  readonly sqlType: SqlType;
}

function col(name: string, type: NexmarkColumnType): NexmarkColumn {
  return Object.freeze({ name, type, sqlType: T[type] });
}

export const PERSON_COLUMNS: readonly NexmarkColumn[] = Object.freeze([
  col('id', 'int8'),
  col('name', 'varchar'),
  col('email_address', 'varchar'),
  col('credit_card', 'varchar'),
  col('city', 'varchar'),
  col('state', 'varchar'),
  col('date_time', 'timestamp'),
  col('extra', 'varchar'),
]);

export const AUCTION_COLUMNS: readonly NexmarkColumn[] = Object.freeze([
  col('id', 'int8'),
  col('item_name', 'varchar'),
  col('description', 'varchar'),
  col('initial_bid', 'int8'),
  col('reserve', 'int8'),
  col('date_time', 'timestamp'),
  col('expires', 'timestamp'),
  col('seller', 'int8'),
  col('category', 'int8'),
  col('extra', 'varchar'),
]);

export const BID_COLUMNS: readonly NexmarkColumn[] = Object.freeze([
  col('auction', 'int8'),
  col('bidder', 'int8'),
  col('price', 'int8'),
  col('channel', 'varchar'),
  col('url', 'varchar'),
  col('date_time', 'timestamp'),
  col('extra', 'varchar'),
]);

export const NEXMARK_SCHEMAS: Readonly<Record<NexmarkEventKind, readonly NexmarkColumn[]>> = Object.freeze({
  person: PERSON_COLUMNS,
  auction: AUCTION_COLUMNS,
  bid: BID_COLUMNS,
});

/** Column positions, kept in step with the lists above (checked by schemas.test.ts). */
export const enum PersonCol { id, name, emailAddress, creditCard, city, state, dateTime, extra }
export const enum AuctionCol { id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra }
export const enum BidCol { auction, bidder, price, channel, url, dateTime, extra }
