import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { base58Text } from '../domain/ids.js';
import { nextDeliveryAfter, type SubscriptionSchedule, type SubscriptionStatus } from '../domain/subscription.js';
import { conflict, notFound } from '../errors.js';
import { checkedTotals, createBillIn } from './bills.js';
import type { EngineContext } from './context.js';
import { anythingDue } from './due.js';
import type { Merchant } from './entities.js';
import type { Subscription } from './entities.js';
import type { NewBill } from '../domain/bill.js';
import { anyoneListensTo } from './publish.js';

export interface SubscriptionRequest {
  schedule?: SubscriptionSchedule;
  template?: NewBill;
  status?: SubscriptionStatus;
  /** when the next bill goes out; now when it is activated without one */
  nextDelivery?: number;
}

/** Which status moves a subscription makes: a draft is activated or dropped, an active one cancelled; cancelled is final. */
const MOVES: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = { draft: ['draft', 'active', 'cancelled'], active: ['active', 'cancelled'], cancelled: [] };

const subscriptionNotFound = (id: string) => notFound('bill', `Subscription ${id} not found`);

/** A new subscription (a draft unless asked active): its bill template is checked as a bill would be. */
export async function createSubscription(ctx: EngineContext, merchant: Merchant, dialect: string, request: Required<Pick<SubscriptionRequest, 'schedule' | 'template'>> & SubscriptionRequest): Promise<Subscription> {
  checkedTotals(request.template, request.template.currency ?? merchant.default_currency);
  const now = ctx.clock.now();
  const status = request.status ?? 'draft';
  if (status === 'cancelled') throw conflict('bill', 'state', 'A subscription starts as a draft or active, not cancelled');
  const next = request.nextDelivery ?? now;
  return ctx.db
    .insertInto('subscriptions')
    .values({
      id: base58Text(ctx.random, 22),
      merchant_id: merchant.id,
      dialect,
      status,
      schedule: request.schedule,
      bill_template: toJson(request.template),
      next_delivery: next,
      resource_token: base58Text(ctx.random, 44),
      created_at: now,
      due_at: status === 'active' ? next : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getSubscription(db: Db, merchantId: string, id: string): Promise<Subscription> {
  const found = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!found) throw subscriptionNotFound(id);
  return found;
}

export async function listSubscriptions(db: Db, merchantId: string, dialect: string, status?: SubscriptionStatus): Promise<Subscription[]> {
  let query = db.selectFrom('subscriptions').selectAll().where('merchant_id', '=', merchantId).where('dialect', '=', dialect);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('seq').execute();
}

export async function findSubscriptionByResourceToken(db: Db, token: string): Promise<Subscription | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('resource_token', '=', token).executeTakeFirst();
}

/** Changes what a subscription sends, when, or its status; the status table says which moves are allowed. */
export async function updateSubscription(ctx: EngineContext, merchant: Merchant, id: string, request: SubscriptionRequest): Promise<Subscription> {
  if (request.template) checkedTotals(request.template, request.template.currency ?? merchant.default_currency);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).where('merchant_id', '=', merchant.id).forUpdate().executeTakeFirst();
    if (!current) throw subscriptionNotFound(id);
    const status = request.status ?? current.status;
    if (!MOVES[current.status].includes(status)) throw conflict('bill', 'state', `Subscription ${id} is ${current.status}; it cannot become ${status}`);
    // An active subscription's next delivery is never in the past: a date gone by (an SDK echoes the old one) means now.
    const chosen = request.nextDelivery ?? current.next_delivery;
    const next = status === 'active' ? Math.max(chosen, ctx.clock.now()) : chosen;
    return trx
      .updateTable('subscriptions')
      .set({
        status,
        ...(request.schedule ? { schedule: request.schedule } : {}),
        ...(request.template ? { bill_template: toJson(request.template) } : {}),
        next_delivery: next,
        due_at: status === 'active' ? next : null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * The scheduler's pass: each active subscription whose delivery is due sends its bill (a new
 * bill of the template, delivered at once) and is due again one period later.
 */
export async function deliverDueSubscriptions(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  if (!(await anythingDue(ctx.db, 'subscriptions', now))) return 0;
  const publishes = await anyoneListensTo(ctx, 'bill-changed');
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx.selectFrom('subscriptions').selectAll().where('due_at', '<=', now).orderBy('due_at').limit(100).forUpdate().skipLocked().execute();
    for (const subscription of due) {
      const merchant = await trx.selectFrom('merchants').select(['id', 'default_currency']).where('id', '=', subscription.merchant_id).executeTakeFirstOrThrow();
      const bill = await createBillIn(trx, ctx, merchant, subscription.dialect, { ...subscription.bill_template, subscriptionId: subscription.id }, publishes);
      await trx.updateTable('bills').set({ delivered_at: now }).where('id', '=', bill.id).execute();
      let next = nextDeliveryAfter(subscription.next_delivery, subscription.schedule);
      while (next <= now) next = nextDeliveryAfter(next, subscription.schedule);
      await trx.updateTable('subscriptions').set({ next_delivery: next, due_at: next }).where('id', '=', subscription.id).execute();
    }
    return due.length;
  });
}

/** The bills a subscription has sent, newest first. */
export async function subscriptionBills(db: Db, subscriptionId: string) {
  return db.selectFrom('bills').select(['id', 'created_at']).where('subscription_id', '=', subscriptionId).orderBy('seq', 'desc').execute();
}
