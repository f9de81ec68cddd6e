import Router from '@koa/router';
import type { Middleware } from 'koa';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { tip } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import type { AppState } from '../../http/context.js';

/** The BTCPay Server version the emulator answers as (server info, webhooks' User-Agent). */
export const EMULATED_VERSION = '1.13.0-emulated';

/** What BTCPay Server says of itself (health needs no key); the simulated chain is always in sync. */
export function serverRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  router.get('/health', (ctx) => {
    ctx.body = { synchronized: true };
  });

  guardedRoutes(router, auth).get('/server/info', async (ctx) => {
    const { height } = await tip(engine.db);
    ctx.body = {
      version: EMULATED_VERSION,
      onion: null,
      supportedPaymentMethods: ['BTC', 'BTC-CHAIN'],
      fullySynched: true,
      syncStatus: [{ cryptoCode: 'BTC', paymentMethodId: 'BTC-CHAIN', nodeInformation: { headers: height, blocks: height, verificationProgress: 1 }, chainHeight: height, syncHeight: height, available: true }],
    };
  });

  return router;
}
