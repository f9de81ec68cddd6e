import type { Kysely, Transaction } from 'kysely';
import type { ApiKeysTable } from './tables/api-keys.js';
import type { BillNumbersTable, BillsTable } from './tables/bills.js';
import type { BlocksTable, ChainTransactionsTable, VirtualClockTable } from './tables/chain.js';
import type { InvoiceEventsTable } from './tables/invoice-events.js';
import type { InvoicesTable } from './tables/invoices.js';
import type { LedgerEntriesTable } from './tables/ledger.js';
import type { PayoutRecipientsTable, PayoutsTable } from './tables/payouts.js';
import type { SettlementsTable } from './tables/settlements.js';
import type { SubscriptionsTable } from './tables/subscriptions.js';
import type { MerchantsTable } from './tables/merchants.js';
import type { PaymentLinksTable, ReleasedAddressesTable } from './tables/payment-links.js';
import type { RatesTable } from './tables/rates.js';
import type { RefundsTable } from './tables/refunds.js';
import type { TokensTable } from './tables/tokens.js';
import type { WebhookSubscriptionsTable } from './tables/webhook-subscriptions.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from './tables/webhooks.js';

export interface Database {
  merchants: MerchantsTable;
  tokens: TokensTable;
  api_keys: ApiKeysTable;
  rates: RatesTable;
  invoices: InvoicesTable;
  invoice_events: InvoiceEventsTable;
  blocks: BlocksTable;
  chain_transactions: ChainTransactionsTable;
  virtual_clock: VirtualClockTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  refunds: RefundsTable;
  bills: BillsTable;
  bill_numbers: BillNumbersTable;
  ledger_entries: LedgerEntriesTable;
  payout_recipients: PayoutRecipientsTable;
  payouts: PayoutsTable;
  settlements: SettlementsTable;
  subscriptions: SubscriptionsTable;
  payment_links: PaymentLinksTable;
  released_addresses: ReleasedAddressesTable;
}

/** A database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
