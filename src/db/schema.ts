import type { Kysely, Transaction } from 'kysely';
import type { MerchantsTable } from './tables/merchants.js';
import type { TokensTable } from './tables/tokens.js';

export interface Database {
  merchants: MerchantsTable;
  tokens: TokensTable;
}

/** A database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
