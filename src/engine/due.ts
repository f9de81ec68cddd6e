import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Whether a table has work due now: one look along its partial `due_at` index, outside any
 * transaction, so that an idle scheduler pass opens none.
 */
export async function anythingDue(db: Db, table: 'payouts' | 'subscriptions' | 'settlements', now: number): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM ${sql.table(table)} WHERE due_at <= ${now} LIMIT 1`.execute(db);
  return rows.length > 0;
}
