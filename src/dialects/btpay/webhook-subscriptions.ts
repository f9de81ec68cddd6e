import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { EngineContext } from '../../engine/context.js';
import { createSubscription, deleteSubscription, listSubscriptions } from '../../engine/webhook-subscriptions.js';
import { invalidField, notFound } from '../../errors.js';
import { bodyOf, type AppContext, type AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { onlyQueryParams } from '../../http/query.js';
import { isHttpUrl, validated } from '../../http/validate.js';
import { BTPAY, principalOf } from './auth.js';
import type { WebhookSubscription } from '../../engine/entities.js';

interface WebhookBody {
  url: string;
  events?: string[];
  description?: string;
}

/** Seed 001's webhook: its numeric id is the subscription's serial; the secret only at creation. */
function presentWebhook(subscription: WebhookSubscription, withSecret = false) {
  return {
    id: Number(subscription.seq),
    url: subscription.url,
    ...(withSecret ? { secret: subscription.secret } : {}),
    events: subscription.events ?? ['*'],
    is_active: subscription.enabled,
    description: subscription.description ?? '',
  };
}

export function webhookSubscriptionsRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/webhooks' });
  const routes = guardedRoutes(router, auth);
  const merchantId = (ctx: AppContext) => principalOf(ctx).merchant.id;

  routes.get('/', async (ctx) => {
    onlyQueryParams(ctx, []);
    ctx.body = { webhooks: (await listSubscriptions(engine.db, BTPAY, merchantId(ctx))).map((s) => presentWebhook(s)) };
  });

  routes.post('/', async (ctx) => {
    const body = validated<WebhookBody>('btpay/webhook-create', 'request', bodyOf(ctx));
    if (!isHttpUrl(body.url)) throw invalidField('request', 'url', 'must be an absolute http:// or https:// URL');
    if (engine.config.webhookHttpsOnly && !body.url.startsWith('https://')) throw invalidField('request', 'url', 'must be an https:// URL (WEBHOOK_HTTPS_ONLY is set)');
    const events = !body.events || body.events.includes('*') ? null : body.events;
    const subscription = await createSubscription(engine, BTPAY, merchantId(ctx), {
      url: body.url,
      secret: `whsec_${engine.random.bytes(24).toString('hex')}`,
      enabled: true,
      automaticRedelivery: true,
      events,
      description: body.description ?? null,
    });
    ctx.status = 201;
    ctx.body = presentWebhook(subscription, true);
  });

  routes.delete('/:id', async (ctx) => {
    const id = ctx.params.id as string;
    const subscription = (await listSubscriptions(engine.db, BTPAY, merchantId(ctx))).find((s) => String(s.seq) === id);
    if (!subscription) throw notFound('request', `Webhook ${id} not found`);
    await deleteSubscription(engine, BTPAY, subscription.merchant_id, subscription.id);
    ctx.body = { ok: true };
  });

  return router;
}
