import { webhookSignature } from '../../crypto/hmac.js';
import type { Db } from '../../db/schema.js';
import type { EngineContext, EventSubscriber } from '../../engine/context.js';
import type { DomainEvent, DomainEventType } from '../../engine/events.js';
import { activeSubscriptions } from '../../engine/webhook-subscriptions.js';
import type { WebhookFormat } from '../../webhooks/format.js';
import { queueDeliveries, type NewDelivery } from '../../webhooks/outbox.js';
import { GREENFIELD } from './auth.js';
import { presentMetadata } from './presenters/invoice.js';
import { presentPayment } from './presenters/payment-methods.js';
import { EMULATED_VERSION } from './server.js';
import { STATUS } from './statuses.js';
import { acceptedSats } from '../../domain/money.js';
import { unixSeconds } from '../../domain/duration.js';
import type { Invoice, WebhookSubscription } from '../../engine/entities.js';
import type { Delivery } from '../../webhooks/delivery.js';

/** BTCPay's invoice webhook event types (WebhookEventType). */
const INVOICE_EVENT_TYPES = [
  'InvoiceCreated',
  'InvoiceReceivedPayment',
  'InvoicePaymentSettled',
  'InvoiceProcessing',
  'InvoiceExpired',
  'InvoiceSettled',
  'InvoiceInvalid',
  'InvoiceExpiredPaidPartial',
  'InvoicePaidAfterExpiration',
] as const;

interface GreenfieldEvent {
  type: (typeof INVOICE_EVENT_TYPES)[number];
  invoice: Invoice;
  /** The type's own fields, which BTCPay writes before the common ones. */
  fields: Record<string, unknown>;
}


function paymentFields(event: Extract<DomainEvent, { payment: unknown }>) {
  return {
    afterExpiration: event.late,
    paymentMethodId: 'BTC-CHAIN',
    paymentMethod: 'BTC',
    payment: presentPayment(event.payment),
  };
}

/**
 * The BTCPay events a domain event stands for (BTCPay's InvoiceWatcher): a status change is told
 * by the Greenfield status it reaches, once (confirmed then complete is one Settled); an invoice
 * settled on first sight was Processing first, unless marked by hand.
 */
export function greenfieldEvents(event: DomainEvent): GreenfieldEvent[] {
  if (!('invoice' in event)) return [];
  const { invoice } = event;
  switch (event.type) {
    case 'invoice-created':
      return [{ type: 'InvoiceCreated', invoice, fields: {} }];
    case 'payment-received': {
      const received: GreenfieldEvent[] = [{ type: 'InvoiceReceivedPayment', invoice, fields: paymentFields(event) }];
      // The invoice as it was before this payment: did this one complete it after it expired?
      const required = acceptedSats(invoice.subtotal_sats + invoice.miner_fee_sats, invoice.payment_tolerance);
      const completes = invoice.amount_paid_sats < required && invoice.amount_paid_sats + event.payment.amount_sats >= required;
      return event.late && completes ? [...received, { type: 'InvoicePaidAfterExpiration', invoice, fields: {} }] : received;
    }
    case 'payment-settled':
      return [{ type: 'InvoicePaymentSettled', invoice, fields: paymentFields(event) }];
    case 'invoice-changed': {
      const { step } = event;
      const from = STATUS[step.from];
      const to = STATUS[step.to];
      const marked = step.exception === 'marked';
      const overPaid = step.exception === 'paidOver';
      if (from === to) return [];
      if (to === 'Processing') return [{ type: 'InvoiceProcessing', invoice, fields: { overPaid } }];
      if (to === 'Settled') {
        const settled: GreenfieldEvent = { type: 'InvoiceSettled', invoice, fields: { manuallyMarked: marked, overPaid } };
        return from === 'New' && !marked ? [{ type: 'InvoiceProcessing', invoice, fields: { overPaid } }, settled] : [settled];
      }
      if (to === 'Expired') {
        const partiallyPaid = step.exception === 'paidPartial';
        const expired: GreenfieldEvent = { type: 'InvoiceExpired', invoice, fields: { partiallyPaid } };
        return partiallyPaid ? [expired, { type: 'InvoiceExpiredPaidPartial', invoice, fields: {} }] : [expired];
      }
      if (to === 'Invalid') return [{ type: 'InvoiceInvalid', invoice, fields: { manuallyMarked: marked } }];
      return [];
    }
    default:
      return [];
  }
}

