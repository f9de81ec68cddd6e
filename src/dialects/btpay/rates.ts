import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { EngineContext } from '../../engine/context.js';
import { currentRateSheet } from '../../engine/rates.js';
import type { AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { onlyQueryParams } from '../../http/query.js';
import { fixtures } from '../../fixtures.js';
import { money } from './money.js';

/** `GET /api/v1/rates`: the price of one BTC in each fiat currency of the emulator's rate sheet. */
export function ratesRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/rates' });
  guardedRoutes(router, auth).get('/', async (ctx) => {
    onlyQueryParams(ctx, []);
    const { perBtc } = await currentRateSheet(engine);
    const fiat = new Set(fixtures.currencies.filter((c) => !c.chain).map((c) => c.code));
    ctx.body = { rates: [...perBtc].filter(([code]) => fiat.has(code)).map(([currency, rate]) => ({ currency, rate: money(rate, currency) })) };
  });
  return router;
}
