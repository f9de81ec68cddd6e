import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import type { InvoicesTable } from '../db/tables/invoices.js';
import { base58Text } from '../domain/ids.js';
import {
  DEFAULT_ACCEPTANCE_WINDOW_MS,
  normalizeBuyer,
  SMS_NUMBER,
  type BuyerProvided,
  type InvoiceDetails,
  type InvoiceStatus,
  type ItemizedDetail,
  type TransactionSpeed,
} from '../domain/invoice.js';
import { invoiceAmounts, MAX_INVOICE_SATS, priceToSats, Decimal } from '../domain/money.js';
import { notFound, invalidParam, missingParam, conflict } from '../errors.js';
import { findCurrency, fixtures } from '../fixtures.js';
import { chainViewOf, type ChainView } from './chain.js';
import type { EngineContext } from './context.js';
import { command, recordSteps } from './lifecycle.js';
import { publish } from './events.js';
import { currentRateSheet } from './rates.js';

export type Invoice = Selectable<InvoicesTable>;

/** The create-invoice request after schema validation (BITPAY-WIRE §4.1). */
export interface CreateInvoiceRequest {
  price: number;
  currency: string;
  orderId?: string;
  itemDesc?: string;
  itemCode?: string;
  posData?: string;
  guid?: string;
  notificationEmail?: string;
  notificationURL?: string;
  redirectURL?: string;
  closeURL?: string;
  autoRedirect?: boolean;
  transactionSpeed?: TransactionSpeed;
  fullNotifications?: boolean;
  extendedNotifications?: boolean;
  physical?: boolean;
  buyerSms?: string;
  paymentCurrencies?: string[];
  jsonPayProRequired?: boolean;
  bitpayIdRequired?: boolean;
  acceptanceWindow?: number;
  merchantName?: string;
  forcedBuyerSelectedWallet?: string;
  forcedBuyerSelectedTransactionCurrency?: string;
  selectedTransactionCurrency?: string;
  buyerProvidedInfo?: { emailAddress?: string; selectedWallet?: string; selectedTransactionCurrency?: string };
  itemizedDetails?: ItemizedDetail[];
  billId?: string;
  [legacyBuyerField: string]: unknown;
}

