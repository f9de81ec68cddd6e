import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { billTotals, type BillState, type NewBill } from '../domain/bill.js';
import { base58Text, newHexRef } from '../domain/ids.js';
import { Decimal } from '../domain/money.js';
import { conflict, EngineError, notFound } from '../errors.js';
import { findCurrency } from '../fixtures.js';
import { takeReleasedAddress, releaseAddress } from './address-pool.js';
import type { EngineContext } from './context.js';
import { cancelInvoiceIn, findInvoice, insertInvoicesIn, markInvoiceIn, newInvoiceRow, type NewInvoice } from './invoices.js';
import { getMerchant } from './merchants.js';
import type { Invoice, Merchant } from './entities.js';
import type { Bill, BillView, DraftRow } from './entities.js';
import { anyoneListensTo, publish } from './publish.js';

/** How a bill is named: its id, its number in the merchant's sequence, its serial, or its invoice's id. */
export type BillKey = { id: string } | { number: number } | { seq: number } | { invoiceId: string };

const billNotFound = (name: string) => notFound('invoice', `Invoice ${name} not found`);

/** The state of a bill in SQL, from the bill and its invoice (`i`), so that lists filter on it. */
const STATE_SQL = sql<BillState>`CASE
  WHEN b.status = 'draft' THEN 'draft'
  WHEN b.status = 'cancelled' OR i.is_cancelled OR i.status = 'declined' THEN 'cancelled'
  WHEN i.status = 'new' AND i.amount_paid_sats = 0 THEN 'open'
  WHEN i.status = 'new' THEN 'partlyPaid'
  ELSE i.status END`;

function billsWithInvoices(db: Db) {
  return db
    .selectFrom('bills as b')
    .leftJoin('invoices as i', 'i.id', 'b.invoice_id')
    .selectAll('b')
    .select(STATE_SQL.as('state'));
}

async function withInvoices(db: Db, rows: (Bill & { state: BillState })[]): Promise<BillView[]> {
  const invoiceIds = rows.flatMap((row) => (row.invoice_id ? [row.invoice_id] : []));
  const invoices = invoiceIds.length === 0 ? [] : await db.selectFrom('invoices').selectAll().where('id', 'in', invoiceIds).execute();
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  return rows.map(({ state, ...bill }) => ({ bill, state, invoice: bill.invoice_id ? (byId.get(bill.invoice_id) ?? null) : null }));
}

/** Checks what the engine must know of a bill before keeping it: a currency it prices, a total that is not negative. */
export function checkedTotals(request: NewBill, currencyCode: string) {
  const currency = findCurrency(currencyCode);
  if (!currency) {
    throw new EngineError('invalid', `currency ${currencyCode} is not a supported currency`, { subject: 'bill', field: { path: 'currency', problem: 'is not a supported currency' } });
  }
  const totals = billTotals(request.lines, request.taxRate ?? '0', request.discount ?? '0', currency.decimals);
  if (totals.subtotal.minus(totals.discount).isNegative()) {
    throw new EngineError('invalid', `discount_amount ${request.discount} is more than the subtotal ${totals.subtotal.toFixed(currency.decimals)}`, {
      subject: 'bill',
      field: { path: 'discount_amount', problem: 'is more than the subtotal' },
    });
  }
  return totals;
}

/** The columns of what a bill asks for, as a new bill or an update states it. */
function describedBy(request: NewBill) {
  return {
    lines: toJson(request.lines),
    customer: toJson(request.customer),
    reference: request.reference ?? null,
    due_date: request.dueDate ?? null,
    pass_processing_fee: request.passProcessingFee === true,
  };
}

/** A new draft bill, numbered next in its merchant's sequence (drafts made at once are written together). */
export async function createBill(ctx: EngineContext, merchant: Pick<Merchant, 'id' | 'default_currency'>, dialect: string, request: NewBill): Promise<BillView> {
  const bill = await ctx.billDrafts.submit(draftRow(ctx, merchant, dialect, request));
  return { bill, state: 'draft', invoice: null };
}

