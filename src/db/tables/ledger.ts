import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../json.js';
import type { LedgerEntryKind } from '../../domain/ledger.js';

export interface LedgerEntriesTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  currency: string;
  kind: LedgerEntryKind;
  /** numeric, signed, read as a decimal string */
  amount: ColumnType<string, string, string>;
  occurred_at: number;
  invoice_id: string | null;
  refund_id: string | null;
  payout_id: string | null;
  settlement_id: string | null;
  details: Json<LedgerEntryDetails>;
}

export interface LedgerEntryDetails {
  /** the invoice's price and currency, for entries about an invoice */
  invoicePrice?: string;
  invoiceCurrency?: string;
  buyer?: { name?: string; address1?: string; address2?: string; locality?: string; region?: string; postalCode?: string; country?: string; email?: string; phone?: string };
  orderId?: string;
  supportRequest?: string;
  /** the currency the money moved in (BTC for an invoice paid on chain) */
  transactionCurrency?: string;
}