/** Who creates the invoice: the merchant, through a pos or merchant token. */
export interface InvoiceCreator {
  merchantId: string;
  merchantName: string;
  /** The merchant's default transactionSpeed. */
  transactionSpeed: TransactionSpeed;
  apiToken: string;
  facade: 'pos' | 'merchant';
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

/** Checks that need the currency catalogue and the current rates; returns the locked rates. */
async function priceInBitcoin(ctx: EngineContext, request: CreateInvoiceRequest) {
  const currency = findCurrency(request.currency);
  const rates = await currentRateSheet(ctx);
  const rate = rates.perBtc.get(request.currency);
  if (!currency || !rate) {
    throw invalidParam('invoice', `Invalid currency: ${request.currency} is not a supported currency (see GET /currencies)`);
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

/** `POST /invoices`: a new invoice with its own address, amounts locked at the current rate. */
export async function createInvoice(ctx: EngineContext, creator: InvoiceCreator, request: CreateInvoiceRequest): Promise<Invoice> {
  if (request.autoRedirect && !request.redirectURL) {
    throw missingParam('invoice', 'Missing required parameter: redirectURL (required when autoRedirect is true)');
  }
  if (ctx.config.webhookHttpsOnly && request.notificationURL?.startsWith('http://')) {
    throw invalidParam('invoice', 'Invalid parameter notificationURL: must be an https:// URL (WEBHOOK_HTTPS_ONLY is on, as on BitPay)');
  }
  if (request.paymentCurrencies && !request.paymentCurrencies.includes('BTC')) {
    throw invalidParam('invoice', 'Invalid parameter paymentCurrencies: the emulator takes bitcoin payments only, so it must include BTC');
  }
  const { rate, lockedRatesJson } = await priceInBitcoin(ctx, request);
  const { satoshisPerByte, sweepTransactionBytes } = fixtures.bitcoin;
  const amounts = invoiceAmounts(request.price, rate, satoshisPerByte * sweepTransactionBytes);

  const buyer = normalizeBuyer(request);
  const buyerProvided: BuyerProvided = {
    ...pick(request.buyerProvidedInfo ?? {}, ['emailAddress', 'selectedWallet', 'selectedTransactionCurrency']),
  };
  if (buyer.name) buyerProvided.name = buyer.name;
  if (buyer.phone) buyerProvided.phoneNumber = buyer.phone;
  if (buyer.email && !buyerProvided.emailAddress) buyerProvided.emailAddress = buyer.email;
  if (request.buyerSms) Object.assign(buyerProvided, { sms: request.buyerSms, smsVerified: false });
  const selected = request.forcedBuyerSelectedTransactionCurrency ?? request.selectedTransactionCurrency;
  if (selected && !buyerProvided.selectedTransactionCurrency) buyerProvided.selectedTransactionCurrency = selected;
  if (request.forcedBuyerSelectedWallet && !buyerProvided.selectedWallet) {
    buyerProvided.selectedWallet = request.forcedBuyerSelectedWallet;
  }

  const details: InvoiceDetails = pick(request, [
    'itemDesc',
    'itemCode',
    'posData',
    'notificationEmail',
    'physical',
    'merchantName',
    'itemizedDetails',
    'jsonPayProRequired',
    'bitpayIdRequired',
    'forcedBuyerSelectedWallet',
    'forcedBuyerSelectedTransactionCurrency',
    'paymentCurrencies',
    'acceptanceWindow',
    'billId',
  ]);
  if (!details.merchantName) details.merchantName = creator.merchantName;

  const now = ctx.clock.now();
  const window = request.acceptanceWindow || DEFAULT_ACCEPTANCE_WINDOW_MS;
  const extended = request.extendedNotifications === true;

  const { index, address } = await ctx.addresses.next();
  const row: Insertable<InvoicesTable> = {
    id: base58Text(ctx.random, 22),
    merchant_id: creator.merchantId,
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
    address,
    derivation_index: index,
    transaction_speed: request.transactionSpeed ?? creator.transactionSpeed,
    full_notifications: extended || request.fullNotifications !== false,
    extended_notifications: extended,
    notification_url: request.notificationURL ?? null,
    redirect_url: request.redirectURL ?? null,
    close_url: request.closeURL ?? null,
    auto_redirect: request.autoRedirect === true,
    buyer: toJson(buyer),
    buyer_provided: toJson(buyerProvided),
    details: toJson(details),
    invoice_time: now,
    expiration_time: now + window,
    due_at: now + window + 1,
  };
  return ctx.invoiceInserts.submit(row);
}

/**
 * Writes new invoices and their first events in one statement: atomic without a transaction's
 * round trips. Answers the stored rows in the order given.
 */
export async function insertInvoices(db: Db, rows: Insertable<InvoicesTable>[]): Promise<Invoice[]> {
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

export interface InvoiceWithChain {
  invoice: Invoice;
  chain: ChainView;
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
  status?: InvoiceStatus;
  orderId?: string;
  limit: number;
  offset: number;
}

/** `GET /invoices` (one merchant's), or the dashboard's list (every merchant's): newest first. */
export async function listInvoices(db: Db, merchantId: string | null, filter: InvoiceFilter): Promise<Invoice[]> {
  let query = db.selectFrom('invoices').selectAll();
  if (merchantId !== null) query = query.where('merchant_id', '=', merchantId);
  if (filter.from !== undefined) query = query.where('invoice_time', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('invoice_time', '<', filter.to);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
  return query.orderBy('invoice_time', 'desc').orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export interface ContactUpdate {
  buyerEmail?: string;
  buyerSms?: string;
  smsCode?: string;
  autoVerify?: boolean;
}

/** The code "sent" by SMS: six digits, shown in the sandbox. */
function newSmsCode(ctx: EngineContext): string {
  return [...ctx.random.bytes(6)].map((byte) => byte % 10).join('');
}

/**
 * `PUT /invoices/:id`: the buyer's e-mail or SMS number, and SMS verification. `autoVerify`
 * skips verification (BitPay allows it only in its test environment, which this is).
 */
export async function updateInvoiceContact(ctx: EngineContext, merchantId: string, id: string, update: ContactUpdate): Promise<Invoice> {
  if (update.buyerEmail === undefined && update.buyerSms === undefined && update.smsCode === undefined) {
    throw missingParam('invoice', 'Missing required parameter: buyerEmail or buyerSms');
  }
  if (update.buyerEmail !== undefined && update.buyerSms !== undefined) {
    throw invalidParam('invoice', 'Invalid parameters: send buyerEmail or buyerSms, not both');
  }
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
    if (update.buyerEmail !== undefined) {
      if (provided.emailAddress || invoice.buyer.email) throw conflict('invoice', 'email-already-set', 'Email already set on invoice');
      provided.emailAddress = update.buyerEmail;
    }
    if (update.buyerSms !== undefined) {
      if (!SMS_NUMBER.test(update.buyerSms)) {
        throw invalidParam('invoice', 'Invalid SMS number: use the international format, e.g. +12223334444', 'sms-number');
      }
      provided.sms = update.buyerSms;
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
      .set({ buyer_provided: toJson(provided) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export function hasBuyerContact(invoice: Invoice): boolean {
  return Boolean(invoice.buyer.email || invoice.buyer_provided.emailAddress || invoice.buyer_provided.sms);
}

/**
 * `DELETE /invoices/:id`, by BitPay's rules: an unpaid new invoice is cancelled (→ expired); one
 * with a partial payment needs the buyer's e-mail or SMS for the refund, unless forced
 * (→ declined); anything else is refused (040107). The status table decides.
 */
export async function cancelInvoice(ctx: EngineContext, invoice: Invoice, force: boolean): Promise<Invoice> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('invoices').selectAll().where('id', '=', invoice.id).forUpdate().executeTakeFirstOrThrow();
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
  });
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
