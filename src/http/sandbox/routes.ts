import Router from '@koa/router';
import { parseDuration } from '../../domain/duration.js';
import { Decimal, isPlainDecimal, satsToBtc } from '../../domain/money.js';
import { recentChain, tip } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import { listInvoices } from '../../engine/invoices.js';
import { INVOICE_STATUSES, isInvoiceStatus } from '../../domain/invoice.js';
import { listApiKeys, revokeAnyApiKey } from '../../engine/api-keys.js';
import { ledgerBalances } from '../../engine/ledger.js';
import { createMerchant, listMerchants, resolveMerchant, updateMerchant } from '../../engine/merchants.js';
import { updateRates } from '../../engine/rates.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { approvePairingCode, createPairingCode, listTokens, revokeToken } from '../../engine/tokens.js';
import { invalidParam } from '../../errors.js';
import { presentRefund } from '../../dialects/bitpay/presenters/refund.js';
import type { Dialect } from '../../dialects/dialect.js';
import { apiKeyDialect, resolveInvoiceName } from '../../dialects/registry.js';
import { bodyOf, requestBaseUrl, type AppContext, type AppState } from '../context.js';
import { guardedRoutes } from '../guarded-routes.js';
import { sandboxGuard, type SandboxKey } from './guard.js';
import { onlyQuery, queryParam, sandboxBody, wholeNumber } from './input.js';
import {
  presentSandboxApiKey,
  presentSandboxBlock,
  presentSandboxDelivery,
  presentSandboxInvoice,
  presentSandboxMerchant,
  presentSandboxToken,
  presentSandboxTransaction,
} from './presenters.js';
import type { Invoice } from '../../engine/entities.js';

function invoiceSummary(invoice: Invoice) {
  const total = invoice.subtotal_sats + invoice.miner_fee_sats;
  return {
    id: invoice.id,
    status: invoice.status,
    exceptionStatus: invoice.exception_status ?? false,
    amountPaid: invoice.amount_paid_sats,
    btcDue: satsToBtc(Math.max(0, total - invoice.amount_paid_sats)),
  };
}

function durationMs(value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null || !Number.isSafeInteger(ms) || ms < 0) {
    throw invalidParam('request', 'advance must be a duration such as "15m", "1h30m", "2d", or milliseconds');
  }
  return ms;
}

function instantMs(value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isSafeInteger(ms)) throw invalidParam('request', 'set must be milliseconds since the epoch or an ISO 8601 time');
  return ms;
}

