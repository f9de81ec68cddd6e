import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database, Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import type { InvoicesTable } from '../db/tables/invoices.js';
import { base58Text } from '../domain/ids.js';
import {
  DEFAULT_ACCEPTANCE_WINDOW_MS,
  SMS_NUMBER,
  type Buyer,
  type BuyerProvided,
  type InvoiceDetails,
  type InvoiceStatus,
  type TransactionSpeed,
} from '../domain/invoice.js';
import { invoiceAmounts, MAX_INVOICE_SATS, priceToSats, Decimal } from '../domain/money.js';
import { conflict, EngineError, invalidParam, notFound } from '../errors.js';
import { findCurrency, fixtures } from '../fixtures.js';
import { chainViewOf } from './chain.js';
import type { EngineContext } from './context.js';
import { command, recordSteps } from './lifecycle.js';
import { currentRateSheet } from './rates.js';
import type { Invoice, InvoiceListing, InvoiceVersion, InvoiceWithChain } from './entities.js';
import { anyoneListensTo, publish } from './publish.js';

/**
 * A new invoice in the engine's words, whatever dialect asked for it: each dialect maps its wire
 * request onto this.
 */
export interface NewInvoice {
  /** A decimal string or number, in `currency`. */
  price: number | string;
  currency: string;
  orderId?: string;
  /** The merchant's own reference for the request (not unique). */
  guid?: string;
  details: InvoiceDetails;
  buyer: Buyer;
  buyerProvided: BuyerProvided;
  /** Confirmations policy; the merchant's default when absent. */
  speed?: TransactionSpeed;
  /** How long the invoice accepts payment; 15 minutes when absent or 0. */
  expiryWindowMs?: number;
  /** Percent of the total that may be missing and still count as paid in full (decimal string); 0 when absent. */
  paymentTolerance?: string;
  /** false: the buyer pays the price alone, with no network cost added (BitPay's miner fee); true when absent. */
  networkCost?: boolean;
  redirect: { url?: string; closeUrl?: string; automatic: boolean };
  notification: { url?: string; full: boolean; extended: boolean };
}

/** Who creates the invoice: a merchant, through one of its credentials. */
export interface InvoiceCreator {
  merchantId: string;
  merchantName: string;
  /** The merchant's default speed policy. */
  transactionSpeed: TransactionSpeed;
  /** The credential the invoice was made with; webhooks that need a key are signed with it. */
  apiToken: string;
  /** What the credential may see of the invoice. */
  facade: 'pos' | 'merchant';
  /** The dialect whose API the request came through. */
  dialect: string;
}

/** Checks that need the currency catalogue and the current rates; returns the locked rates. */
async function priceInBitcoin(ctx: EngineContext, request: NewInvoice) {
  const currency = findCurrency(request.currency);
  const rates = await currentRateSheet(ctx);
  const rate = rates.perBtc.get(request.currency);
  if (!currency || !rate) {
    throw new EngineError('invalid', `Invalid currency: ${request.currency} is not a supported currency (see GET /currencies)`, {
      subject: 'invoice',
      field: { path: 'currency', problem: `${request.currency} is not a supported currency` },
    });
  }
  const price = new Decimal(request.price);
  if (price.lt(currency.minimum)) {
    throw conflict('invoice', 'price-below-minimum', `Invoice price is below the minimum threshold of ${currency.minimum} ${currency.code}`);
  }
  const { satoshisPerByte, sweepTransactionBytes } = fixtures.bitcoin;
  if (priceToSats(price, rate).plus(satoshisPerByte * sweepTransactionBytes).gt(MAX_INVOICE_SATS)) {
    throw conflict('invoice', 'price-above-maximum', `Invoice price is above the maximum threshold: ${request.price} ${currency.code} is more than 21 million BTC`);
  }
  return { rate, lockedRatesJson: rates.lockedJson };
}

/** A new invoice with its own address, amounts locked at the current rate. */
export async function createInvoice(ctx: EngineContext, creator: InvoiceCreator, request: NewInvoice): Promise<Invoice> {
  const row = await newInvoiceRow(ctx, creator, request, () => ctx.addresses.next());
  return ctx.invoiceInserts.submit(row);
}

