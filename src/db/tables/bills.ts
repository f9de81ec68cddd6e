import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../json.js';
import type { BillCustomer, BillLine, BillPaymentMethod } from '../../domain/bill.js';

export interface BillsTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  dialect: string;
  /** Sequential per merchant, from 1: set by the bills_numbered trigger (migration 019), never by an insert. */
  number: ColumnType<number, never, number>;
  /** The bill's own status; an issued bill's state is its invoice's (engine/bills.ts). */
  status: 'draft' | 'issued' | 'cancelled';
  currency: string;
  lines: Json<BillLine[]>;
  /** numeric, read as decimal strings */
  tax_rate: ColumnType<string, string | undefined, string>;
  discount: ColumnType<string, string | undefined, string>;
  customer: Json<BillCustomer>;
  notes: Generated<string>;
  payment_methods: Json<BillPaymentMethod[]>;
  metadata: Json<Record<string, unknown>>;
  payment_link_id: string | null;
  redirect_url: string | null;
  invoice_id: string | null;
  created_at: number;
  issued_at: number | null;
  cancelled_at: number | null;
  wire_received_at: number | null;
  /** the merchant's own number for it (BitPay's `number`) */
  reference: Generated<string | null>;
  due_date: Generated<number | null>;
  pass_processing_fee: Generated<boolean>;
  /** the bill's own token, for dialects whose clients act on a bill with it */
  resource_token: Generated<string | null>;
  /** when it was sent to the customer */
  delivered_at: Generated<number | null>;
  /** the facade of the token that made it (BitPay: pos or merchant) */
  facade: Generated<string | null>;
  /** the subscription that sent it */
  subscription_id: Generated<string | null>;
}

/** Each merchant's last bill number, which the bills_numbered trigger counts on from. */
export interface BillNumbersTable {
  merchant_id: string;
  last: number;
}