/** The sandbox control API: not part of BitPay; the dashboard, checkout page and CLI use it. */
export function sandboxRoutes(engine: EngineContext, sandbox: Sandbox, key: SandboxKey, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/sandbox' });
  const routes = guardedRoutes(router, sandboxGuard(key));
  /** The invoice of the path, named by any dialect (`INV-0001` for seed 001's). */
  const invoiceId = async (ctx: AppContext) => resolveInvoiceName(engine, dialects, ctx.params.id as string);

  routes.get('/merchants', async (ctx) => {
    ctx.body = (await listMerchants(engine.db)).map(presentSandboxMerchant);
  });

  routes.post('/merchants', async (ctx) => {
    ctx.body = presentSandboxMerchant(await createMerchant(engine, sandboxBody(ctx, 'name')));
  });

  routes.patch('/merchants/:id', async (ctx) => {
    const { name, feePercent, recipientsAutoActive, settlementInterval, payoutInfo } = sandboxBody(ctx, 'name', 'feePercent', 'recipientsAutoActive', 'settlementInterval', 'payoutInfo');
    const interval = settlementInterval === undefined ? undefined : settlementInterval === 0 || settlementInterval === '0' ? 0 : typeof settlementInterval === 'string' ? parseDuration(settlementInterval) : null;
    if (interval === null) throw invalidParam('request', 'settlementInterval must be a duration such as "7d" or "1h", or 0 for settlements only on request');
    if (payoutInfo !== undefined && (payoutInfo === null || typeof payoutInfo !== 'object' || Array.isArray(payoutInfo))) throw invalidParam('request', 'payoutInfo must be an object of bank details, e.g. {"bank": "…", "iban": "…"}');
    if (recipientsAutoActive !== undefined && typeof recipientsAutoActive !== 'boolean') throw invalidParam('request', 'recipientsAutoActive must be true or false');
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw invalidParam('request', 'name must be a non-empty string');
    const fee = feePercent === undefined ? undefined : typeof feePercent === 'number' ? String(feePercent) : feePercent;
    if (fee !== undefined && (typeof fee !== 'string' || !isPlainDecimal(fee) || new Decimal(fee).gt(100))) {
      throw invalidParam('request', 'feePercent must be a percentage from 0 to 100, e.g. 1 or "0.5"');
    }
    const settings = {
      ...(fee === undefined ? {} : { feePercent: fee as string }),
      ...(recipientsAutoActive === undefined ? {} : { recipientsAutoActive: recipientsAutoActive as boolean }),
      ...(interval === undefined ? {} : { settlementIntervalMs: interval }),
      ...(payoutInfo === undefined ? {} : { payoutInfo: payoutInfo as Record<string, unknown> }),
    };
    ctx.body = presentSandboxMerchant(await updateMerchant(engine, ctx.params.id as string, name as string | undefined, settings));
  });

  routes.post('/ledgers/:currency/deposits', async (ctx) => {
    const { amount, merchantId } = sandboxBody(ctx, 'amount', 'merchantId');
    const text = typeof amount === 'number' ? String(amount) : amount;
    if (typeof text !== 'string' || !isPlainDecimal(text) || new Decimal(text).lte(0)) throw invalidParam('request', 'amount must be a positive decimal, e.g. 1000 or "250.50"');
    const merchant = await resolveMerchant(engine.db, merchantId);
    await sandbox.deposit(merchant.id, (ctx.params.currency as string).toUpperCase(), new Decimal(text));
    ctx.body = { merchantId: merchant.id, ledgers: await ledgerBalances(engine.db, merchant.id) };
  });

  routes.post('/payouts/process', async (ctx) => {
    const { merchantId } = sandboxBody(ctx, 'merchantId');
    const merchant = merchantId === undefined ? null : await resolveMerchant(engine.db, merchantId);
    ctx.body = { processed: await sandbox.processPayouts(merchant?.id ?? null) };
  });

  routes.post('/settlements', async (ctx) => {
    const { merchantId } = sandboxBody(ctx, 'merchantId');
    const merchant = await resolveMerchant(engine.db, merchantId);
    ctx.body = (await sandbox.settle(merchant.id)).map((s) => ({ id: s.id, currency: s.currency, status: s.status, totalAmount: new Decimal(s.total_amount).toNumber() }));
  });

  routes.post('/recipients/:id/accept', async (ctx) => {
    sandboxBody(ctx);
    const recipient = await sandbox.acceptRecipient(ctx.params.id as string);
    ctx.body = { id: recipient.id, status: recipient.status, shopperId: recipient.shopper_id };
  });

  routes.post('/payouts/:id/fail', async (ctx) => {
    const { message } = sandboxBody(ctx, 'message');
    if (message !== undefined && typeof message !== 'string') throw invalidParam('request', 'message must be a string');
    const payout = await sandbox.failPayout(ctx.params.id as string, message as string | undefined);
    ctx.body = { id: payout.id, status: payout.status, message: payout.message };
  });

  // A key of a dialect that uses API keys; the dialect decides its default permissions.
  routes.post('/api-keys', async (ctx) => {
    const { dialect, ...request } = sandboxBody(ctx, 'dialect', 'merchantId', 'permissions', 'label');
    ctx.body = await apiKeyDialect(dialects, dialect).sandboxApiKey(engine, request);
  });

  routes.get('/api-keys', async (ctx) => {
    onlyQuery(ctx, 'dialect', 'merchantId');
    ctx.body = (await listApiKeys(engine.db, { dialect: queryParam(ctx, 'dialect'), merchantId: queryParam(ctx, 'merchantId') })).map(presentSandboxApiKey);
  });

  routes.delete('/api-keys/:key', async (ctx) => {
    ctx.body = presentSandboxApiKey(await revokeAnyApiKey(engine, ctx.params.key as string));
  });

  routes.post('/pairing-codes', async (ctx) => {
    ctx.body = presentSandboxToken(await createPairingCode(engine, sandboxBody(ctx, 'facade', 'label', 'requireAuth', 'merchantId')));
  });

  routes.post('/pairing-codes/:code/approve', async (ctx) => {
    ctx.body = presentSandboxToken(await approvePairingCode(engine, ctx.params.code as string, sandboxBody(ctx, 'merchantId').merchantId));
  });

  routes.get('/tokens', async (ctx) => {
    onlyQuery(ctx, 'merchantId', 'status');
    const filter = { merchantId: queryParam(ctx, 'merchantId'), status: queryParam(ctx, 'status') };
    ctx.body = (await listTokens(engine.db, filter)).map(presentSandboxToken);
  });

  routes.delete('/tokens/:token', async (ctx) => {
    ctx.body = presentSandboxToken(await revokeToken(engine, ctx.params.token as string));
  });

  routes.put('/rates', async (ctx) => {
    const rates = await updateRates(engine, bodyOf(ctx));
    ctx.body = { BTC: Object.fromEntries([...rates].map(([code, rate]) => [code, rate.toNumber()])) };
  });

  routes.get('/invoices', async (ctx) => {
    onlyQuery(ctx, 'status', 'merchantId', 'limit');
    const status = queryParam(ctx, 'status');
    if (status !== undefined && !isInvoiceStatus(status)) throw invalidParam('request', `Invalid parameter status: must be one of ${INVOICE_STATUSES.join(', ')}`);
    const limitParam = queryParam(ctx, 'limit');
    const limit = limitParam === undefined ? 50 : wholeNumber(limitParam);
    if (limit === null || limit < 1 || limit > 1000) throw invalidParam('request', 'limit must be an integer from 1 to 1000');
    const merchantId = queryParam(ctx, 'merchantId');
    if (merchantId !== undefined) await resolveMerchant(engine.db, merchantId);
    const invoices = await listInvoices(engine.db, merchantId ?? null, { ...(status ? { statuses: [status] } : {}), limit, offset: 0 });
    ctx.body = invoices.map((invoice) => ({ ...invoiceSummary(invoice), merchantId: invoice.merchant_id, dialect: invoice.dialect, price: new Decimal(invoice.price).toNumber(), currency: invoice.currency, orderId: invoice.order_id, invoiceTime: invoice.invoice_time }));
  });

  routes.get('/invoices/:id', async (ctx) => {
    const { invoice, events, chain, refunds } = await sandbox.invoiceDetails(await invoiceId(ctx));
    ctx.body = presentSandboxInvoice(invoice, events, chain, refunds, requestBaseUrl(ctx, engine.config.publicUrl), engine.clock.now());
  });

  routes.post('/invoices/:id/payments', async (ctx) => {
    const { transaction, invoice } = await sandbox.pay(await invoiceId(ctx), sandboxBody(ctx, 'amount', 'percent', 'rbf'));
    ctx.body = { ...presentSandboxTransaction(transaction, (await tip(engine.db)).height), invoice: invoiceSummary(invoice) };
  });

  routes.post('/invoices/:id/expire', async (ctx) => {
    sandboxBody(ctx);
    ctx.body = invoiceSummary(await sandbox.expire(await invoiceId(ctx)));
  });

  routes.post('/invoices/:id/wire', async (ctx) => {
    sandboxBody(ctx);
    ctx.body = invoiceSummary(await sandbox.receiveWire(await invoiceId(ctx)));
  });

  routes.post('/transactions/:txid/double-spend', async (ctx) => {
    sandboxBody(ctx);
    const { transaction, invoice } = await sandbox.doubleSpend(ctx.params.txid as string);
    ctx.body = {
      ...presentSandboxTransaction(transaction, (await tip(engine.db)).height),
      invoice: invoice ? invoiceSummary(invoice) : null,
    };
  });

  routes.post('/refunds/:id/address', async (ctx) => {
    ctx.body = presentRefund(await sandbox.refundAddress(ctx.params.id as string, sandboxBody(ctx, 'address').address));
  });

  routes.post('/refunds/:id/complete', async (ctx) => {
    sandboxBody(ctx);
    ctx.body = presentRefund(await sandbox.completeRefund(ctx.params.id as string));
  });

  routes.post('/refunds/:id/fail', async (ctx) => {
    sandboxBody(ctx);
    ctx.body = presentRefund(await sandbox.failRefund(ctx.params.id as string));
  });

  routes.get('/blocks', async (ctx) => {
    const { blocks, mempool, tipHeight } = await recentChain(engine.db, 20);
    ctx.body = {
      height: tipHeight,
      blocks: blocks.map(presentSandboxBlock),
      mempool: mempool.map((tx) => presentSandboxTransaction(tx, tipHeight)),
    };
  });

  routes.post('/blocks', async (ctx) => {
    const { count = 1 } = sandboxBody(ctx, 'count');
    ctx.body = (await sandbox.mine(count as number)).map(presentSandboxBlock);
  });

  routes.get('/clock', (ctx) => {
    ctx.body = { mode: engine.clock.mode, now: engine.clock.now(), iso: new Date(engine.clock.now()).toISOString() };
  });

  routes.post('/clock', async (ctx) => {
    const body = sandboxBody(ctx, 'advance', 'set');
    if ((body.advance === undefined) === (body.set === undefined)) {
      throw invalidParam('request', 'Send {"advance": "15m"} or {"set": <ms or ISO time>}');
    }
    const now = body.advance !== undefined ? await sandbox.advanceClock(durationMs(body.advance)) : await sandbox.setClock(instantMs(body.set));
    ctx.body = { mode: engine.clock.mode, now, iso: new Date(now).toISOString() };
  });

  routes.get('/webhooks', async (ctx) => {
    onlyQuery(ctx, 'invoiceId', 'limit');
    const invoiceId = queryParam(ctx, 'invoiceId');
    const limitParam = queryParam(ctx, 'limit');
    const limit = limitParam === undefined ? 200 : wholeNumber(limitParam);
    if (limit === null || limit < 1 || limit > 1000) throw invalidParam('request', 'limit must be an integer from 1 to 1000');
    const { deliveries, attempts } = await sandbox.webhookLog({ invoiceId, limit });
    ctx.body = deliveries.map((d) => presentSandboxDelivery(d, attempts.get(d.id) ?? []));
  });

  routes.post('/webhooks/:id/redeliver', async (ctx) => {
    sandboxBody(ctx);
    ctx.body = presentSandboxDelivery(await sandbox.redeliver(ctx.params.id as string), []);
  });

  routes.post('/reset', async (ctx) => {
    const { keepTokens } = sandboxBody(ctx, 'keepTokens');
    if (keepTokens !== undefined && typeof keepTokens !== 'boolean') throw invalidParam('request', 'keepTokens must be true or false');
    await sandbox.reset({ keepTokens: keepTokens === true });
    ctx.body = { reset: true, keptTokens: keepTokens === true };
  });

  return router;
}
