import Router from '@koa/router';
import type { EngineContext } from '../../engine/context.js';
import { findInvoice, invoiceEvents } from '../../engine/invoices.js';
import { createMerchant, listMerchants } from '../../engine/merchants.js';
import { updateRates } from '../../engine/rates.js';
import { approvePairingCode, createPairingCode, listTokens, revokeToken } from '../../engine/tokens.js';
import { bodyOf, type AppState } from '../context.js';
import { sandboxGuard } from './guard.js';
import { presentSandboxInvoice, presentSandboxMerchant, presentSandboxToken } from './presenters.js';

/** The sandbox control API: not part of BitPay; the dashboard, checkout page and CLI use it. */
export function sandboxRoutes(engine: EngineContext, publicUrl: () => string): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/sandbox' });
  router.use(sandboxGuard(engine.config.sandboxToken));

  router.get('/merchants', async (ctx) => {
    ctx.body = (await listMerchants(engine.db)).map(presentSandboxMerchant);
  });

  router.post('/merchants', async (ctx) => {
    ctx.body = presentSandboxMerchant(await createMerchant(engine, bodyOf(ctx)));
  });

  router.post('/pairing-codes', async (ctx) => {
    ctx.body = presentSandboxToken(await createPairingCode(engine, bodyOf(ctx)));
  });

  router.post('/pairing-codes/:code/approve', async (ctx) => {
    ctx.body = presentSandboxToken(await approvePairingCode(engine, ctx.params.code as string, bodyOf(ctx).merchantId));
  });

  router.put('/rates', async (ctx) => {
    const rates = await updateRates(engine, bodyOf(ctx));
    ctx.body = { BTC: Object.fromEntries([...rates].map(([code, rate]) => [code, rate.toNumber()])) };
  });

  router.get('/invoices/:id', async (ctx) => {
    const invoice = await findInvoice(engine.db, ctx.params.id as string);
    const events = await invoiceEvents(engine.db, invoice.id);
    ctx.body = presentSandboxInvoice(invoice, events, publicUrl(), engine.clock.now());
  });

  router.get('/tokens', async (ctx) => {
    const merchantId = typeof ctx.query.merchantId === 'string' ? ctx.query.merchantId : undefined;
    const status = typeof ctx.query.status === 'string' ? ctx.query.status : undefined;
    ctx.body = (await listTokens(engine.db, { merchantId, status })).map(presentSandboxToken);
  });

  router.delete('/tokens/:token', async (ctx) => {
    ctx.body = presentSandboxToken(await revokeToken(engine.db, ctx.params.token as string));
  });

  return router;
}