/** The domain events store webhooks tell of: those about invoices. */
const GREENFIELD_EVENT_SOURCES: ReadonlySet<DomainEventType> = new Set(['invoice-created', 'payment-received', 'payment-settled', 'invoice-changed']);

function subscribed(subscription: WebhookSubscription, type: string): boolean {
  return subscription.events === null || subscription.events.includes(type);
}

/**
 * Store webhooks: each enabled subscription of the invoice's store that wants the event gets a
 * delivery, carrying the event's data as it is now (BTCPay sends what happened, not the state at
 * send time). One webhook's deliveries go out in order, one at a time, as BTCPay sends them.
 */
export const greenfieldSubscriber: EventSubscriber = {
  listensTo: async (ctx, type) => {
    const subscriptions = await activeSubscriptions(ctx.db, ctx, GREENFIELD);
    if (!GREENFIELD_EVENT_SOURCES.has(type)) return false;
    return type === 'invoice-created' ? subscriptions.some((s) => subscribed(s, 'InvoiceCreated')) : subscriptions.length > 0;
  },
  queue: queueStoreWebhooks,
};

async function queueStoreWebhooks(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void> {
  const subscriptions = await activeSubscriptions(db, ctx, GREENFIELD);
  if (subscriptions.length === 0) return;
  const deliveries: NewDelivery[] = [];
  for (const event of events.flatMap(greenfieldEvents)) {
    for (const subscription of subscriptions) {
      if (subscription.merchant_id !== event.invoice.merchant_id || !subscribed(subscription, event.type)) continue;
      deliveries.push({
        dialect: GREENFIELD,
        invoiceId: event.invoice.id,
        stream: `${GREENFIELD}:${subscription.id}`,
        url: subscription.url,
        event: { code: null, name: event.type },
        extended: false,
        signingKey: subscription.secret,
        subscriptionId: subscription.id,
        retries: subscription.automatic_redelivery,
        payload: {
          ...event.fields,
          type: event.type,
          timestamp: unixSeconds(at),
          storeId: event.invoice.merchant_id,
          invoiceId: event.invoice.id,
          metadata: presentMetadata(event.invoice),
        },
      });
    }
  }
  await queueDeliveries(db, ctx, deliveries, at);
}

/** The id BTCPay gives the n-th attempt of a delivery: each automatic retry is a delivery of its own. */
export function attemptDeliveryId(deliveryId: string, attempt: number): string {
  return attempt <= 1 ? deliveryId : `${deliveryId}-${attempt}`;
}

/** The body of a delivery's next attempt: the event's own fields, then the delivery's, as BTCPay writes them (indented). */
function greenfieldBody(delivery: Delivery, attempt: number): string {
  const { type, timestamp, storeId, invoiceId, metadata, ...own } = delivery.payload ?? {};
  const original = delivery.original_delivery_id ?? delivery.id;
  return JSON.stringify(
    {
      ...own,
      deliveryId: attemptDeliveryId(delivery.id, attempt),
      webhookId: delivery.subscription_id,
      originalDeliveryId: original,
      isRedelivery: attempt > 1 || delivery.original_delivery_id !== null,
      type,
      timestamp,
      storeId,
      invoiceId,
      metadata,
    },
    null,
    2,
  );
}

/** BTCPay's waits between automatic redeliveries: 10 s, 1 min, then 10 min six times. */
const RETRY_DELAYS_MS = [10_000, 60_000, ...Array<number>(6).fill(600_000)];

/** BTCPay retries a failure without an answer, a 5xx, 408 or 429; other answers are final. */
function retryable(status: number | null): boolean {
  return status === null || status >= 500 || status === 408 || status === 429;
}

export function greenfieldWebhookFormat(): WebhookFormat {
  return {
    render: async (_ctx: EngineContext, deliveries: Delivery[]) => new Map(deliveries.map((d) => [d.id, greenfieldBody(d, d.attempts + 1)])),
    headers: (d, body) => ({
      'Content-Type': 'application/json',
      'User-Agent': `BTCPayServer/${EMULATED_VERSION}`,
      'BTCPay-Sig': `sha256=${webhookSignature(body, d.signing_key, 'hex')}`,
    }),
    delivered: (status) => status >= 200 && status < 300,
    retryDelayMs: (failedAttempts, status) => (retryable(status) ? (RETRY_DELAYS_MS[failedAttempts - 1] ?? null) : null),
  };
}
