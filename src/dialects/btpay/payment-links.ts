import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { EngineContext } from '../../engine/context.js';
import { createPaymentLink, deactivatePaymentLink, listPaymentLinks } from '../../engine/payment-links.js';
import { bodyOf, requestBaseUrl, type AppContext, type AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { onlyQueryParams } from '../../http/query.js';
import { validated } from '../../http/validate.js';
import { BTPAY, principalOf } from './auth.js';
import { paymentLinkRequest, type PaymentLinkBody } from './invoice-request.js';
import { presentPaymentLink } from './presenters/payment-link.js';

export function paymentLinksRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/payment-links' });
  const routes = guardedRoutes(router, auth);
  const publicUrl = (ctx: AppContext) => requestBaseUrl(ctx, engine.config.publicUrl);

  routes.get('/', async (ctx) => {
    onlyQueryParams(ctx, []);
    const links = await listPaymentLinks(engine.db, principalOf(ctx).merchant.id);
    ctx.body = { payment_links: links.map((link) => presentPaymentLink(link, publicUrl(ctx))) };
  });

  routes.post('/', async (ctx) => {
    const body = validated<PaymentLinkBody>('btpay/payment-link-create', 'request', bodyOf(ctx));
    const link = await createPaymentLink(engine, principalOf(ctx).merchant, BTPAY, paymentLinkRequest(body));
    ctx.status = 201;
    ctx.body = presentPaymentLink(link, publicUrl(ctx));
  });

  routes.delete('/:slug', async (ctx) => {
    await deactivatePaymentLink(engine, principalOf(ctx).merchant.id, ctx.params.slug as string);
    ctx.body = { ok: true };
  });

  return router;
}