/** `createBill` in the caller's transaction (`publishes`: whether a subscriber listens to bill changes). */
export async function createBillIn(trx: Transaction<Database>, ctx: EngineContext, merchant: Pick<Merchant, 'id' | 'default_currency'>, dialect: string, request: NewBill, publishes: boolean): Promise<Bill> {
  const [bill] = await insertDraftsIn(trx, ctx, [draftRow(ctx, merchant, dialect, request)], publishes);
  return bill as Bill;
}

/** The row of a new draft, after every check of the request has passed. */
function draftRow(ctx: EngineContext, merchant: Pick<Merchant, 'id' | 'default_currency'>, dialect: string, request: NewBill): DraftRow {
  const currency = request.currency ?? merchant.default_currency;
  checkedTotals(request, currency);
  return {
    id: newHexRef(ctx.random),
    merchant_id: merchant.id,
    dialect,
    status: 'draft',
    currency,
    tax_rate: new Decimal(request.taxRate ?? 0).toString(),
    discount: new Decimal(request.discount ?? 0).toString(),
    notes: request.notes ?? '',
    payment_methods: toJson(request.paymentMethods),
    metadata: toJson(request.metadata),
    payment_link_id: request.paymentLinkId ?? null,
    redirect_url: request.redirectUrl ?? null,
    invoice_id: null,
    created_at: ctx.clock.now(),
    issued_at: null,
    cancelled_at: null,
    wire_received_at: null,
    ...describedBy(request),
    resource_token: base58Text(ctx.random, 44),
    facade: request.facade ?? null,
    subscription_id: request.subscriptionId ?? null,
  };
}

/** Writes new drafts: one statement, in a transaction only when their creation is published. */
export async function insertDrafts(ctx: EngineContext, rows: DraftRow[]): Promise<Bill[]> {
  if (!(await anyoneListensTo(ctx, 'bill-changed'))) return insertDraftRows(ctx.db, rows);
  return ctx.db.transaction().execute((trx) => insertDraftsIn(trx, ctx, rows, true));
}

/** Writes new drafts in the caller's transaction and publishes their creation. */
async function insertDraftsIn(trx: Transaction<Database>, ctx: EngineContext, rows: DraftRow[], publishes: boolean): Promise<Bill[]> {
  const bills = await insertDraftRows(trx, rows);
  if (publishes) await publish(trx, ctx, bills.map((bill) => ({ type: 'bill-changed' as const, bill, change: 'created' as const })), ctx.clock.now());
  return bills;
}

/**
 * Each row is numbered next in its merchant's sequence by the trigger, in the order written:
 * rows go in merchant order, so that two writers take the merchants' number locks in the same
 * order and never deadlock; a merchant's rows keep the order they came in.
 */
async function insertDraftRows(db: Db, rows: DraftRow[]): Promise<Bill[]> {
  const inMerchantOrder = [...rows].sort((a, b) => (a.merchant_id < b.merchant_id ? -1 : a.merchant_id > b.merchant_id ? 1 : 0));
  const created = await db.insertInto('bills').values(inMerchantOrder).returningAll().execute();
  const byId = new Map(created.map((bill) => [bill.id, bill]));
  return rows.map((row) => byId.get(row.id) as Bill);
}

/** The column and value a key names a bill by. */
function keyed(key: BillKey) {
  if ('id' in key) return [sql.ref('b.id'), key.id] as const;
  if ('number' in key) return [sql.ref('b.number'), key.number] as const;
  if ('seq' in key) return [sql.ref('b.seq'), key.seq] as const;
  return [sql.ref('b.invoice_id'), key.invoiceId] as const;
}

/** A bill of this merchant; `name` is how the caller named it, for the error. */
export async function getBill(db: Db, merchantId: string, key: BillKey, name: string): Promise<BillView> {
  const view = await findBillView(db, merchantId, key);
  if (!view) throw billNotFound(name);
  return view;
}

async function findBillView(db: Db, merchantId: string, key: BillKey): Promise<BillView | undefined> {
  const [column, value] = keyed(key);
  const row = await billsWithInvoices(db).where('b.merchant_id', '=', merchantId).where(column, '=', value).executeTakeFirst();
  return row && (await withInvoices(db, [row]))[0];
}