/** The row of a new invoice, priced now, at the address `address` hands out (after every check has passed). */
export async function newInvoiceRow(
  ctx: EngineContext,
  creator: InvoiceCreator,
  request: NewInvoice,
  address: () => Promise<{ index: number; address: string }>,
): Promise<Insertable<InvoicesTable>> {
  const { rate, lockedRatesJson } = await priceInBitcoin(ctx, request);
  const { satoshisPerByte, sweepTransactionBytes } = fixtures.bitcoin;
  const amounts = invoiceAmounts(request.price, rate, request.networkCost === false ? 0 : satoshisPerByte * sweepTransactionBytes);
  const window = request.expiryWindowMs || DEFAULT_ACCEPTANCE_WINDOW_MS;
  const details: InvoiceDetails = { ...request.details, acceptanceWindow: window };
  if (!details.merchantName) details.merchantName = creator.merchantName;

  const now = ctx.clock.now();
  const { notification, redirect } = request;

  const receive = await address();
  return {
    id: base58Text(ctx.random, 22),
    merchant_id: creator.merchantId,
    dialect: creator.dialect,
    resource_token: base58Text(ctx.random, 44),
    event_token: base58Text(ctx.random, 22),
    api_token: creator.apiToken,
    facade: creator.facade,
    guid: request.guid ?? null,
    order_id: request.orderId ?? null,
    status: 'new' as const,
    exception_status: null,
    price: new Decimal(request.price).toString(),
    currency: request.currency,
    rate: rate.toString(),
    exchange_rates: lockedRatesJson,
    subtotal_sats: amounts.subtotalSats,
    miner_fee_sats: amounts.minerFeeSats,
    sats_per_byte: satoshisPerByte,
    address: receive.address,
    derivation_index: receive.index,
    transaction_speed: request.speed ?? creator.transactionSpeed,
    ...(request.paymentTolerance ? { payment_tolerance: request.paymentTolerance } : {}),
    full_notifications: notification.full,
    extended_notifications: notification.extended,
    notification_url: notification.url ?? null,
    redirect_url: redirect.url ?? null,
    close_url: redirect.closeUrl ?? null,
    auto_redirect: redirect.automatic,
    buyer: toJson(request.buyer),
    buyer_provided: toJson(request.buyerProvided),
    details: toJson(details),
    invoice_time: now,
    expiration_time: now + window,
    due_at: now + window + 1,
  };
}

/**
 * Writes new invoices and their first events in one statement, and hands the creations to the
 * dialects' subscribers in the same transaction; when none listens to creations, the statement
 * alone, with no transaction's round trips. Answers the stored rows in the order given.
 */
export async function insertInvoices(ctx: EngineContext, rows: Insertable<InvoicesTable>[]): Promise<Invoice[]> {
  if (!(await anyoneListensTo(ctx, 'invoice-created'))) return insertInvoiceRows(ctx.db, rows);
  return ctx.db.transaction().execute((trx) => insertInvoicesIn(trx, ctx, rows));
}

/** Writes new invoices and their first events, and publishes their creation, in the caller's transaction. */
export async function insertInvoicesIn(trx: Transaction<Database>, ctx: EngineContext, rows: Insertable<InvoicesTable>[]): Promise<Invoice[]> {
  const invoices = await insertInvoiceRows(trx, rows);
  await publish(trx, ctx, invoices.map((invoice) => ({ type: 'invoice-created' as const, invoice })), ctx.clock.now());
  return invoices;
}

async function insertInvoiceRows(db: Db, rows: Insertable<InvoicesTable>[]): Promise<Invoice[]> {
  const created = await db
    .with('created', (db) => db.insertInto('invoices').values(rows).returningAll())
    .with('history', (db) =>
      db
        .insertInto('invoice_events')
        .columns(['invoice_id', 'type', 'from_status', 'to_status', 'exception_status', 'detail', 'occurred_at'])
        .expression((eb) =>
          eb
            .selectFrom('created')
            .select([
              'created.id',
              sql<string>`'created'`.as('type'),
              sql<null>`NULL::text`.as('from_status'),
              sql<string>`'new'`.as('to_status'),
              sql<null>`NULL::text`.as('exception_status'),
              sql<string>`'{}'::jsonb`.as('detail'),
              'created.invoice_time',
            ]),
        ),
    )
    .selectFrom('created')
    .selectAll()
    .execute();
  const byId = new Map(created.map((invoice) => [invoice.id, invoice as Invoice]));
  return rows.map((row) => {
    const invoice = byId.get(row.id);
    if (!invoice) throw new Error(`invoice ${row.id} was not returned by its insert`);
    return invoice;
  });
}

