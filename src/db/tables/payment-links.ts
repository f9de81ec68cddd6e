import type { Generated } from 'kysely';
import type { Json } from '../json.js';
import type { BillPaymentMethod } from '../../domain/bill.js';

export interface PaymentLinksTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  dialect: string;
  /** Unique per merchant, kept by a deactivated link. */
  slug: string;
  title: string;
  description: Generated<string>;
  /** numeric, read as a decimal string; null: the payer chooses */
  amount: string | null;
  currency: string;
  payment_methods: Json<BillPaymentMethod[]>;
  redirect_url: string | null;
  metadata: Json<Record<string, unknown>>;
  active: Generated<boolean>;
  created_at: number;
}

export interface ReleasedAddressesTable {
  derivation_index: number;
  address: string;
  released_at: number;
}
