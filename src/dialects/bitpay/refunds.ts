import Router from '@koa/router';
import type { EngineContext } from '../../engine/context.js';
import {
  cancelRefund,
  createRefund,
  findRefundByResourceToken,
  getRefund,
  listRefunds,
  resendRefundWebhook,
  updateRefund,
  type CreateRefundRequest,
} from '../../engine/refunds.js';
import { missingParam } from '../../errors.js';
import { principalOf, requireToken, requireTokenOrResource, type AuthOptions } from './auth.js';
import { bodyOf, type AppContext, type AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { presentRefund } from './presenters/refund.js';
import { STATUS_SUCCESS } from './presenters/success.js';

/** `:key` of /refunds/:key or /refunds/guid/:key. */
const byId = (ctx: AppContext) => ({ id: ctx.params.key as string });
const byGuid = (ctx: AppContext) => ({ guid: ctx.params.key as string });

/** BitPay's Refunds resource (BITPAY-WIRE §3.2): merchant facade, signed. Refund objects have no `facade`. */
export function refundsRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const merchantOnly = requireToken(auth, ['merchant']);
  const merchantOf = (ctx: AppContext) => principalOf(ctx).merchantId;

  router.post('/refunds', merchantOnly, async (ctx) => {
    const request = validated<CreateRefundRequest>('requests/refund-create', 'refund', bodyOf(ctx));
    ctx.body = { data: presentRefund(await createRefund(engine, merchantOf(ctx), request)) };
  });

  router.get('/refunds', merchantOnly, async (ctx) => {
    const invoiceId = ctx.query.invoiceId;
    if (typeof invoiceId !== 'string' || invoiceId === '') throw missingParam('refund', 'Missing required parameter: invoiceId');
    ctx.body = { data: (await listRefunds(engine.db, merchantOf(ctx), invoiceId)).map(presentRefund) };
  });

  for (const [path, key] of [
    ['/refunds/guid/:key', byGuid],
    ['/refunds/:key', byId],
  ] as const) {
    router.get(path, merchantOnly, async (ctx) => {
      ctx.body = { data: presentRefund(await getRefund(engine.db, merchantOf(ctx), key(ctx))) };
    });
    router.put(path, merchantOnly, async (ctx) => {
      ctx.body = { data: presentRefund(await updateRefund(engine, merchantOf(ctx), key(ctx), bodyOf(ctx).status)) };
    });
    router.delete(path, merchantOnly, async (ctx) => {
      ctx.body = { data: presentRefund(await cancelRefund(engine, merchantOf(ctx), key(ctx))) };
    });
  }

  const refundResource = async (ctx: AppContext, token: string) => {
    const refund = await findRefundByResourceToken(engine.db, token);
    return refund && refund.id === ctx.params.key ? { merchantId: refund.merchant_id } : null;
  };
  router.post('/refunds/:key/notifications', requireTokenOrResource(auth, ['merchant'], refundResource), async (ctx) => {
    await resendRefundWebhook(engine, merchantOf(ctx), ctx.params.key as string);
    ctx.body = STATUS_SUCCESS;
  });

  return router;
}