/** What a bill's view is made of; migrations/018 notifies other processes of changes to bills. */
export const BILL_READ_TABLES = ['bills', 'invoices'];

/** `getBill` from the read cache, for the reads clients repeat. */
export async function readBill(ctx: EngineContext, merchantId: string, key: BillKey, name: string): Promise<BillView> {
  const view = await ctx.caches.bills.get(JSON.stringify([merchantId, key]), () => findBillView(ctx.db, merchantId, key));
  if (!view) throw billNotFound(name);
  return view;
}

/** `listBills` from the read cache. */
export async function readBillList(ctx: EngineContext, merchantId: string, filter: BillFilter): Promise<{ bills: BillView[]; total: number }> {
  return (await ctx.caches.billLists.get(JSON.stringify([merchantId, filter]), () => listBills(ctx.db, merchantId, filter))) as { bills: BillView[]; total: number };
}

export interface BillFilter {
  /** any of these; all when absent */
  states?: BillState[];
  /** only the bills made through this dialect */
  dialect?: string;
  /** all that match when absent */
  limit?: number;
  offset: number;
}

/** A merchant's bills, newest first, with how many match in all. */
export async function listBills(db: Db, merchantId: string, filter: BillFilter): Promise<{ bills: BillView[]; total: number }> {
  let rows = billsWithInvoices(db).where('b.merchant_id', '=', merchantId);
  let count = db.selectFrom('bills as b').leftJoin('invoices as i', 'i.id', 'b.invoice_id').where('b.merchant_id', '=', merchantId);
  if (filter.states?.length) {
    rows = rows.where(STATE_SQL, 'in', filter.states);
    count = count.where(STATE_SQL, 'in', filter.states);
  }
  if (filter.dialect) {
    rows = rows.where('b.dialect', '=', filter.dialect);
    count = count.where('b.dialect', '=', filter.dialect);
  }
  const [page, counted] = await Promise.all([
    (filter.limit === undefined ? rows : rows.limit(filter.limit)).orderBy('b.seq', 'desc').offset(filter.offset).execute(),
    count.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { bills: await withInvoices(db, page), total: Number(counted.total) };
}

async function lockBill(trx: Transaction<Database>, merchantId: string, id: string): Promise<Bill> {
  const bill = await trx.selectFrom('bills').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
  if (!bill) throw billNotFound(id);
  return bill;
}

/** What an issued bill's invoice asks for: its total, described by its lines, for its customer. */
function invoiceRequestOf(ctx: EngineContext, bill: Bill): NewInvoice {
  const currency = findCurrency(bill.currency);
  const totals = billTotals(bill.lines, bill.tax_rate, bill.discount, currency?.decimals ?? 2);
  const { name, email, address1, address2, city, state, zip, country, phone } = bill.customer;
  return {
    price: totals.total.toString(),
    currency: bill.currency,
    details: {
      itemDesc: bill.lines.map((line) => line.description).join(', ').slice(0, 100),
      billId: bill.id,
      metadata: bill.metadata,
    },
    buyer: Object.fromEntries(
      Object.entries({ name, email, address1, address2, locality: city, region: state, postalCode: zip, country, phone }).filter(([, value]) => value !== undefined && value !== ''),
    ),
    buyerProvided: {},
    expiryWindowMs: ctx.config.btcQuoteDeadlineMs,
    networkCost: false,
    redirect: { ...(bill.redirect_url ? { url: bill.redirect_url } : {}), automatic: false },
    notification: { full: false, extended: false },
  };
}

/** Who an issued bill's invoice is made by: its merchant, through the credential that issued it. */
async function creatorOf(db: Db, bill: Bill, credential: string) {
  const merchant = await getMerchant(db, bill.merchant_id);
  return {
    merchantId: merchant.id,
    merchantName: merchant.name,
    transactionSpeed: merchant.transaction_speed,
    apiToken: credential,
    facade: 'merchant' as const,
    dialect: bill.dialect,
  };
}

/**
 * Issues a draft: its invoice is made now, at an address from the pool of released ones when
 * `reuseAddresses`, with the amount in bitcoin locked for the quote window. Refused unless a draft.
 */
export async function issueBill(ctx: EngineContext, merchantId: string, id: string, credential: string, options: { reuseAddresses: boolean; reissueLapsed?: boolean }): Promise<BillView> {
  await ctx.db.transaction().execute(async (trx) => {
    const bill = await lockBill(trx, merchantId, id);
    if (bill.status === 'issued' && options.reissueLapsed && bill.invoice_id !== null) {
      const current = await trx.selectFrom('invoices').select(['status', 'is_cancelled', 'amount_paid_sats']).where('id', '=', bill.invoice_id).executeTakeFirstOrThrow();
      const lapsed = current.amount_paid_sats === 0 && (current.is_cancelled || ['expired', 'invalid', 'declined'].includes(current.status));
      if (!lapsed) return;
    } else if (bill.status !== 'draft') {
      throw conflict('invoice', 'not-draft', `Invoice is not a draft: it was ${bill.status === 'issued' ? 'finalized' : 'cancelled'} already`);
    }
    const trxCtx = { ...ctx, db: trx };
    const address = async () => (options.reuseAddresses ? await takeReleasedAddress(trx) : null) ?? ctx.addresses.nextIn(trx);
    const row = await newInvoiceRow(trxCtx, await creatorOf(trx, bill, credential), invoiceRequestOf(ctx, bill), address);
    const [invoice] = await insertInvoicesIn(trx, ctx, [row]);
    await trx.updateTable('bills').set({ status: 'issued', invoice_id: (invoice as Invoice).id, issued_at: ctx.clock.now() }).where('id', '=', id).execute();
  });
  return getBill(ctx.db, merchantId, { id }, id);
}

/**
 * Cancels a draft, or an issued bill whose invoice has seen no payment (its address goes back to
 * the pool when `releaseAddress`). Anything else is refused.
 */
export async function cancelBill(ctx: EngineContext, merchantId: string, id: string, options: { releaseAddress: boolean }): Promise<BillView> {
  const publishes = await anyoneListensTo(ctx, 'bill-changed');
  await ctx.db.transaction().execute(async (trx) => {
    const bill = await lockBill(trx, merchantId, id);
    const now = ctx.clock.now();
    if (bill.status === 'cancelled') throw conflict('invoice', 'cancel-refused', 'Invoice is already cancelled');
    if (bill.invoice_id !== null) {
      const invoice = await trx.selectFrom('invoices').selectAll().where('id', '=', bill.invoice_id).forUpdate().executeTakeFirstOrThrow();
      if (invoice.is_cancelled || invoice.status !== 'new' || invoice.amount_paid_sats > 0) {
        const why = invoice.amount_paid_sats > 0 ? 'it has received a payment' : `it is ${invoice.is_cancelled ? 'cancelled' : invoice.status}`;
        throw conflict('invoice', 'cancel-refused', `Only a draft or pending invoice can be cancelled: ${why}`);
      }
      await cancelInvoiceIn(trx, ctx, invoice.id, false);
      if (options.releaseAddress) await releaseAddress(trx, invoice, now);
    }
    const cancelled = await trx.updateTable('bills').set({ status: 'cancelled', cancelled_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (bill.invoice_id === null && publishes) await publish(trx, ctx, [{ type: 'bill-changed', bill: cancelled, change: 'cancelled' }], now);
  });
  return getBill(ctx.db, merchantId, { id }, id);
}

/** The sandbox says a bank transfer paying the bill in full arrived: its invoice is marked complete. */
export async function receiveWire(ctx: EngineContext, key: BillKey): Promise<BillView> {
  const bill = await findBill(ctx.db, key);
  if (!bill && 'invoiceId' in key) await findInvoice(ctx.db, key.invoiceId);
  if (!bill) throw 'invoiceId' in key ? conflict('invoice', 'state', `Invoice ${key.invoiceId} was not made from a bill with line items; only those take wire transfers`) : billNotFound(JSON.stringify(key));
  const { id } = bill;
  if (!bill.payment_methods.includes('wire')) throw conflict('invoice', 'state', `Invoice ${id} does not accept wire transfers (payment_methods: ${bill.payment_methods.join(', ')})`);
  if (bill.invoice_id === null) throw conflict('invoice', 'state', `Invoice ${id} is a ${bill.status === 'draft' ? 'draft: finalize it first' : 'cancelled invoice'}`);
  const invoiceId = bill.invoice_id;
  await ctx.db.transaction().execute(async (trx) => {
    // The bill says the wire arrived before the invoice's change is published with it.
    await trx.updateTable('bills').set({ wire_received_at: ctx.clock.now() }).where('id', '=', id).execute();
    await markInvoiceIn(trx, ctx, bill.merchant_id, invoiceId, 'complete');
  });
  return getBill(ctx.db, bill.merchant_id, { id }, id);
}

/** Any merchant's bill, by how the sandbox names it (the sandbox sees every merchant). */
export async function findBill(db: Db, key: BillKey, merchantId?: string): Promise<Bill | undefined> {
  let query = db.selectFrom('bills as b').selectAll('b');
  if (merchantId !== undefined) query = query.where('b.merchant_id', '=', merchantId);
  const [column, value] = keyed(key);
  return query.where(column, '=', value).orderBy('b.seq').executeTakeFirst();
}

/** The bills of these invoices, as they stand in the caller's transaction, by invoice id. */
export async function billsOfInvoices(db: Db, invoiceIds: string[]): Promise<Map<string, BillView>> {
  if (invoiceIds.length === 0) return new Map();
  const views = await withInvoices(db, await billsWithInvoices(db).where('b.invoice_id', 'in', invoiceIds).execute());
  return new Map(views.map((view) => [view.bill.invoice_id as string, view]));
}

/** Every merchant's bill with this number, the default merchant's first (the sandbox names bills by number). */
export async function billsNumbered(db: Db, number: number): Promise<(Bill & { default_merchant: boolean })[]> {
  return db
    .selectFrom('bills as b')
    .innerJoin('merchants as m', 'm.id', 'b.merchant_id')
    .selectAll('b')
    .select('m.is_default as default_merchant')
    .where('b.number', '=', number)
    .orderBy('m.is_default', 'desc')
    .orderBy('b.seq')
    .limit(20)
    .execute();
}

/**
 * Replaces what a draft asks for (lines, customer, currency, number, due date…); its number in
 * the sequence, delivery and status stay. Refused once it has an invoice.
 */
export async function updateBill(ctx: EngineContext, merchantId: string, id: string, request: NewBill): Promise<BillView> {
  const currency = request.currency ?? (await getMerchant(ctx.db, merchantId)).default_currency;
  checkedTotals(request, currency);
  await ctx.db.transaction().execute(async (trx) => {
    const bill = await lockBill(trx, merchantId, id);
    if (bill.status !== 'draft') throw conflict('bill', 'state', `Bill ${id} can no longer change: it has ${bill.status === 'issued' ? 'an invoice' : 'been cancelled'}`);
    await trx
      .updateTable('bills')
      .set({ ...describedBy(request), currency, notes: request.notes ?? bill.notes, metadata: toJson(request.metadata) })
      .where('id', '=', id)
      .execute();
  });
  return getBill(ctx.db, merchantId, { id }, id);
}

/** The bill is sent to its customer (again): a cancelled one is not. */
export async function deliverBill(ctx: EngineContext, merchantId: string, id: string): Promise<BillView> {
  const delivered = await ctx.db
    .updateTable('bills')
    .set({ delivered_at: ctx.clock.now() })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .where('status', '!=', 'cancelled')
    .returning('id')
    .executeTakeFirst();
  if (!delivered) {
    const exists = await findBill(ctx.db, { id }, merchantId);
    throw exists ? conflict('bill', 'state', `Bill ${id} was cancelled`) : billNotFound(id);
  }
  return getBill(ctx.db, merchantId, { id }, id);
}

export async function findBillByResourceToken(db: Db, token: string): Promise<Bill | undefined> {
  return db.selectFrom('bills').selectAll().where('resource_token', '=', token).executeTakeFirst();
}
