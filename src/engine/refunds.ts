import * as bitcoin from 'bitcoinjs-lib';
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { simulatedWalletAddress } from '../chain/addresses.js';
import { base58Text } from '../domain/ids.js';
import { Decimal, satsToBtc } from '../domain/money.js';
import { ACTIVE_REFUND_STATUSES, canMove, NOTIFIED_REFUND_STATUSES, refundAmounts, type RefundStatus } from '../domain/refund.js';
import { notFound, invalidParam, missingParam, conflict } from '../errors.js';
import { findCurrency, fixtures } from '../fixtures.js';
import { newTxid } from './chain.js';
import type { EngineContext } from './context.js';
import { getInvoice, hasBuyerContact } from './invoices.js';
import { availableBalance, invoiceDetails, wasCredited, writeLedgerEntries } from './ledger.js';
import { command, recordRefundChange, recordSteps } from './lifecycle.js';
import type { Invoice } from './entities.js';
import type { Refund } from './entities.js';
import { publish } from './publish.js';

/** The create-refund request after schema validation (BITPAY-WIRE §3.2). */
export interface CreateRefundRequest {
  invoiceId: string;
  amount: number;
  currency?: string;
  preview?: boolean;
  immediate?: boolean;
  buyerPaysRefundFee?: boolean;
  reference?: string;
  guid?: string;
}

/** Invoices that can be refunded: paid and confirmed on the chain. */
const REFUNDABLE: Invoice['status'][] = ['confirmed', 'complete'];

async function lockInvoice(trx: Transaction<Database>, merchantId: string, id: string): Promise<Invoice> {
  await getInvoice(trx, merchantId, id);
  return trx.selectFrom('invoices').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

type RefundKey = { id: string } | { guid: string };

/**
 * A refund by id or guid (the newest, as guids may repeat), of this merchant or, for the
 * sandbox (merchantId null), of any; locked for the caller's transaction when `lock`.
 */
async function findRefund(db: Db, merchantId: string | null, key: RefundKey, lock = false): Promise<Refund> {
  let query = db.selectFrom('refunds').selectAll();
  if (merchantId !== null) query = query.where('merchant_id', '=', merchantId);
  query = 'id' in key ? query.where('id', '=', key.id) : query.where('guid', '=', key.guid).orderBy('seq', 'desc').limit(1);
  const refund = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!refund) throw notFound('refund', 'id' in key ? `Refund ${key.id} not found` : `Refund with guid ${key.guid} not found`);
  return refund;
}

/**
 * Tells the subscribers that the refund reached its status (or, `again`, that the merchant asked
 * to hear of it once more), when it is one merchants are notified of; stamps the notification.
 * A change (not a repeat) is first appended to the invoice's history.
 */
async function announce(db: Db, ctx: EngineContext, invoice: Invoice, refund: Refund, now: number, again = false): Promise<Refund> {
  if (!again) await recordRefundChange(db, invoice, refund, now);
  if (!NOTIFIED_REFUND_STATUSES.includes(refund.status)) return refund;
  await publish(db, ctx, [{ type: again ? 'refund-notification-requested' : 'refund-changed', invoice, refund }], now);
  return db.updateTable('refunds').set({ last_notification: now }).where('id', '=', refund.id).returningAll().executeTakeFirstOrThrow();
}

/**
 * A refund of a confirmed invoice declines the invoice (through the status table) and can no
 * longer be cancelled; a complete invoice stays complete.
 */
