import type { Generated } from 'kysely';

export interface MerchantsTable {
  id: string;
  seq: Generated<number>;
  name: string;
  is_default: boolean;
  /** Default transactionSpeed for invoices that do not set one. */
  transaction_speed: string;
  created_at: number;
}