/** An invoice of this merchant, by id; another merchant's invoice is "not found" too. */
export async function getInvoice(db: Db, merchantId: string, id: string): Promise<Invoice> {
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!invoice) throw notFound('invoice', `Invoice ${id} not found`);
  return invoice;
}

/** What an invoice response is made of; migrations/006 notifies other processes of their changes. */
export const INVOICE_READ_TABLES = ['invoices', 'chain_transactions', 'blocks'];

/**
 * `GET /invoices/:id`: an invoice of this merchant and its payments on the chain, from the
 * read cache while none of the tables it is made of has changed.
 */
export async function readInvoice(ctx: EngineContext, merchantId: string, id: string): Promise<InvoiceWithChain> {
  const found = await ctx.caches.invoices.get(id, async () => {
    const invoice = await ctx.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
    return invoice && { invoice, chain: await chainViewOf(ctx.db, [invoice.id]) };
  });
  if (!found || found.invoice.merchant_id !== merchantId) throw notFound('invoice', `Invoice ${id} not found`);
  return found;
}

/** Any merchant's invoice, by id (the sandbox API sees every merchant). */
export async function findInvoice(db: Db, id: string): Promise<Invoice> {
  const invoice = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!invoice) throw notFound('invoice', `Invoice ${id} not found`);
  return invoice;
}

export async function invoiceEvents(db: Db, invoiceId: string) {
  return db.selectFrom('invoice_events').selectAll().where('invoice_id', '=', invoiceId).orderBy('id').execute();
}

/** By the merchant's guid; guids need not be unique (the Node SDK uses the time in ms), so the newest wins. */
export async function getInvoiceByGuid(db: Db, merchantId: string, guid: string): Promise<Invoice> {
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('guid', '=', guid)
    .where('merchant_id', '=', merchantId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!invoice) throw notFound('invoice', `Invoice with guid ${guid} not found`);
  return invoice;
}

export interface InvoiceFilter {
  from?: number;
  /** exclusive */
  to?: number;
  /** any of these */
  statuses?: InvoiceStatus[];
  /** any of these */
  orderIds?: string[];
  /** found in the id, order id, description, buyer or metadata (case-insensitive) */
  text?: string;
  /** false: leave archived invoices out */
  includeArchived?: boolean;
  limit: number;
  offset: number;
}

/** Characters that LIKE reads as wildcards, escaped so that a search is literal. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The invoices a filter selects, newest first, as a query still to be given its columns. */
function filteredInvoices(db: Db, merchantId: string | null, filter: InvoiceFilter) {
  let query = db.selectFrom('invoices');
  if (merchantId !== null) query = query.where('merchant_id', '=', merchantId);
  if (filter.from !== undefined) query = query.where('invoice_time', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('invoice_time', '<', filter.to);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.orderIds?.length) query = query.where('order_id', 'in', filter.orderIds);
  if (filter.includeArchived === false) query = query.where('archived', '=', false);
  if (filter.text) {
    const pattern = likePattern(filter.text);
    query = query.where((eb) =>
      eb.or([
        eb('id', 'ilike', pattern),
        eb('order_id', 'ilike', pattern),
        eb(sql<string>`details::text`, 'ilike', pattern),
        eb(sql<string>`buyer::text`, 'ilike', pattern),
      ]),
    );
  }
  return query.orderBy('invoice_time', 'desc').orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset);
}

/** One merchant's invoices, or the dashboard's list (every merchant's): newest first. */
export async function listInvoices(db: Db, merchantId: string | null, filter: InvoiceFilter): Promise<Invoice[]> {
  return filteredInvoices(db, merchantId, filter).selectAll().execute();
}

/**
 * The version of a stored invoice: PostgreSQL's `xmin`, the transaction that wrote the row as it
 * is now. Every update writes a new row version with a new xmin, so (id, version) names one
 * state of an invoice, and what was made of that state (its presented JSON) can be kept.
 */
const ROW_VERSION = sql<string>`xmin::text`;

/** What `listInvoices` would list, as ids and versions only: the rows are read only for versions not already presented. */
export async function listInvoiceVersions(db: Db, merchantId: string | null, filter: InvoiceFilter): Promise<InvoiceVersion[]> {
  return filteredInvoices(db, merchantId, filter).select(['id', ROW_VERSION.as('version')]).execute();
}

/**
 * A list's invoices as ids and versions, with their payments on the chain, from the read cache
 * while none of the tables it is made of has changed (what was presented of each version is
 * kept by the dialect, so a repeated list reads nothing).
 */