async function activate(trx: Transaction<Database>, ctx: EngineContext, invoice: Invoice, refund: Refund, now: number): Promise<Refund> {
  if (invoice.status === 'confirmed') {
    const declined = command(invoice, { type: 'refundDecline' });
    if (declined === 'refused') throw conflict('refund', 'refused', `Invalid invoice state for refund: the invoice is ${invoice.status}`);
    const updated = await trx
      .updateTable('invoices')
      .set({ status: declined.state.status, due_at: null, refund_address_request_pending: true })
      .where('id', '=', invoice.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordSteps(trx, ctx, [{ invoice: updated, steps: declined.steps, detail: { refund: refund.id } }], now);
    return announce(trx, ctx, updated, refund, now);
  }
  await trx.updateTable('invoices').set({ refund_address_request_pending: true }).where('id', '=', invoice.id).execute();
  return announce(trx, ctx, invoice, refund, now);
}

function activeRefundExists(error: unknown): boolean {
  return (error as { code?: string }).code === '23505' && String((error as Error).message).includes('refunds_one_active');
}

/** `POST /refunds`: a refund request (or a preview of one) for a paid invoice with buyer contact. */
export async function createRefund(ctx: EngineContext, merchantId: string, request: CreateRefundRequest): Promise<Refund> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const invoice = await lockInvoice(trx, merchantId, request.invoiceId);
      if (!REFUNDABLE.includes(invoice.status)) {
        throw conflict('refund', 'refused', `Invalid invoice state for refund: the invoice is ${invoice.status}; it must be confirmed or complete`);
      }
      if (!hasBuyerContact(invoice)) {
        throw conflict('invoice', 'contact-missing', 'Invoice is missing email or SMS: the buyer must be reachable to give a refund address');
      }
      const active = await trx.selectFrom('refunds').select('id').where('invoice_id', '=', invoice.id).where('status', 'in', ACTIVE_REFUND_STATUSES).executeTakeFirst();
      if (active) throw conflict('refund', 'active-refund-exists', `Active refund request already exists: ${active.id}`);

      const currency = request.currency ?? invoice.currency;
      if (currency !== invoice.currency && currency !== 'BTC') {
        throw invalidParam('refund', `Invalid parameter currency: refund in the invoice currency (${invoice.currency}) or BTC`);
      }
      const rate = currency === 'BTC' ? new Decimal(1) : new Decimal(invoice.rate);
      const limit = currency === 'BTC' ? new Decimal(satsToBtc(invoice.amount_paid_sats)) : new Decimal(invoice.price);
      // A refund of a confirmed invoice is always a full refund (BitPay declines the invoice).
      const amount = invoice.status === 'confirmed' ? limit : new Decimal(request.amount);
      if (amount.gt(limit)) throw invalidParam('refund', `Invalid parameter amount: at most ${limit.toString()} ${currency} can be refunded`);
      const amounts = refundAmounts(amount, rate, findCurrency(currency)?.decimals ?? 2, fixtures.bitcoin.refundNetworkFeeSats, request.buyerPaysRefundFee === true);
      if (!amounts) throw conflict('refund', 'fees-exceed-amount', 'Fees are greater than refund amount');
      // A completed invoice's price is in the ledger: the refund is paid from it, so it must be there.
      if (await wasCredited(trx, invoice.id)) {
        const needed = amount.plus(request.buyerPaysRefundFee === true ? 0 : amounts.refundFee);
        const available = await availableBalance(trx, invoice.merchant_id, currency);
        if (available.lt(needed)) {
          throw conflict('refund', 'insufficient-funds', `Insufficient funds: the ${currency} ledger has ${available.toFixed()} available, the refund needs ${needed.toFixed()}`);
        }
      }

      const now = ctx.clock.now();
      const refund = await trx
        .insertInto('refunds')
        .values({
          id: base58Text(ctx.random, 22),
          merchant_id: merchantId,
          invoice_id: invoice.id,
          resource_token: base58Text(ctx.random, 44),
          guid: request.guid ?? null,
          reference: request.reference ?? null,
          status: request.preview ? 'preview' : 'created',
          amount: amount.toString(),
          currency,
          refund_fee: String(amounts.refundFee),
          transaction_amount_sats: amounts.transactionAmountSats,
          transaction_refund_fee_sats: amounts.feeSats,
          immediate: request.immediate === true,
          buyer_pays_refund_fee: request.buyerPaysRefundFee === true,
          cancellable: invoice.status !== 'confirmed',
          type: amount.eq(limit) ? 'full' : 'partial',
          notification_url: invoice.notification_url,
          support_request: base58Text(ctx.random, 22),
          refund_email: invoice.buyer.email ?? invoice.buyer_provided.emailAddress ?? null,
          refund_address: null,
          txid: null,
          request_date: now,
          last_notification: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return refund.status === 'preview' ? refund : activate(trx, ctx, invoice, refund, now);
    });
  } catch (error) {
    if (activeRefundExists(error)) throw conflict('refund', 'active-refund-exists', 'Active refund request already exists');
    throw error;
  }
}

export function getRefund(db: Db, merchantId: string, key: RefundKey): Promise<Refund> {
  return findRefund(db, merchantId, key);
}

