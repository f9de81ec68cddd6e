import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../db/schema.js';

/** Indexes reserved per database round trip; at most this many are skipped when a process stops (the BIP44 gap limit is 20). */
const RESERVE = 20;

export interface AddressBook {
  /** The next never-used receive address and its derivation index. */
  next(): Promise<{ index: number; address: string }>;
  /** The next never-used address, drawn in the caller's transaction (one round trip, no reserve). */
  nextIn(db: Db): Promise<{ index: number; address: string }>;
}

/**
 * Hands out invoice addresses. Indexes come from a database sequence, so no two invoices, in
 * any process, ever share one; they are reserved a few at a time to keep a round trip off most
 * invoice creations.
 */
export function createAddressBook(db: Kysely<Database>, derive: (index: number) => string): AddressBook {
  const reserved: number[] = [];
  let reserving: Promise<void> | null = null;
  const reserve = async () => {
    const { rows } = await sql<{ index: number }>`SELECT nextval('address_derivation_index')::int AS index FROM generate_series(1, ${RESERVE})`.execute(db);
    reserved.push(...rows.map((r) => r.index).sort((a, b) => a - b));
  };
  return {
    async nextIn(trx) {
      const { rows } = await sql<{ index: number }>`SELECT nextval('address_derivation_index')::int AS index`.execute(trx);
      const index = (rows[0] as { index: number }).index;
      return { index, address: derive(index) };
    },
    async next() {
      while (reserved.length === 0) {
        reserving ??= reserve().finally(() => {
          reserving = null;
        });
        await reserving;
      }
      const index = reserved.shift() as number;
      return { index, address: derive(index) };
    },
  };
}
