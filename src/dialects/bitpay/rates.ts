import Router from '@koa/router';
import { crossRate } from '../../domain/money.js';
import type { EngineContext } from '../../engine/context.js';
import { currentRates } from '../../engine/rates.js';
import { notFound } from '../../errors.js';
import { findCurrency, fixtures } from '../../fixtures.js';
import type { AppState } from '../../http/context.js';
import type { BtcRates } from '../../engine/entities.js';

/** Rate decimals: at least cents, at most satoshi-like precision. */
function rateDecimals(code: string): number {
  return Math.min(8, Math.max(2, findCurrency(code)?.decimals ?? 2));
}

function rateOf(rates: BtcRates, base: string, quote: string) {
  const basePerBtc = rates.get(base);
  const quotePerBtc = rates.get(quote);
  if (!basePerBtc || !findCurrency(base)) throw notFound('request', `Unknown currency: ${base}`);
  if (!quotePerBtc || !findCurrency(quote)) throw notFound('request', `Unknown currency: ${quote}`);
  return { code: quote, name: findCurrency(quote)?.name, rate: crossRate(basePerBtc, quotePerBtc, rateDecimals(quote)) };
}

/** The public resources: rates, currencies and supported wallets (no token, never signed). */
export function publicRoutes(engine: EngineContext): Router<AppState> {
  const router = new Router<AppState>();

  const allRates = async (base: string) => {
    const rates = await currentRates(engine);
    return fixtures.currencies.filter((c) => rates.has(c.code)).map((c) => rateOf(rates, base, c.code));
  };

  router.get('/rates', async (ctx) => {
    ctx.body = { data: await allRates('BTC') };
  });

  router.get('/rates/:base', async (ctx) => {
    ctx.body = { data: await allRates((ctx.params.base as string).toUpperCase()) };
  });

  router.get('/rates/:base/:quote', async (ctx) => {
    const rates = await currentRates(engine);
    ctx.body = { data: rateOf(rates, (ctx.params.base as string).toUpperCase(), (ctx.params.quote as string).toUpperCase()) };
  });

  router.get('/currencies', (ctx) => {
    ctx.body = { data: fixtures.currencies };
  });

  // Node calls supportedwallets, PHP and Python supportedWallets/: routes match any case and a trailing slash.
  router.get('/supportedWallets', (ctx) => {
    ctx.body = { data: fixtures.supportedWallets };
  });

  return router;
}
