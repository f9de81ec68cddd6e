import type { Insertable, Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { InvoicesTable } from '../db/tables/invoices.js';
import type { RandomSource } from '../domain/ids.js';
import type { Logger } from '../logger.js';
import type { AddressBook } from './address-book.js';
import type { Batcher } from './batcher.js';
import type { ReadThroughCache } from './cache.js';
import type { Clock } from './clock.js';
import type { DomainEvent, DomainEventType } from './events.js';
import type { Db } from '../db/schema.js';
import type { ApiKey, AuthenticatedToken, Bill, BillView, DraftRow, Invoice, InvoiceListing, InvoiceWithChain, Merchant, RateSheet, WebhookSubscription } from './entities.js';

/** What every engine service needs: built once by the composition root (server.ts). */
export interface EngineContext {
  db: Kysely<Database>;
  clock: Clock;
  random: RandomSource;
  config: Config;
  logger: Logger;
  /** Never-used invoice receive addresses (BTC_XPUB, BIP84). */
  addresses: AddressBook;
  /** New invoices, written together when many are created at once. */
  invoiceInserts: Batcher<Insertable<InvoicesTable>, Invoice>;
  /** New draft bills, written and numbered together when many are made at once. */
  billDrafts: Batcher<DraftRow, Bill>;
  /** The served dialects' subscribers, told of every domain event in the transaction that caused it. */
  subscribers: EventSubscriber[];
  /** Per-process caches of what every request reads, each valid while the tables it is made of are unchanged. */
  caches: {
    tokens: ReadThroughCache<string, AuthenticatedToken>;
    rates: ReadThroughCache<'rates', RateSheet>;
    invoices: ReadThroughCache<string, InvoiceWithChain>;
    /** Invoice lists by merchant and filter (INVOICE_READ_TABLES). */
    invoiceLists: ReadThroughCache<string, InvoiceListing>;
    /** API keys of Greenfield and btpay by dialect and secret (API_KEY_READ_TABLES). */
    apiKeys: ReadThroughCache<string, ApiKey>;
    merchants: ReadThroughCache<string, Merchant>;
    /** Bills with their invoices, one by key and lists by filter (BILL_READ_TABLES). */
    bills: ReadThroughCache<string, BillView>;
    billLists: ReadThroughCache<string, { bills: BillView[]; total: number }>;
    /** Each dialect's enabled webhook subscriptions. */
    subscriptions: ReadThroughCache<string, WebhookSubscription[]>;
  };
}

/** A dialect's subscriber: queues its deliveries for the events, in the caller's transaction. */
export interface EventSubscriber {
  /**
   * Whether events of this type can turn into deliveries now. Where no subscriber listens, the
   * engine need not publish them at all, nor open the transaction publishing them would need.
   */
  listensTo(ctx: EngineContext, type: DomainEventType): Promise<boolean>;
  queue(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void>;
}