export async function readInvoiceListing(ctx: EngineContext, merchantId: string, filter: InvoiceFilter): Promise<InvoiceListing> {
  const listing = await ctx.caches.invoiceLists.get(JSON.stringify([merchantId, filter]), async () => {
    const listed = await listInvoiceVersions(ctx.db, merchantId, filter);
    return { listed, chain: await chainViewOf(ctx.db, listed.map((i) => i.id)) };
  });
  return listing as InvoiceListing;
}

/** These invoices as stored, each with its version. */
export async function invoicesWithVersions(db: Db, ids: string[]): Promise<(Invoice & { version: string })[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('invoices').selectAll().select(ROW_VERSION.as('version')).where('id', 'in', ids).execute();
}

/** The buyer's contact, given or verified through the API: one of e-mail, SMS number or SMS code. */
export interface ContactUpdate {
  email?: string;
  sms?: string;
  smsCode?: string;
  /** Skip SMS verification (allowed in a test environment, which this is). */
  autoVerify?: boolean;
}

/** The code "sent" by SMS: six digits, shown in the sandbox. */
function newSmsCode(ctx: EngineContext): string {
  return [...ctx.random.bytes(6)].map((byte) => byte % 10).join('');
}

/** Sets the buyer's e-mail or SMS number (once), or verifies the SMS code. */
export async function updateInvoiceContact(ctx: EngineContext, merchantId: string, id: string, update: ContactUpdate): Promise<Invoice> {
  return ctx.db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw notFound('invoice', `Invoice ${id} not found`);
    const provided: BuyerProvided = { ...invoice.buyer_provided };
    const buyer: Buyer = { ...invoice.buyer };
    if (update.email !== undefined) {
      if (provided.emailGivenByBuyer) throw conflict('invoice', 'email-already-set', 'Email already set on invoice: the buyer gave it');
      provided.emailAddress = update.email;
      provided.emailGivenByBuyer = true;
      buyer.email = update.email;
    }
    if (update.sms !== undefined) {
      if (!SMS_NUMBER.test(update.sms)) {
        throw invalidParam('invoice', 'Invalid SMS number: use the international format, e.g. +12223334444', 'sms-number');
      }
      provided.sms = update.sms;
      provided.smsVerified = update.autoVerify === true;
      if (provided.smsVerified) delete provided.smsCode;
      else provided.smsCode = newSmsCode(ctx);
    }
    if (update.smsCode !== undefined) {
      if (!provided.sms) throw conflict('invoice', 'contact-missing', 'Invoice is missing SMS: set buyerSms before verifying a code');
      if (!provided.smsVerified) {
        if (update.smsCode !== provided.smsCode) throw conflict('invoice', 'sms-code-mismatch', 'Error verifying SMS: the code does not match');
        provided.smsVerified = true;
        delete provided.smsCode;
      }
    }
    return trx
      .updateTable('invoices')
      .set({ buyer_provided: toJson(provided), buyer: toJson(buyer) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export function hasBuyerContact(invoice: Invoice): boolean {
  return Boolean(invoice.buyer.email || invoice.buyer_provided.emailAddress || invoice.buyer_provided.sms);
}

/**
 * Cancels an invoice: an unpaid new invoice is cancelled (→ expired); one with a partial
 * payment needs the buyer's e-mail or SMS for the refund, unless forced (→ declined); anything
 * else is refused. The status table decides.
 */
export async function cancelInvoice(ctx: EngineContext, invoice: Invoice, force: boolean): Promise<Invoice> {
  return ctx.db.transaction().execute((trx) => cancelInvoiceIn(trx, ctx, invoice.id, force));
}

/** `cancelInvoice` in the caller's transaction. */
export async function cancelInvoiceIn(trx: Transaction<Database>, ctx: EngineContext, invoiceId: string, force: boolean): Promise<Invoice> {
  const current = await trx.selectFrom('invoices').selectAll().where('id', '=', invoiceId).forUpdate().executeTakeFirstOrThrow();
  const partlyPaid = current.amount_paid_sats > 0;
  const outcome = current.is_cancelled ? 'refused' : command(current, { type: partlyPaid ? 'cancelPartial' : 'cancelUnpaid' });
  if (outcome === 'refused') {
    throw conflict('invoice', 'cancel-refused', `Invalid invoice state for cancel: the invoice is ${current.is_cancelled ? 'already cancelled' : current.status}`);
  }
  if (partlyPaid && !hasBuyerContact(current) && !force) {
    throw conflict('invoice', 'contact-missing', 'Invoice is missing email or SMS: a partly paid invoice needs buyer contact to be cancelled, or forceCancel');
  }
  const now = ctx.clock.now();
  const cancelled = await trx
    .updateTable('invoices')
    .set({ status: outcome.state.status, exception_status: outcome.state.exception, is_cancelled: true, due_at: null })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordSteps(trx, ctx, [{ invoice: cancelled, steps: outcome.steps, detail: { cancelled: true, force } }], now);
  return cancelled;
}

/** By its resource token (the `token` field of the invoice JSON). */
export async function findInvoiceByResourceToken(db: Db, resourceToken: string): Promise<Invoice | undefined> {
  return db.selectFrom('invoices').selectAll().where('resource_token', '=', resourceToken).executeTakeFirst();
}

/** The merchant asks to be notified of the invoice again, as it is now. */
export async function resendInvoiceWebhook(ctx: EngineContext, invoice: Invoice): Promise<void> {
  if (!invoice.notification_url) {
    throw conflict('invoice', 'state', `Invoice ${invoice.id} has no notificationURL to send a webhook to`);
  }
  await publish(ctx.db, ctx, [{ type: 'invoice-notification-requested', invoice }], ctx.clock.now());
}

/** Archives an invoice, or brings it back: it leaves (or rejoins) a dialect's default lists; nothing else changes. */
export async function setInvoiceArchived(ctx: EngineContext, merchantId: string, id: string, archived: boolean): Promise<Invoice> {
  const invoice = await ctx.db
    .updateTable('invoices')
    .set({ archived })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .returningAll()
    .executeTakeFirst();
  if (!invoice) throw notFound('invoice', `Invoice ${id} not found`);
  return invoice;
}

/** The details a description covers; the others (expiry window, line items, language…) are not the merchant's description. */
const DESCRIBED_DETAILS = ['itemDesc', 'itemCode', 'posData', 'physical', 'metadata'] as const;

/** What the merchant says an invoice is for, replaced as a whole. */
export interface InvoiceDescription {
  orderId?: string;
  buyer: Buyer;
  details: Pick<InvoiceDetails, (typeof DESCRIBED_DETAILS)[number]>;
}

/** Replaces the merchant's description of an invoice (order id, buyer, what it is for); amounts, status and the other details stay. */
export async function describeInvoice(ctx: EngineContext, merchantId: string, id: string, description: InvoiceDescription): Promise<Invoice> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('invoices').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
    if (!current) throw notFound('invoice', `Invoice ${id} not found`);
    const kept = Object.fromEntries(Object.entries(current.details).filter(([key]) => !(DESCRIBED_DETAILS as readonly string[]).includes(key)));
    const details: InvoiceDetails = { ...kept, ...description.details };
    return trx
      .updateTable('invoices')
      .set({ order_id: description.orderId ?? null, buyer: toJson(description.buyer), details: toJson(details) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * The merchant sets the status by hand: `complete` (settled) or `invalid`, flagged `marked`.
 * The status table says from which statuses; a refusal is a conflict.
 */
export async function markInvoice(ctx: EngineContext, merchantId: string, id: string, mark: 'complete' | 'invalid'): Promise<Invoice> {
  return ctx.db.transaction().execute((trx) => markInvoiceIn(trx, ctx, merchantId, id, mark));
}

/** `markInvoice` in the caller's transaction. */
export async function markInvoiceIn(trx: Transaction<Database>, ctx: EngineContext, merchantId: string, id: string, mark: 'complete' | 'invalid'): Promise<Invoice> {
  const current = await trx.selectFrom('invoices').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
  if (!current) throw notFound('invoice', `Invoice ${id} not found`);
  const outcome = command(current, { type: mark === 'complete' ? 'markComplete' : 'markInvalid' });
  if (outcome === 'refused') throw conflict('invoice', 'mark-refused', `Invoice ${id} is ${current.status} and cannot be marked ${mark}`);
  const marked = await trx
    .updateTable('invoices')
    .set({ status: outcome.state.status, exception_status: outcome.state.exception, due_at: null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordSteps(trx, ctx, [{ invoice: marked, steps: outcome.steps, detail: { marked: mark } }], ctx.clock.now());
  return marked;
}
