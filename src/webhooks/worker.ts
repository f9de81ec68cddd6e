import { webhookSignature } from '../crypto/hmac.js';
import { isDelivered } from '../domain/webhook-policy.js';
import { chainViewOf } from '../engine/chain.js';
import type { EngineContext } from '../engine/context.js';
import { findInvoice } from '../engine/invoices.js';
import { presentInvoice } from '../http/bitpay/presenters/invoice.js';
import { presentRefund } from '../http/bitpay/presenters/refund.js';
import { presentInvoiceWebhookData, webhookBody } from '../http/bitpay/presenters/webhook.js';
import { claimDueDeliveries, recordAttempt, recordDuplicate, type AttemptRecord, type Delivery } from './outbox.js';
import { startLoop } from '../scheduler/loop.js';
import { postWebhook } from './sender.js';

export interface DeliveryWorker {
  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void;
  /** Delivers everything due now and returns when nothing due is left. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  publicUrl: () => string;
  pollMs: number;
  /** Deliveries in flight at once (each to a different invoice). */
  concurrency: number;
}

/**
 * The body is built when it is sent: BitPay's IPN carries the invoice (or refund) as it is at
 * delivery time. Refund webhooks are always `{event, data}`, without the refund's token.
 */
async function render(ctx: EngineContext, delivery: Delivery, publicUrl: string): Promise<string> {
  const event = { code: delivery.event_code, name: delivery.event_name };
  if (delivery.refund_id !== null) {
    const refund = await ctx.db.selectFrom('refunds').selectAll().where('id', '=', delivery.refund_id).executeTakeFirstOrThrow();
    const { token: _token, ...data } = presentRefund(refund);
    return webhookBody(event, data, true);
  }
  const invoice = await findInvoice(ctx.db, delivery.invoice_id);
  const chain = await chainViewOf(ctx.db, [invoice.id]);
  const presented = presentInvoice(invoice, { facade: 'merchant', publicUrl, now: ctx.clock.now(), chain });
  const data = presentInvoiceWebhookData(presented, invoice.buyer);
  return webhookBody(event, data, delivery.extended);
}

function chance(ctx: EngineContext, probability: number): boolean {
  return probability > 0 && ctx.random.bytes(4).readUInt32BE(0) / 2 ** 32 < probability;
}

/**
 * Sends the outbox. Deliveries are leased, so a crash at any point loses none (the lease runs
 * out and the delivery is sent again: at least once, with a stable X-Delivery-Id), and several
 * processes never send the same attempt twice.
 */
export function startDeliveryWorker(ctx: EngineContext, options: WorkerOptions): DeliveryWorker {
  const { config, logger } = ctx;
  const leaseMs = config.webhookTimeoutMs + 5_000;
  const attempt = async (delivery: Delivery): Promise<AttemptRecord> => {
    const startedAt = ctx.clock.now();
    const body = await render(ctx, delivery, options.publicUrl());
    const requestHeaders = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'BitPay-Emulator-IPN/1.0',
      'X-Delivery-Id': delivery.id,
      'x-signature': webhookSignature(body, delivery.signing_token),
    };
    const result = await postWebhook(delivery.url, body, requestHeaders, config.webhookTimeoutMs);
    const delivered = result.status !== null && isDelivered(result.status, config.webhookSuccess);
    const error = result.error ?? (delivered ? null : `HTTP ${result.status}${result.status !== null && result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : ''} is not a delivery`);
    logger.info('webhook', {
      deliveryId: delivery.id,
      invoiceId: delivery.invoice_id,
      code: delivery.event_code,
      url: delivery.url,
      status: result.status,
      ms: result.durationMs,
      delivered,
    });
    return { startedAt, requestHeaders, requestBody: body, responseStatus: result.status, responseBody: result.body, durationMs: result.durationMs, error, delivered };
  };

  const deliver = async (delivery: Delivery) => {
    try {
      const outcome = await attempt(delivery);
      await recordAttempt(ctx, delivery, outcome);
      if (outcome.delivered && chance(ctx, config.webhookFaults.duplicate)) await recordDuplicate(ctx, delivery, await attempt(delivery));
    } catch (error) {
      logger.error('webhook delivery failed', { deliveryId: delivery.id, error: (error as Error).message, stack: (error as Error).stack });
    }
  };

  const loop = startLoop(
    'webhook',
    async () => {
      for (;;) {
        const batch = await claimDueDeliveries(ctx, options.concurrency, leaseMs);
        if (batch.length === 0) return;
        await Promise.all(batch.map(deliver));
      }
    },
    options.pollMs,
    logger,
  );
  return { wake: loop.wake, flush: loop.run, stop: loop.stop };
}