export async function listRefunds(db: Db, merchantId: string, invoiceId: string): Promise<Refund[]> {
  await getInvoice(db, merchantId, invoiceId);
  return db.selectFrom('refunds').selectAll().where('invoice_id', '=', invoiceId).orderBy('seq').execute();
}

export async function findRefundByResourceToken(db: Db, token: string): Promise<Refund | undefined> {
  return db.selectFrom('refunds').selectAll().where('resource_token', '=', token).executeTakeFirst();
}

/** Moves a locked refund to `to`, applying what that means for the invoice, and announces it. */
async function move(trx: Transaction<Database>, ctx: EngineContext, refund: Refund, to: RefundStatus, changes: Partial<Refund> = {}): Promise<Refund> {
  if (!canMove(refund.status, to)) {
    throw conflict('refund', 'state', `Invalid refund state: a ${refund.status} refund cannot become ${to}`);
  }
  const now = ctx.clock.now();
  const invoice = await trx.selectFrom('invoices').selectAll().where('id', '=', refund.invoice_id).forUpdate().executeTakeFirstOrThrow();
  const updated = await trx.updateTable('refunds').set({ ...changes, status: to }).where('id', '=', refund.id).returningAll().executeTakeFirstOrThrow();
  if (to === 'created') return activate(trx, ctx, invoice, updated, now);
  if (to === 'cancelled' || to === 'failure' || to === 'pending') {
    await trx.updateTable('invoices').set({ refund_address_request_pending: false }).where('id', '=', invoice.id).execute();
  }
  return announce(trx, ctx, invoice, updated, now);
}

/** `PUT /refunds/:id {status: "created"}`: submits a preview. */
export async function updateRefund(ctx: EngineContext, merchantId: string, key: RefundKey, status: unknown): Promise<Refund> {
  if (status === undefined) throw missingParam('refund', 'Missing required parameter: status');
  if (status !== 'created') throw invalidParam('refund', 'Invalid parameter status: only "created" (to submit a preview) can be set');
  try {
    return await ctx.db.transaction().execute(async (trx) => move(trx, ctx, await findRefund(trx, merchantId, key, true), 'created'));
  } catch (error) {
    if (activeRefundExists(error)) throw conflict('refund', 'active-refund-exists', 'Active refund request already exists');
    throw error;
  }
}

/** `DELETE /refunds/:id`: a preview, or a created or pending refund of a complete invoice. */
export async function cancelRefund(ctx: EngineContext, merchantId: string, key: RefundKey): Promise<Refund> {
  return ctx.db.transaction().execute(async (trx) => {
    const refund = await findRefund(trx, merchantId, key, true);
    if (!refund.cancellable && refund.status !== 'preview') {
      throw conflict('refund', 'refused', 'Refund cannot be cancelled: it declined a confirmed invoice');
    }
    return move(trx, ctx, refund, 'cancelled');
  });
}

/** Whom a refund's notification is e-mailed to where its invoice has no notificationURL: the buyer. */
export function refundContactEmail(invoice: Invoice, refund: Refund): string | null {
  return refund.refund_email ?? invoice.buyer.email ?? invoice.buyer_provided.emailAddress ?? null;
}

/** `POST /refunds/:id/notifications`: the refund webhook of its current status, again. */
export async function resendRefundWebhook(ctx: EngineContext, merchantId: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const refund = await findRefund(trx, merchantId, { id }, true);
    const invoice = await getInvoice(trx, merchantId, refund.invoice_id);
    if (!NOTIFIED_REFUND_STATUSES.includes(refund.status)) throw conflict('refund', 'state', `A ${refund.status} refund sends no webhook`);
    if (!invoice.notification_url && !refundContactEmail(invoice, refund)) {
      throw conflict('refund', 'state', `Invoice ${invoice.id} has no notificationURL, and the refund no e-mail, to send a notification to`);
    }
    await announce(trx, ctx, invoice, refund, ctx.clock.now(), true);
  });
}

const NETWORKS = { testnet: bitcoin.networks.testnet, regtest: bitcoin.networks.regtest };

