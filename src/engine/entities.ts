import type { Insertable, Selectable } from 'kysely';
import type { ApiKeysTable } from '../db/tables/api-keys.js';
import type { BillsTable } from '../db/tables/bills.js';
import type { BlocksTable, ChainTransactionsTable } from '../db/tables/chain.js';
import type { InvoicesTable } from '../db/tables/invoices.js';
import type { LedgerEntriesTable } from '../db/tables/ledger.js';
import type { MerchantsTable } from '../db/tables/merchants.js';
import type { PaymentLinksTable } from '../db/tables/payment-links.js';
import type { PayoutRecipientsTable, PayoutsTable } from '../db/tables/payouts.js';
import type { RefundsTable } from '../db/tables/refunds.js';
import type { SettlementsTable } from '../db/tables/settlements.js';
import type { SubscriptionsTable } from '../db/tables/subscriptions.js';
import type { TokensTable } from '../db/tables/tokens.js';
import type { WebhookSubscriptionsTable } from '../db/tables/webhook-subscriptions.js';
import type { BillState } from '../domain/bill.js';
import type { Decimal } from '../domain/money.js';

// The engine's entities: what its services return, its domain events carry and its caches hold.
// They are made of rows only, so every service, the context and the events can name them
// without importing one another.

export type Merchant = Selectable<MerchantsTable>;
export type Token = Selectable<TokensTable>;
/** A token with what a request needs of its merchant. */
export type AuthenticatedToken = Token & { merchant_name: string | null; merchant_transaction_speed: string | null };
export type ApiKey = Selectable<ApiKeysTable>;

export type Invoice = Selectable<InvoicesTable>;

export type Block = Selectable<BlocksTable>;
export type ChainTransaction = Selectable<ChainTransactionsTable>;

/** What a presenter or the state machine needs of the chain for some invoices: the tip and each invoice's payments. */
export interface ChainView {
  tipHeight: number;
  transactions: Map<string, ChainTransaction[]>;
}

export interface InvoiceWithChain {
  invoice: Invoice;
  chain: ChainView;
}

/** One state of a stored invoice: its id and row version (ROW_VERSION in invoices.ts). */
export interface InvoiceVersion {
  id: string;
  version: string;
}

export interface InvoiceListing {
  listed: InvoiceVersion[];
  chain: ChainView;
}

export type Bill = Selectable<BillsTable>;
/** A draft's row; its number comes from the bills_numbered trigger as it is written. */
export type DraftRow = Insertable<BillsTable>;

/** A bill with where it stands, and its invoice once issued. */
export interface BillView {
  bill: Bill;
  state: BillState;
  invoice: Invoice | null;
}

export type PaymentLink = Selectable<PaymentLinksTable>;
export type Subscription = Selectable<SubscriptionsTable>;
export type Refund = Selectable<RefundsTable>;
export type LedgerEntry = Selectable<LedgerEntriesTable>;
export type Settlement = Selectable<SettlementsTable>;
export type PayoutRecipient = Selectable<PayoutRecipientsTable>;
export type Payout = Selectable<PayoutsTable>;
export type WebhookSubscription = Selectable<WebhookSubscriptionsTable>;

/** Units of each currency per 1 BTC. */
export type BtcRates = Map<string, Decimal>;

/** The rates of one moment, and the form in which a new invoice locks them. */
export interface RateSheet {
  perBtc: BtcRates;
  /** The rates an invoice locks at creation, `{"BTC": {"USD": 65000, …}}`, as jsonb text. */
  lockedJson: string;
}
