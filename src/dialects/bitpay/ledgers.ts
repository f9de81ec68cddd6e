import Router from '@koa/router';
import type { EngineContext } from '../../engine/context.js';
import { ledgerBalances, ledgerEntries } from '../../engine/ledger.js';
import { invalidParam } from '../../errors.js';
import type { AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { findCurrency } from '../../fixtures.js';
import { principalOf, requireToken, type AuthOptions } from './auth.js';
import { presentLedgerBalance, presentLedgerEntry } from './presenters/ledger.js';
import { optionalDateRange, queryOf } from './query.js';

/** BitPay's Ledgers resource (BITPAY-WIRE §3.4): merchant facade, signed. */
export function ledgersRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const merchantOnly = requireToken(auth, ['merchant']);

  router.get('/ledgers', merchantOnly, async (ctx) => {
    ctx.body = { data: (await ledgerBalances(engine.db, principalOf(ctx).merchantId)).map(presentLedgerBalance) };
  });

  router.get('/ledgers/:currency', merchantOnly, async (ctx) => {
    const query = validated<{ startDate?: string; endDate?: string }>('requests/ledger-entries', 'request', queryOf(ctx));
    const currency = (ctx.params.currency as string).toUpperCase();
    if (!findCurrency(currency)) throw invalidParam('request', `Invalid parameter currency: ${ctx.params.currency} is not a currency`);
    const range = optionalDateRange(query.startDate, query.endDate, 'request');
    ctx.body = { data: (await ledgerEntries(engine.db, principalOf(ctx).merchantId, currency, range)).map(presentLedgerEntry) };
  });

  return router;
}
