import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { statusForConfirmations } from '../domain/lifecycle.js';
import { btcToSats, percentOfSats } from '../domain/money.js';
import { notFound, invalidParam, conflict } from '../errors.js';
import { chainViewOf, confirmations, newTxid } from './chain.js';
import type { EngineContext } from './context.js';
import { reconcile } from './lifecycle.js';
import type { ChainTransaction, Invoice } from './entities.js';
import { publish } from './publish.js';

/** A typical one-input segwit payment, for the simulated fee. */
const PAYMENT_VBYTES = 141;

export interface PaymentRequest {
  /** BTC, as a number or decimal string. */
  amount?: unknown;
  /** Percent of the invoice total (50 underpays by half, 110 overpays by 10 %). */
  percent?: unknown;
  rbf?: unknown;
}

async function lockInvoice(trx: Transaction<Database>, id: string): Promise<Invoice> {
  const invoice = await trx.selectFrom('invoices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!invoice) throw notFound('invoice', `Invoice ${id} not found`);
  return invoice;
}

/** Payments reach invoices that are open: new, paid, confirmed, or expired (a late payment). */
function refusePaymentTo(invoice: Invoice): void {
  if (invoice.is_cancelled) throw conflict('invoice', 'state', `Invoice ${invoice.id} was cancelled; it takes no payments`);
  if (!['new', 'paid', 'confirmed', 'expired'].includes(invoice.status)) {
    throw conflict('invoice', 'state', `Invoice ${invoice.id} is ${invoice.status}; it takes no payments`);
  }
}

function amountToPay(invoice: Invoice, request: PaymentRequest): number {
  const total = invoice.subtotal_sats + invoice.miner_fee_sats;
  if (request.amount !== undefined && request.percent !== undefined) {
    throw invalidParam('invoice', 'Give amount or percent, not both');
  }
  if (request.amount !== undefined) {
    const sats = btcToSats(request.amount);
    if (sats === null) throw invalidParam('invoice', 'amount must be a positive BTC amount with at most 8 decimals, e.g. "0.0001"');
    return sats;
  }
  if (request.percent !== undefined) {
    const percent = request.percent;
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent > 10_000) {
      throw invalidParam('invoice', 'percent must be a number above 0 and at most 10000');
    }
    return percentOfSats(total, percent);
  }
  const due = total - invoice.amount_paid_sats;
  if (due <= 0) throw conflict('invoice', 'state', `Invoice ${invoice.id} is paid in full; give an amount to pay more`);
  return due;
}

/**
 * A simulated wallet pays the invoice: a transaction to its address enters the mempool and the
 * invoice is reconciled in the same database transaction.
 */
export async function payInvoice(ctx: EngineContext, invoiceId: string, request: PaymentRequest = {}): Promise<{ transaction: ChainTransaction; invoice: Invoice }> {
  if (request.rbf !== undefined && typeof request.rbf !== 'boolean') throw invalidParam('invoice', 'rbf must be true or false');
  return ctx.db.transaction().execute(async (trx) => {
    const invoice = await lockInvoice(trx, invoiceId);
    refusePaymentTo(invoice);
    const amount = amountToPay(invoice, request);
    const transaction = await trx
      .insertInto('chain_transactions')
      .values({
        txid: newTxid(ctx),
        invoice_id: invoice.id,
        address: invoice.address,
        output_index: 0,
        amount_sats: amount,
        fee_sats: invoice.sats_per_byte * PAYMENT_VBYTES,
        rbf: request.rbf === true,
        received_at: ctx.clock.now(),
        block_height: null,
        double_spent_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const late = transaction.received_at > invoice.expiration_time;
    await publish(trx, ctx, [{ type: 'payment-received', invoice, payment: transaction, late }], transaction.received_at);
    const [reconciled] = await reconcile(trx, ctx, [invoice]);
    return { transaction, invoice: (reconciled as { invoice: Invoice }).invoice };
  });
}

/** `POST /sandbox/invoices/:id/expire`: closes the acceptance window of a new invoice now, or `afterMs` from now. */
export async function expireInvoice(ctx: EngineContext, invoiceId: string, afterMs = 0): Promise<Invoice> {
  return ctx.db.transaction().execute(async (trx) => {
    const invoice = await lockInvoice(trx, invoiceId);
    if (invoice.status !== 'new') throw conflict('invoice', 'state', `Invoice ${invoice.id} is ${invoice.status}; only a new invoice can expire`);
    const expirationTime = ctx.clock.now() + (afterMs > 0 ? afterMs : -1);
    await trx.updateTable('invoices').set({ expiration_time: expirationTime }).where('id', '=', invoice.id).execute();
    const [reconciled] = await reconcile(trx, ctx, [{ ...invoice, expiration_time: expirationTime }]);
    return (reconciled as { invoice: Invoice }).invoice;
  });
}

/** `POST /sandbox/transactions/:txid/double-spend`: an unconfirmed payment disappears. */
export async function doubleSpend(ctx: EngineContext, txid: string): Promise<{ transaction: ChainTransaction; invoice: Invoice | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    const tx = await trx.selectFrom('chain_transactions').selectAll().where('txid', '=', txid).forUpdate().executeTakeFirst();
    if (!tx) throw notFound('request', `Transaction ${txid} not found`);
    if (tx.double_spent_at !== null) throw conflict('request', 'state', `Transaction ${txid} was already double-spent`);
    if (tx.block_height !== null) {
      throw conflict('request', 'state', `Transaction ${txid} is confirmed in block ${tx.block_height}; only a mempool transaction can be double-spent`);
    }
    const transaction = await trx
      .updateTable('chain_transactions')
      .set({ double_spent_at: ctx.clock.now() })
      .where('txid', '=', txid)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (tx.invoice_id === null) return { transaction, invoice: null };
    const [reconciled] = await reconcile(trx, ctx, [await lockInvoice(trx, tx.invoice_id)]);
    return { transaction, invoice: (reconciled as { invoice: Invoice }).invoice };
  });
}

/**
 * How many blocks `PUT /invoices/pay/:id {status}` must mine so the invoice reaches `status`
 * (or the next status its speed visits: low speed skips confirmed).
 */
export async function blocksToReach(ctx: EngineContext, invoice: Invoice, status: 'confirmed' | 'complete'): Promise<number> {
  const chain = await chainViewOf(ctx.db, [invoice.id]);
  const counted = (chain.transactions.get(invoice.id) ?? []).filter((t) => t.double_spent_at === null);
  const current = Math.min(...counted.map((t) => confirmations(t, chain.tipHeight)));
  const policy = { speed: invoice.transaction_speed, rbf: counted.some((t) => t.rbf) };
  const rank = { paid: 0, confirmed: 1, complete: 2 } as const;
  for (let needed = 0; needed <= 6; needed++) {
    if (rank[statusForConfirmations(policy, needed)] >= rank[status]) return Math.max(0, needed - current);
  }
  return Math.max(0, 6 - current);
}
