import Router from '@koa/router';
import type { EngineContext } from '../../engine/context.js';
import { findSettlementByResourceToken, getSettlement, listSettlements, settlementEntries } from '../../engine/settlements.js';
import { invalidParam } from '../../errors.js';
import type { AppContext, AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { principalOf, requireToken, requireTokenOrResource, type AuthOptions } from './auth.js';
import { presentReconciliationReport, presentSettlement } from './presenters/settlement.js';
import { optionalDateRange, queryOf } from './query.js';

interface SettlementQuery {
  startDate?: string;
  endDate?: string;
  dateStart?: string;
  dateEnd?: string;
  currency?: string;
  status?: string;
  limit?: string;
  offset?: string;
}

/** BitPay's Settlements resource (BITPAY-WIRE §3.4): merchant facade, signed; the report also takes the settlement's own token. */
export function settlementsRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const merchantOnly = requireToken(auth, ['merchant']);
  const merchantOf = (ctx: AppContext) => principalOf(ctx).merchantId;

  router.get('/settlements', merchantOnly, async (ctx) => {
    const query = validated<SettlementQuery>('requests/settlement-list', 'settlement', queryOf(ctx));
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (limit < 1 || limit > 1000) throw invalidParam('settlement', 'Invalid parameter limit: must be from 1 to 1000');
    const settlements = await listSettlements(engine.db, merchantOf(ctx), {
      ...optionalDateRange(query.startDate ?? query.dateStart, query.endDate ?? query.dateEnd, 'settlement'),
      ...(query.currency ? { currency: query.currency.toUpperCase() } : {}),
      ...(query.status ? { status: query.status } : {}),
      limit,
      offset: query.offset === undefined ? 0 : Number(query.offset),
    });
    ctx.body = { data: settlements.map(presentSettlement) };
  });

  router.get('/settlements/:id', merchantOnly, async (ctx) => {
    ctx.body = { data: presentSettlement(await getSettlement(engine.db, merchantOf(ctx), ctx.params.id as string)) };
  });

  const settlementResource = async (ctx: AppContext, token: string) => {
    const settlement = await findSettlementByResourceToken(engine.db, token);
    return settlement && settlement.id === ctx.params.id ? { merchantId: settlement.merchant_id } : null;
  };
  router.get('/settlements/:id/reconciliationReport', requireTokenOrResource(auth, ['merchant'], settlementResource), async (ctx) => {
    const settlement = await getSettlement(engine.db, merchantOf(ctx), ctx.params.id as string);
    const { entries, invoices } = await settlementEntries(engine.db, settlement);
    ctx.body = { data: presentReconciliationReport(settlement, entries, invoices) };
  });

  return router;
}
