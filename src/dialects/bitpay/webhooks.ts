import { webhookSignature } from '../../crypto/hmac.js';
import { chainViewOf } from '../../engine/chain.js';
import type { EngineContext, EventSubscriber } from '../../engine/context.js';
import type { DomainEvent, DomainEventType } from '../../engine/events.js';
import type { Db } from '../../db/schema.js';
import { payoutTransactions, recipientsOf } from '../../engine/payouts.js';
import { presentPayout } from './presenters/payout.js';
import { isDelivered, type WebhookFormat } from '../../webhooks/format.js';
import { queueDeliveries, type NewDelivery } from '../../webhooks/outbox.js';
import { presentInvoice } from './presenters/invoice.js';
import { presentRefund } from './presenters/refund.js';
import { refundContactEmail } from '../../engine/refunds.js';
import { presentInvoiceWebhookData, webhookBody } from './presenters/webhook.js';
import { INVOICE_EVENTS, nextAttemptDelay, PAYOUT_EVENTS, PAYOUT_MANUALLY_NOTIFIED, RECIPIENT_EVENTS, RECIPIENT_MANUALLY_NOTIFIED, REFUND_EVENTS, webhookForStep, type WebhookEvent } from './webhook-policy.js';
import type { Invoice } from '../../engine/entities.js';
import type { Delivery } from '../../webhooks/delivery.js';

export const BITPAY = 'bitpay';

/**
 * Where a notification the merchant asks for goes when there is no notificationURL: BitPay
 * e-mails it instead. The delivery log keeps it as a `mailto:` delivery, which the worker
 * records as e-mailed without sending anything.
 */
const mailto = (email: string | null | undefined) => (email ? `mailto:${email}` : null);

/** BitPay's subscription: the invoice's notificationURL (or, for a requested notification, `url`). */
function delivery(invoice: Invoice, event: WebhookEvent, extended: boolean, refundId?: string, url = invoice.notification_url): NewDelivery[] {
  if (!url) return [];
  return [
    {
      dialect: BITPAY,
      invoiceId: invoice.id,
      ...(refundId ? { refundId } : {}),
      url,
      event,
      extended,
      signingKey: invoice.api_token,
    },
  ];
}

/** The IPNs BitPay sends for an invoice's event (BITPAY-WIRE §5): none, or one. */
function ipnsFor(event: DomainEvent): NewDelivery[] {
  if (!('invoice' in event)) return [];
  const { invoice } = event;
  switch (event.type) {
    case 'invoice-changed': {
      const settings = { fullNotifications: invoice.full_notifications, extendedNotifications: invoice.extended_notifications, speed: invoice.transaction_speed };
      const ipn = webhookForStep(event.step, settings);
      return ipn ? delivery(invoice, ipn, invoice.extended_notifications) : [];
    }
    case 'invoice-notification-requested':
      return delivery(invoice, INVOICE_EVENTS.manuallyNotified, invoice.extended_notifications);
    case 'refund-changed':
    case 'refund-notification-requested': {
      const ipn = REFUND_EVENTS[event.refund.status];
      const requested = event.type === 'refund-notification-requested';
      const url = invoice.notification_url ?? (requested ? mailto(refundContactEmail(invoice, event.refund)) : null);
      // Refund webhooks always use the extended format.
      return ipn ? delivery(invoice, ipn, true, event.refund.id, url) : [];
    }
    case 'invoice-refunded':
      return invoice.extended_notifications ? delivery(invoice, INVOICE_EVENTS.refundComplete, true) : [];
    // BitPay tells of creations and single payments through no IPN.
    case 'invoice-created':
    case 'payment-received':
    case 'payment-settled':
      return [];
  }
}

/**
 * Payout and recipient webhooks: `{event, data}` to their notificationURL, signed with the payout
 * token that made them, with the object as it was when the event happened (without its token).
 */
