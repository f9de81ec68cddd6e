import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Invoice } from './entities.js';

/**
 * Receive addresses given back by invoices cancelled before any payment, for the dialects whose
 * invoices reuse them. Taking one removes it, so no two open invoices share an address.
 */
export async function takeReleasedAddress(trx: Transaction<Database>): Promise<{ index: number; address: string } | null> {
  const { rows } = await sql<{ index: number; address: string }>`
    DELETE FROM released_addresses WHERE derivation_index = (
      SELECT derivation_index FROM released_addresses ORDER BY released_at, derivation_index LIMIT 1 FOR UPDATE SKIP LOCKED
    ) RETURNING derivation_index AS index, address`.execute(trx);
  return rows[0] ?? null;
}

export async function releaseAddress(trx: Transaction<Database>, invoice: Pick<Invoice, 'derivation_index' | 'address'>, now: number): Promise<void> {
  await trx
    .insertInto('released_addresses')
    .values({ derivation_index: invoice.derivation_index, address: invoice.address, released_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
