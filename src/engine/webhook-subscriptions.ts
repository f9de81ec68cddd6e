import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { base58Text } from '../domain/ids.js';
import { EngineError } from '../errors.js';
import type { EngineContext } from './context.js';
import type { WebhookSubscription } from './entities.js';

/** What the subscription cache is made of; migrations/010 notifies other processes of changes. */
export const SUBSCRIPTION_READ_TABLES = ['webhook_subscriptions'];

export interface SubscriptionSettings {
  url: string;
  secret: string;
  enabled: boolean;
  automaticRedelivery: boolean;
  /** null: every event */
  events: string[] | null;
  /** The merchant's own words for it, where the dialect has them. */
  description?: string | null;
}

const notFound = (id: string) => new EngineError('not-found', `Webhook ${id} not found`, { subject: 'request', reason: 'webhook-not-found' });

export async function createSubscription(ctx: EngineContext, dialect: string, merchantId: string, settings: SubscriptionSettings): Promise<WebhookSubscription> {
  return ctx.db
    .insertInto('webhook_subscriptions')
    .values({
      id: base58Text(ctx.random, 22),
      dialect,
      merchant_id: merchantId,
      url: settings.url,
      secret: settings.secret,
      enabled: settings.enabled,
      automatic_redelivery: settings.automaticRedelivery,
      events: settings.events === null ? null : toJson(settings.events),
      created_at: ctx.clock.now(),
      description: settings.description ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getSubscription(db: Db, dialect: string, merchantId: string, id: string): Promise<WebhookSubscription> {
  const found = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('dialect', '=', dialect)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!found) throw notFound(id);
  return found;
}

export async function listSubscriptions(db: Db, dialect: string, merchantId: string): Promise<WebhookSubscription[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('dialect', '=', dialect).where('merchant_id', '=', merchantId).orderBy('seq').execute();
}

/**
 * Changes a subscription; its deliveries still to go out follow: to the new URL, signed with the
 * new secret, retried or not as now set; dropped when it is disabled or no longer wants their event.
 */
export async function updateSubscription(ctx: EngineContext, dialect: string, merchantId: string, id: string, settings: SubscriptionSettings): Promise<WebhookSubscription> {
  await getSubscription(ctx.db, dialect, merchantId, id);
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhook_subscriptions')
      .set({
        url: settings.url,
        secret: settings.secret,
        enabled: settings.enabled,
        automatic_redelivery: settings.automaticRedelivery,
        events: settings.events === null ? null : toJson(settings.events),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const pending = trx.updateTable('webhook_deliveries').where('subscription_id', '=', id).where('status', '=', 'pending');
    if (!settings.enabled) await pending.set({ status: 'failed', lease_until: null }).execute();
    else {
      if (settings.events !== null) {
        const unwanted = settings.events.length === 0 ? pending : pending.where('event_name', 'not in', settings.events);
        await unwanted.set({ status: 'failed', lease_until: null }).execute();
      }
      await pending.set({ url: settings.url, signing_key: settings.secret, retries: settings.automaticRedelivery }).execute();
    }
    return updated;
  });
}

/** Removes a subscription; its deliveries that have not gone out are dropped with it, the log of the others stays. */
export async function deleteSubscription(ctx: EngineContext, dialect: string, merchantId: string, id: string): Promise<void> {
  await getSubscription(ctx.db, dialect, merchantId, id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('webhook_deliveries').set({ status: 'failed', lease_until: null }).where('subscription_id', '=', id).where('status', '=', 'pending').execute();
    await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
  });
}

/** Every enabled subscription of a dialect, from the per-process cache (read on each published event batch). */
export async function activeSubscriptions(db: Db, ctx: EngineContext, dialect: string): Promise<WebhookSubscription[]> {
  const all = await ctx.caches.subscriptions.get(dialect, () =>
    db.selectFrom('webhook_subscriptions').selectAll().where('dialect', '=', dialect).where('enabled', '=', true).orderBy('seq').execute(),
  );
  return all ?? [];
}
