import Router from '@koa/router';
import { parseInstant } from '../../domain/query.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionSchedule, type SubscriptionStatus } from '../../domain/subscription.js';
import type { EngineContext } from '../../engine/context.js';
import { getMerchant } from '../../engine/merchants.js';
import { createSubscription, findSubscriptionByResourceToken, getSubscription, listSubscriptions, updateSubscription, type SubscriptionRequest } from '../../engine/subscriptions.js';
import { invalidField, invalidParam, missingParam } from '../../errors.js';
import { bodyOf, type AppContext, type AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { principalOf, requireToken, requireTokenOrResource, type AuthOptions } from './auth.js';
import { billRequest, type BillBody } from './bills.js';
import { presentSubscription } from './presenters/subscription.js';
import { queryOf } from './query.js';
import { BITPAY } from './webhooks.js';

const FACADE = 'merchant/subscription';

interface SubscriptionBody {
  billData?: BillBody;
  schedule?: SubscriptionSchedule;
  status?: SubscriptionStatus;
  nextDelivery?: string;
}

function subscriptionRequest(body: SubscriptionBody): SubscriptionRequest {
  let nextDelivery: number | undefined;
  if (body.nextDelivery) {
    const parsed = parseInstant(body.nextDelivery);
    if (!parsed) throw invalidField('bill', 'nextDelivery', 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time');
    nextDelivery = parsed.ms;
  }
  return {
    ...(body.billData ? { template: billRequest(body.billData, 'merchant') } : {}),
    ...(body.schedule ? { schedule: body.schedule } : {}),
    ...(body.status ? { status: body.status } : {}),
    ...(nextDelivery !== undefined ? { nextDelivery } : {}),
  };
}

/** BitPay's Subscriptions resource (BITPAY-WIRE §3.8; only the PHP SDK still has it): merchant facade, signed. */
export function subscriptionsRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const merchantOnly = requireToken(auth, ['merchant']);
  const merchantOf = (ctx: AppContext) => getMerchant(engine.db, principalOf(ctx).merchantId);
  const subscriptionResource = async (ctx: AppContext, token: string) => {
    const subscription = await findSubscriptionByResourceToken(engine.db, token);
    return subscription && subscription.id === ctx.params.id ? { merchantId: subscription.merchant_id } : null;
  };

  router.post('/subscriptions', merchantOnly, async (ctx) => {
    const request = subscriptionRequest(validated<SubscriptionBody>('requests/subscription', 'bill', bodyOf(ctx)));
    if (!request.template) throw missingParam('bill', 'Missing required parameter: billData');
    const subscription = await createSubscription(engine, await merchantOf(ctx), BITPAY, { ...request, template: request.template, schedule: request.schedule ?? 'monthly' });
    ctx.body = { facade: FACADE, data: presentSubscription(subscription) };
  });

  router.get('/subscriptions', merchantOnly, async (ctx) => {
    const { status } = queryOf(ctx);
    if (status !== undefined && !(SUBSCRIPTION_STATUSES as readonly unknown[]).includes(status)) {
      throw invalidParam('bill', `Invalid parameter status: must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`);
    }
    const subscriptions = await listSubscriptions(engine.db, principalOf(ctx).merchantId, BITPAY, status as SubscriptionStatus | undefined);
    ctx.body = { facade: FACADE, data: subscriptions.map(presentSubscription) };
  });

  router.get('/subscriptions/:id', merchantOnly, async (ctx) => {
    ctx.body = { facade: FACADE, data: presentSubscription(await getSubscription(engine.db, principalOf(ctx).merchantId, ctx.params.id as string)) };
  });

  router.put('/subscriptions/:id', requireTokenOrResource(auth, ['merchant'], subscriptionResource), async (ctx) => {
    const request = subscriptionRequest(validated<SubscriptionBody>('requests/subscription', 'bill', bodyOf(ctx)));
    const subscription = await updateSubscription(engine, await merchantOf(ctx), ctx.params.id as string, request);
    ctx.body = { facade: FACADE, data: presentSubscription(subscription) };
  });

  return router;
}