/** Sandbox: the buyer gives a refund address (→ pending). */
export async function supplyRefundAddress(ctx: EngineContext, refundId: string, address?: unknown): Promise<Refund> {
  let chosen: string;
  if (address === undefined || address === null || address === '') chosen = simulatedWalletAddress(ctx.random, ctx.config.btcNetwork);
  else if (typeof address !== 'string') throw invalidParam('refund', 'address must be a string');
  else {
    try {
      bitcoin.address.toOutputScript(address, NETWORKS[ctx.config.btcNetwork]);
    } catch {
      throw invalidParam('refund', `Invalid parameter address: not a ${ctx.config.btcNetwork} bitcoin address`);
    }
    chosen = address;
  }
  return ctx.db.transaction().execute(async (trx) => {
    const refund = await findRefund(trx, null, { id: refundId }, true);
    const updated = await move(trx, ctx, refund, 'pending', { refund_address: chosen });
    const date = new Date(ctx.clock.now()).toISOString();
    const entry = { [chosen]: { type: 'buyerSupplied', date, ...(refund.refund_email ? { email: refund.refund_email } : {}) } };
    const invoice = await trx.selectFrom('invoices').select('refund_addresses').where('id', '=', refund.invoice_id).executeTakeFirstOrThrow();
    await trx.updateTable('invoices').set({ refund_addresses: toJson([...invoice.refund_addresses, entry]) }).where('id', '=', refund.invoice_id).execute();
    return updated;
  });
}

/**
 * Sandbox: the refund is sent (→ success): an outgoing transaction to the refund address, the
 * invoice's refundInfo, refund_success and (extended notifications) invoice_refundComplete.
 */
export async function completeRefund(ctx: EngineContext, refundId: string): Promise<Refund> {
  return ctx.db.transaction().execute(async (trx) => {
    const refund = await findRefund(trx, null, { id: refundId }, true);
    if (refund.status !== 'pending') throw conflict('refund', 'state', `A ${refund.status} refund cannot be completed; it needs a refund address first`);
    const txid = newTxid(ctx);
    const now = ctx.clock.now();
    await trx
      .insertInto('chain_transactions')
      .values({
        txid,
        invoice_id: null,
        refund_id: refund.id,
        address: refund.refund_address as string,
        output_index: 0,
        amount_sats: refund.transaction_amount_sats,
        fee_sats: refund.transaction_refund_fee_sats,
        rbf: false,
        received_at: now,
        block_height: null,
        double_spent_at: null,
      })
      .execute();
    const done = await move(trx, ctx, refund, 'success', { txid });
    const refundInfo = {
      supportRequest: refund.support_request,
      currency: refund.currency,
      amounts: { [refund.currency]: Number(refund.amount), BTC: new Decimal(satsToBtc(refund.transaction_amount_sats)).toNumber() },
    };
    const invoice = await trx.updateTable('invoices').set({ refund_info: toJson(refundInfo) }).where('id', '=', refund.invoice_id).returningAll().executeTakeFirstOrThrow();
    if (await wasCredited(trx, invoice.id)) await debitRefund(trx, ctx, invoice, done, now);
    await publish(trx, ctx, [{ type: 'invoice-refunded', invoice, refund: done }], now);
    return done;
  });
}

/**
 * A refund sent of an invoice the ledger was credited with is debited from the ledger of its
 * currency, and its fee too when the merchant pays it (not `buyerPaysRefundFee`). A confirmed
 * invoice's refund declines it before it completes: its money never reached the ledger.
 */
async function debitRefund(trx: Db, ctx: EngineContext, invoice: Invoice, refund: Refund, at: number): Promise<void> {
  const about = { merchantId: refund.merchant_id, currency: refund.currency, invoiceId: invoice.id, refundId: refund.id, details: { ...invoiceDetails(invoice), supportRequest: refund.support_request } };
  const fee = new Decimal(refund.refund_fee);
  await writeLedgerEntries(trx, ctx, [
    { ...about, kind: 'refund', amount: new Decimal(refund.amount).neg() },
    ...(refund.buyer_pays_refund_fee || fee.isZero() ? [] : [{ ...about, kind: 'refund-fee' as const, amount: fee.neg() }]),
  ], at);
}

/** Sandbox: the refund could not be sent (→ failure). */
export async function failRefund(ctx: EngineContext, refundId: string): Promise<Refund> {
  return ctx.db.transaction().execute(async (trx) => move(trx, ctx, await findRefund(trx, null, { id: refundId }, true), 'failure'));
}
