import type { Scheduler } from '../scheduler/scheduler.js';
import { chainViewOf, ensureGenesis, lockChain, mineBlocks } from '../engine/chain.js';
import type { EngineContext } from '../engine/context.js';
import { findInvoice, getInvoice, invoiceEvents } from '../engine/invoices.js';
import { receiveWire } from '../engine/bills.js';
import type { Decimal } from '../domain/money.js';
import { acceptRecipientInvite } from '../engine/payout-recipients.js';
import { depositToLedger, failPayout, processPayoutsNow } from '../engine/payouts.js';
import { settleMerchant } from '../engine/settlements.js';
import { ensureDefaultMerchant } from '../engine/merchants.js';
import { blocksToReach, doubleSpend, expireInvoice, payInvoice, type PaymentRequest } from '../engine/payments.js';
import { seedRates } from '../engine/rates.js';
import { conflict } from '../errors.js';
import { completeRefund, failRefund, supplyRefundAddress } from '../engine/refunds.js';
import { attemptsOf, listDeliveries, redeliver } from '../webhooks/outbox.js';
import type { Block, Invoice } from '../engine/entities.js';

/**
 * The sandbox controls (HTTP, CLI, dashboard and the programmatic API all use these). Each one
 * returns after the scheduler has applied what it caused, so callers see the result at once.
 */
export function createSandbox(ctx: EngineContext, scheduler: Scheduler, webhooks: { wake(): void }) {
  const thenTick = async <T>(result: T): Promise<T> => {
    await scheduler.tick();
    webhooks.wake();
    return result;
  };

  return {
    pay: (invoiceId: string, request: PaymentRequest = {}) => payInvoice(ctx, invoiceId, request).then(thenTick),
    expire: (invoiceId: string, afterMs = 0) => expireInvoice(ctx, invoiceId, afterMs).then(thenTick),
    doubleSpend: (txid: string) => doubleSpend(ctx, txid).then(thenTick),
    mine: (count = 1): Promise<Block[]> => mineBlocks(ctx, count).then(thenTick),
    advanceClock: (ms: number) => ctx.clock.advance(ms).then(thenTick),
    setClock: (ms: number) => ctx.clock.set(ms).then(thenTick),
    tick: () => scheduler.tick(),
    refundAddress: (refundId: string, address?: unknown) => supplyRefundAddress(ctx, refundId, address).then(thenTick),
    completeRefund: (refundId: string) => completeRefund(ctx, refundId).then(thenTick),
    failRefund: (refundId: string) => failRefund(ctx, refundId).then(thenTick),
    /** The payout recipient accepts its invite: unverified, verified, active. */
    acceptRecipient: (recipientId: string) => acceptRecipientInvite(ctx, recipientId).then(thenTick),
    /** The payout fails; what funding took from the ledger goes back. */
    failPayout: (payoutId: string, reason?: string) => failPayout(ctx, payoutId, reason).then(thenTick),
    /** Money arrives in a merchant's ledger; payouts waiting for it are funded at the next cut-off. */
    deposit: (merchantId: string, currency: string, amount: Decimal) => depositToLedger(ctx, merchantId, currency, amount).then(thenTick),
    /** The payout cut-off comes now (for one merchant, or all): new payouts the ledgers can fund are funded and sent. */
    processPayouts: (merchantId: string | null) => processPayoutsNow(ctx, merchantId).then(thenTick),
    /** Settles the merchant's ledgers now. */
    settle: (merchantId: string) => settleMerchant(ctx, merchantId).then(thenTick),
    /** A bank transfer paying the invoice's bill in full arrived. */
    receiveWire: (invoiceId: string) => receiveWire(ctx, { invoiceId }).then((view) => thenTick(view.invoice as Invoice)),

    /** An invoice of any merchant with what the sandbox shows about it. */
    async invoiceDetails(invoiceId: string) {
      const invoice = await findInvoice(ctx.db, invoiceId);
      const [events, chain, refunds] = await Promise.all([
        invoiceEvents(ctx.db, invoiceId),
        chainViewOf(ctx.db, [invoiceId]),
        ctx.db.selectFrom('refunds').selectAll().where('invoice_id', '=', invoiceId).orderBy('seq').execute(),
      ]);
      return { invoice, events, chain, refunds };
    },

    /**
     * BitPay's test-environment `PUT /invoices/pay/:id`: pays what is due through the simulated
     * wallet, then mines the blocks the invoice's speed needs to reach `status`.
     */
    async payToStatus(merchantId: string, invoiceId: string, status: 'confirmed' | 'complete'): Promise<Invoice> {
      let invoice = await getInvoice(ctx.db, merchantId, invoiceId);
      if (invoice.status === 'new') {
        invoice = (await payInvoice(ctx, invoiceId)).invoice;
      } else if (!['paid', 'confirmed', 'complete'].includes(invoice.status)) {
        throw conflict('invoice', 'state', `Invalid invoice state: invoice ${invoiceId} is ${invoice.status}`);
      }
      const blocks = await blocksToReach(ctx, invoice, status);
      if (blocks > 0) await mineBlocks(ctx, blocks);
      await thenTick(null);
      return getInvoice(ctx.db, merchantId, invoiceId);
    },

    /** The delivery log, newest first; an unknown invoice is refused rather than showing nothing. */
    async webhookLog(filter: { invoiceId?: string; limit?: number } = {}) {
      if (filter.invoiceId !== undefined) await findInvoice(ctx.db, filter.invoiceId);
      const deliveries = await listDeliveries(ctx.db, { invoiceId: filter.invoiceId, limit: filter.limit ?? 200 });
      return { deliveries, attempts: await attemptsOf(ctx.db, deliveries.map((d) => d.id)) };
    },

    async redeliver(deliveryId: string) {
      const delivery = await redeliver(ctx, deliveryId);
      webhooks.wake();
      return delivery;
    },

    /**
     * Wipes invoices, the chain and (unless kept) merchants, tokens, API keys and webhook subscriptions; keeps the configuration
     * and the clock. The default merchant, rates and genesis block are put back in the same
     * transaction, so no request ever sees a database without them.
     */
    async reset(options: { keepTokens?: boolean } = {}): Promise<void> {
      await ctx.db.transaction().execute(async (trx) => {
        await lockChain(trx);
        await trx.deleteFrom('webhook_attempts').execute();
        await trx.deleteFrom('webhook_deliveries').execute();
        await trx.deleteFrom('invoice_events').execute();
        await trx.deleteFrom('ledger_entries').execute();
        await trx.deleteFrom('settlements').execute();
        await trx.deleteFrom('payouts').execute();
        await trx.deleteFrom('payout_recipients').execute();
        await trx.deleteFrom('bills').execute();
        await trx.deleteFrom('bill_numbers').execute();
        await trx.deleteFrom('subscriptions').execute();
        await trx.deleteFrom('payment_links').execute();
        await trx.deleteFrom('released_addresses').execute();
        await trx.deleteFrom('chain_transactions').execute();
        await trx.deleteFrom('invoices').execute();
        await trx.deleteFrom('blocks').execute();
        await trx.deleteFrom('rates').execute();
        if (!options.keepTokens) {
          await trx.deleteFrom('tokens').execute();
          await trx.deleteFrom('api_keys').execute();
          await trx.deleteFrom('webhook_subscriptions').execute();
          await trx.deleteFrom('merchants').execute();
        }
        const inTransaction = { ...ctx, db: trx };
        await ensureDefaultMerchant(inTransaction);
        await seedRates(inTransaction);
        await ensureGenesis(inTransaction);
      });
    },
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;