async function payoutWebhooks(db: Db, events: DomainEvent[]): Promise<NewDelivery[]> {
  const deliveries: NewDelivery[] = [];
  const payouts = events.flatMap((e) => (e.type === 'payout-changed' || e.type === 'payout-notification-requested' ? [e.payout] : []));
  const [recipients, transactions] = await Promise.all([recipientsOf(db, payouts), payoutTransactions(db, payouts.map((p) => p.id))]);
  for (const event of events) {
    if (event.type === 'payout-changed' || event.type === 'payout-notification-requested') {
      const { payout } = event;
      const code = event.type === 'payout-changed' ? PAYOUT_EVENTS[payout.status] : PAYOUT_MANUALLY_NOTIFIED;
      const url = payout.notification_url ?? (event.type === 'payout-notification-requested' ? mailto(payout.notification_email ?? recipients.get(payout.recipient_id)?.email) : null);
      if (!code || !url) continue;
      const { token: _token, ...data } = presentPayout(payout, recipients.get(payout.recipient_id), transactions.get(payout.id));
      deliveries.push({ dialect: BITPAY, invoiceId: null, payoutId: payout.id, url, event: code, extended: true, signingKey: payout.api_token, payload: { body: webhookBody(code, data, true) } });
    } else if (event.type === 'recipient-changed' || event.type === 'recipient-notification-requested') {
      const { recipient } = event;
      const code = event.type === 'recipient-changed' ? RECIPIENT_EVENTS[recipient.status] : RECIPIENT_MANUALLY_NOTIFIED;
      const url = recipient.notification_url ?? (event.type === 'recipient-notification-requested' ? mailto(recipient.email) : null);
      if (!url) continue;
      const data = { id: recipient.id, shopperId: recipient.shopper_id, email: recipient.email, label: recipient.label ?? '', status: recipient.status };
      deliveries.push({ dialect: BITPAY, invoiceId: null, recipientId: recipient.id, url, event: code, extended: true, signingKey: recipient.api_token, payload: { body: webhookBody(code, data, true) } });
    }
  }
  return deliveries;
}

/** The events no IPN tells of. */
const SILENT: ReadonlySet<DomainEventType> = new Set(['invoice-created', 'payment-received', 'payment-settled', 'bill-changed']);

export const bitpaySubscriber: EventSubscriber = {
  listensTo: async (_ctx, type) => !SILENT.has(type),
  queue: async (db, ctx, events, at) => queueDeliveries(db, ctx, [...events.flatMap(ipnsFor), ...(await payoutWebhooks(db, events))], at),
};

/**
 * The bodies of a batch, built when they are sent: BitPay's IPN carries the invoice (or refund)
 * as it is at delivery time. Refund webhooks are always `{event, data}`, without the refund's
 * token. The batch's invoices, refunds and payments are read in a few queries.
 */
async function render(ctx: EngineContext, deliveries: Delivery[], publicUrl: string): Promise<Map<string, string>> {
  const invoiceIds = [...new Set(deliveries.flatMap((d) => (d.invoice_id === null ? [] : [d.invoice_id])))];
  const refundIds = deliveries.flatMap((d) => (d.refund_id === null ? [] : [d.refund_id]));
  const [invoices, refunds, chain] = await Promise.all([
    invoiceIds.length === 0 ? [] : ctx.db.selectFrom('invoices').selectAll().where('id', 'in', invoiceIds).execute(),
    refundIds.length === 0 ? [] : ctx.db.selectFrom('refunds').selectAll().where('id', 'in', refundIds).execute(),
    chainViewOf(ctx.db, invoiceIds),
  ]);
  const view = { facade: 'merchant' as const, publicUrl, now: ctx.clock.now(), chain };
  const invoiceData = new Map(invoices.map((invoice) => [invoice.id, presentInvoiceWebhookData(presentInvoice(invoice, view), invoice.buyer)]));
  const refundData = new Map(
    refunds.map((refund) => {
      const { token: _token, ...data } = presentRefund(refund);
      return [refund.id, data];
    }),
  );
  const bodies = new Map<string, string>();
  for (const d of deliveries) {
    if (typeof d.payload?.body === 'string') {
      bodies.set(d.id, d.payload.body);
      continue;
    }
    const data = d.refund_id !== null ? refundData.get(d.refund_id) : d.invoice_id !== null ? invoiceData.get(d.invoice_id) : undefined;
    if (data) bodies.set(d.id, webhookBody({ code: d.event_code as number, name: d.event_name }, data, d.extended));
  }
  return bodies;
}

/** BitPay's IPN delivery: x-signature HMAC keyed by the invoice's API token, 200 only, 1-4-9-16-25 minute retries. */
export function bitpayWebhookFormat(ctx: EngineContext): WebhookFormat {
  return {
    render,
    headers: (d, body) => ({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'BitPay-Emulator-IPN/1.0',
      'x-signature': webhookSignature(body, d.signing_key),
    }),
    delivered: (status) => isDelivered(status, ctx.config.webhookSuccess),
    retryDelayMs: nextAttemptDelay,
  };
}
