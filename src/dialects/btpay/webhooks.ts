import { webhookSignature } from '../../crypto/hmac.js';
import type { Db } from '../../db/schema.js';
import { billsOfInvoices } from '../../engine/bills.js';
import type { EngineContext, EventSubscriber } from '../../engine/context.js';
import type { DomainEvent, DomainEventType } from '../../engine/events.js';
import { activeSubscriptions } from '../../engine/webhook-subscriptions.js';
import type { WebhookFormat } from '../../webhooks/format.js';
import { queueDeliveries, type NewDelivery } from '../../webhooks/outbox.js';
import { BTPAY } from './auth.js';
import { presentWebhookData } from './presenters/invoice.js';
import { eventsForChange, type BtpayEvent } from './statuses.js';
import { Decimal, SATS_PER_BTC } from '../../domain/money.js';
import type { BillView, WebhookSubscription } from '../../engine/entities.js';

interface Told {
  event: BtpayEvent;
  /** The bill as it stood after the change; looked up for invoice events. */
  view?: BillView;
  invoiceId: string | null;
  payment?: { txid: string; amount_btc: string };
}

/** The seed's events a domain event stands for (statuses.ts decides for status changes). */
function toldBy(event: DomainEvent): Told[] {
  switch (event.type) {
    case 'bill-changed': {
      const view: BillView = { bill: event.bill, state: event.change === 'created' ? 'draft' : 'cancelled', invoice: null };
      return [{ event: event.change === 'created' ? 'invoice.created' : 'invoice.cancelled', view, invoiceId: null }];
    }
    case 'invoice-changed':
      return eventsForChange(event.step.from, event.step.to, event.invoice.is_cancelled).map((e) => ({ event: e, invoiceId: event.invoice.id }));
    case 'payment-received':
    case 'payment-settled': {
      const payment = { txid: event.payment.txid, amount_btc: new Decimal(event.payment.amount_sats).div(SATS_PER_BTC).toFixed(8) };
      return [{ event: event.type === 'payment-received' ? 'payment.received' : 'payment.confirmed', invoiceId: event.invoice.id, payment }];
    }
    default:
      return [];
  }
}

/** The domain events seed 001's webhooks tell of (its invoice.created is a bill's creation, not an invoice's). */
const BTPAY_EVENT_SOURCES: ReadonlySet<DomainEventType> = new Set(['bill-changed', 'invoice-changed', 'payment-received', 'payment-settled']);

const subscribed = (subscription: WebhookSubscription, event: string) => subscription.events === null || subscription.events.includes(event);

/** Seed 001's webhooks: each active webhook of the bill's merchant that wants the event, with the bill's data as it then was. */
export const btpaySubscriber: EventSubscriber = {
  listensTo: async (ctx, type) => {
    const subscriptions = await activeSubscriptions(ctx.db, ctx, BTPAY);
    if (!BTPAY_EVENT_SOURCES.has(type)) return false;
    if (type === 'bill-changed') return subscriptions.some((s) => subscribed(s, 'invoice.created') || subscribed(s, 'invoice.cancelled'));
    return subscriptions.length > 0;
  },
  queue: queueWebhooks,
};

async function queueWebhooks(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void> {
  const subscriptions = await activeSubscriptions(db, ctx, BTPAY);
  if (subscriptions.length === 0) return;
  const told = events.flatMap(toldBy);
  const views = await billsOfInvoices(db, [...new Set(told.flatMap((t) => (t.invoiceId === null ? [] : [t.invoiceId])))]);
  const deliveries: NewDelivery[] = [];
  for (const t of told) {
    const view = t.view ?? (t.invoiceId !== null ? views.get(t.invoiceId) : undefined);
    if (!view || view.bill.dialect !== BTPAY) continue;
    const data = { ...presentWebhookData(view), ...(t.payment ? { payment: t.payment } : {}) };
    for (const subscription of subscriptions) {
      if (subscription.merchant_id !== view.bill.merchant_id || !subscribed(subscription, t.event)) continue;
      deliveries.push({
        dialect: BTPAY,
        invoiceId: view.invoice?.id ?? null,
        billId: view.bill.id,
        stream: `${BTPAY}:${subscription.id}:${view.bill.id}`,
        url: subscription.url,
        event: { code: null, name: t.event },
        extended: false,
        signingKey: subscription.secret,
        subscriptionId: subscription.id,
        retries: subscription.automatic_redelivery,
        // The body is written now, as the event was: jsonb would not keep its keys' order.
        payload: { body: JSON.stringify({ event: t.event, data, timestamp: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') }) },
      });
    }
  }
  await queueDeliveries(db, ctx, deliveries, at);
}

/** Waits between attempts: 60 s, 5 min, 15 min, 1 h, 2 h; then the delivery has failed. */
const RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 7_200_000];

/** The body is the event as queued; `X-BTPay-Signature` is the hex HMAC-SHA256 of its exact bytes, keyed by the webhook's secret. */
export function btpayWebhookFormat(): WebhookFormat {
  return {
    render: async (_ctx, deliveries) => new Map(deliveries.map((d) => [d.id, String(d.payload?.body)])),
    headers: (d, body) => ({
      'Content-Type': 'application/json',
      'User-Agent': 'BTPay-Webhooks/1.0',
      'X-BTPay-Event': d.event_name,
      'X-BTPay-Signature': webhookSignature(body, d.signing_key, 'hex'),
    }),
    delivered: (status) => status >= 200 && status < 300,
    retryDelayMs: (failedAttempts) => RETRY_DELAYS_MS[failedAttempts - 1] ?? null,
  };
}
