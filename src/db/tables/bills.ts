import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../json.js';
import type { BillCustomer, BillLine, BillPaymentMethod } from '../../domain/bill.js';

export interface BillsTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  dialect: string;
  /** Sequential per merchant, from 1. */
  number: number;
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
}
