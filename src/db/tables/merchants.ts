import type { Json } from '../json.js';
import type { Generated } from 'kysely';
import type { TransactionSpeed } from '../../domain/invoice.js';

export interface MerchantsTable {
  id: string;
  seq: Generated<number>;
  name: string;
  is_default: boolean;
  /** Default speed policy for invoices that do not set one. */
  transaction_speed: Generated<TransactionSpeed>;
  created_at: number;
  /** Store settings: the defaults of invoices made without them. */
  default_currency: Generated<string>;
  website: string | null;
  invoice_expiration_seconds: Generated<number>;
  monitoring_expiration_seconds: Generated<number>;
  /** numeric, read as a decimal string: percent of the amount that may be missing */
  payment_tolerance: Generated<string>;
  /** numeric, read as a decimal string: percent of a completed invoice's price charged as a fee */
  fee_percent: Generated<string>;
  /** Recipients are active as soon as they are invited (no acceptance in the sandbox needed). */
  recipients_auto_active: Generated<boolean>;
  /** How often its ledgers are settled (0: never by itself), and when next (null: created_at + interval). */
  settlement_interval_ms: Generated<number>;
  next_settlement_at: number | null;
  /** The bank account settlements go to; null: the sandbox's default. */
  payout_info: Json<Record<string, unknown>> | null;
}
