import Router from '@koa/router';
import type { Middleware } from 'koa';
import { base58Text } from '../../domain/ids.js';
import type { EngineContext } from '../../engine/context.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, updateSubscription, type SubscriptionSettings } from '../../engine/webhook-subscriptions.js';
import { EngineError, invalidField } from '../../errors.js';
import type { AppContext, AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { isHttpUrl, validatedAsIs } from '../../http/validate.js';
import { attemptsOf, listDeliveries } from '../../webhooks/outbox.js';
import { authorizedStore, GREENFIELD } from './auth.js';
import { emptyOk, rawBody } from './http.js';
import { queryInteger, onlyQueryParams } from '../../http/query.js';
import { attemptDeliveryId } from './webhooks.js';
import { unixSeconds } from '../../domain/duration.js';
import type { WebhookSubscription } from '../../engine/entities.js';
import type { Attempt, Delivery } from '../../webhooks/delivery.js';

interface WebhookBody {
  enabled?: boolean | null;
  automaticRedelivery?: boolean | null;
  url: string;
  secret?: string | null;
  authorizedEvents?: { everything?: boolean | null; specificEvents?: string[] | null } | null;
}


/** BTCPay's WebhookData; the secret only when the webhook is created. */
function presentWebhook(subscription: WebhookSubscription, withSecret = false) {
  return {
    id: subscription.id,
    enabled: subscription.enabled,
    automaticRedelivery: subscription.automatic_redelivery,
    url: subscription.url,
    authorizedEvents: { everything: subscription.events === null, specificEvents: subscription.events ?? [] },
    ...(withSecret ? { secret: subscription.secret } : {}),
  };
}

/** One attempt as BTCPay's WebhookDeliveryData: each automatic retry is a delivery of its own there. */
function presentAttempt(delivery: Delivery, attempt: Attempt) {
  const status = attempt.response_status;
  return {
    id: attemptDeliveryId(delivery.id, attempt.number),
    timestamp: unixSeconds(attempt.number === 1 ? delivery.created_at : attempt.started_at),
    deliveryTime: unixSeconds(attempt.started_at),
    httpCode: status,
    errorMessage: attempt.delivered ? null : status !== null ? `HTTP Error Code ${status}` : (attempt.error ?? 'No response'),
    status: attempt.delivered ? 'HttpSuccess' : status === null ? 'Failed' : 'HttpError',
  };
}

const deliveryNotFound = () => new EngineError('not-found', 'The webhook delivery was not found', { subject: 'request', reason: 'webhookdelivery-not-found' });

/** A webhook's body as the engine's settings: BTCPay's defaults for what is left out, the old secret kept when none is given. */
function settingsOf(engine: EngineContext, body: WebhookBody, current?: WebhookSubscription): SubscriptionSettings {
  if (!isHttpUrl(body.url)) throw invalidField('request', 'Url', 'Invalid Url');
  const everything = body.authorizedEvents?.everything ?? true;
  return {
    url: body.url,
    secret: body.secret || current?.secret || base58Text(engine.random, 22),
    enabled: body.enabled ?? true,
    automaticRedelivery: body.automaticRedelivery ?? true,
    events: everything ? null : (body.authorizedEvents?.specificEvents ?? []),
  };
}

/** Greenfield's store webhooks over the engine's subscriptions and the one outbox. */
export function storeWebhooksRoutes(engine: EngineContext, sandbox: Sandbox, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/stores/:storeId/webhooks' });
  const routes = guardedRoutes(router, auth);
  const store = (ctx: AppContext) => authorizedStore(engine, ctx, 'btcpay.store.webhooks.canmodifywebhooks');
  const subscriptionOf = async (ctx: AppContext) => getSubscription(engine.db, GREENFIELD, (await store(ctx)).id, ctx.params.webhookId as string);

  /** The delivery and attempt an id of the API names (`<delivery>` or `<delivery>-<attempt>`). */
  const attemptOf = async (ctx: AppContext) => {
    const subscription = await subscriptionOf(ctx);
    const [, deliveryId, number] = /^(.+?)(?:-(\d+))?$/.exec(ctx.params.deliveryId as string) ?? [];
    const delivery = await engine.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId as string)
      .where('subscription_id', '=', subscription.id)
      .executeTakeFirst();
    const attempt = delivery && (await attemptsOf(engine.db, [delivery.id])).get(delivery.id)?.find((a) => a.number === Number(number ?? 1));
    if (!delivery || !attempt) throw deliveryNotFound();
    return { delivery, attempt };
  };

  routes.get('/', async (ctx) => {
    ctx.body = (await listSubscriptions(engine.db, GREENFIELD, (await store(ctx)).id)).map((s) => presentWebhook(s));
  });

  routes.post('/', async (ctx) => {
    const merchant = await store(ctx);
    const body = validatedAsIs<WebhookBody>('greenfield/webhook', 'request', rawBody(ctx));
    ctx.body = presentWebhook(await createSubscription(engine, GREENFIELD, merchant.id, settingsOf(engine, body)), true);
  });

  routes.get('/:webhookId', async (ctx) => {
    ctx.body = presentWebhook(await subscriptionOf(ctx));
  });

  routes.put('/:webhookId', async (ctx) => {
    const current = await subscriptionOf(ctx);
    const body = validatedAsIs<WebhookBody>('greenfield/webhook', 'request', rawBody(ctx));
    ctx.body = presentWebhook(await updateSubscription(engine, GREENFIELD, current.merchant_id, current.id, settingsOf(engine, body, current)));
  });

  routes.delete('/:webhookId', async (ctx) => {
    const current = await subscriptionOf(ctx);
    await deleteSubscription(engine, GREENFIELD, current.merchant_id, current.id);
    emptyOk(ctx);
  });

  routes.get('/:webhookId/deliveries', async (ctx) => {
    onlyQueryParams(ctx, ['count']);
    const count = queryInteger(ctx, 'count', 1, 1000) ?? 1000;
    const subscription = await subscriptionOf(ctx);
    const deliveries = await listDeliveries(engine.db, { subscriptionId: subscription.id, limit: count });
    const attempts = await attemptsOf(engine.db, deliveries.map((d) => d.id));
    const all = deliveries.flatMap((d) => (attempts.get(d.id) ?? []).map((a) => ({ delivery: d, attempt: a })));
    all.sort((x, y) => y.attempt.started_at - x.attempt.started_at || y.attempt.id - x.attempt.id);
    ctx.body = all.slice(0, count).map(({ delivery, attempt }) => presentAttempt(delivery, attempt));
  });

  routes.get('/:webhookId/deliveries/:deliveryId', async (ctx) => {
    const { delivery, attempt } = await attemptOf(ctx);
    ctx.body = presentAttempt(delivery, attempt);
  });

  routes.get('/:webhookId/deliveries/:deliveryId/request', async (ctx) => {
    const { attempt } = await attemptOf(ctx);
    ctx.type = 'application/json';
    ctx.body = attempt.request_body;
  });

  routes.post('/:webhookId/deliveries/:deliveryId/redeliver', async (ctx) => {
    const { delivery } = await attemptOf(ctx);
    const repeated = await sandbox.redeliver(delivery.id);
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(repeated.id);
  });

  return router;
}
