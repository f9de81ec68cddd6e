import type { EngineContext } from '../engine/context.js';
import type { WebhookFormat, WebhookFormats } from './format.js';
import { claimDueDeliveries, recordAttempts, recordDuplicate, type AttemptRecord } from './outbox.js';
import { plannerStatistics } from '../db/planner-statistics.js';
import { startLoop } from '../scheduler/loop.js';
import { postWebhook, simulatedEmail } from './sender.js';
import type { Delivery } from './delivery.js';

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
  /** Deliveries claimed and sent together, each to a different stream; LANES batches may be in flight. */
  batchSize: number;
  /** The webhook format of each dialect served; only their deliveries are sent. */
  formats: WebhookFormats;
}

/** The bodies of a batch, each rendered by its dialect's format when it is sent. */
async function render(ctx: EngineContext, formats: WebhookFormats, deliveries: Delivery[], publicUrl: string): Promise<Map<string, string>> {
  const byDialect = new Map<string, Delivery[]>();
  for (const delivery of deliveries) byDialect.set(delivery.dialect, [...(byDialect.get(delivery.dialect) ?? []), delivery]);
  const rendered = await Promise.all(
    [...byDialect].map(([dialect, batch]) => (formats.get(dialect) as WebhookFormat).render(ctx, batch, publicUrl)),
  );
  return new Map(rendered.flatMap((bodies) => [...bodies]));
}

function chance(ctx: EngineContext, probability: number): boolean {
  return probability > 0 && ctx.random.bytes(4).readUInt32BE(0) / 2 ** 32 < probability;
}

/**
 * Batches are worked in two lanes, so one sends while the other records its batch and claims
 * the next (a stream is never in two batches: the claim skips streams with an earlier pending
 * delivery). Measured on the lifecycle bench: 10,000 invoices' webhooks about a third faster
 * than one lane, with the same or twice the batch size.
 */
const LANES = 2;

/**
 * Sends the outbox. Deliveries are leased, so a crash at any point loses none (the lease runs
 * out and the delivery is sent again: at least once, with a stable X-Delivery-Id), and several
 * processes never send the same attempt twice.
 */
export function startDeliveryWorker(ctx: EngineContext, options: WorkerOptions): DeliveryWorker {
  const { config, logger } = ctx;
  const leaseMs = config.webhookTimeoutMs + 5_000;
  const dialects = [...options.formats.keys()];
  const statistics = plannerStatistics(ctx.db, 'webhook_deliveries', logger);
  const attempt = async (delivery: Delivery, body: string): Promise<AttemptRecord> => {
    const format = options.formats.get(delivery.dialect) as WebhookFormat;
    const startedAt = ctx.clock.now();
    const requestHeaders = { ...format.headers(delivery, body), 'X-Delivery-Id': delivery.id };
    const result = delivery.url.startsWith('mailto:') ? simulatedEmail(delivery.url) : await postWebhook(delivery.url, body, requestHeaders, config.webhookTimeoutMs);
    const delivered = result.emailed === true || (result.status !== null && format.delivered(result.status));
    const error = result.error ?? (delivered ? null : `HTTP ${result.status}${result.status !== null && result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : ''} is not a delivery`);
    logger.info('webhook', {
      deliveryId: delivery.id,
      dialect: delivery.dialect,
      invoiceId: delivery.invoice_id,
      code: delivery.event_code,
      url: delivery.url,
      status: result.status,
      ms: result.durationMs,
      delivered,
    });
    return { startedAt, requestHeaders, requestBody: body, responseStatus: result.status, responseBody: result.body, durationMs: result.durationMs, error, delivered };
  };

  /** Sends a claimed batch at once (each to a different invoice) and records it in one transaction. */
  const deliverBatch = async (batch: Delivery[]) => {
    const bodies = await render(ctx, options.formats, batch, options.publicUrl());
    const sendable = batch.filter((d) => bodies.has(d.id));
    const outcomes = await Promise.all(sendable.map(async (delivery) => ({ delivery, attempt: await attempt(delivery, bodies.get(delivery.id) as string) })));
    await recordAttempts(ctx, options.formats, outcomes);
    for (const { delivery, attempt: first } of outcomes) {
      if (first.delivered && chance(ctx, config.webhookFaults.duplicate)) {
        await recordDuplicate(ctx, delivery, await attempt(delivery, first.requestBody));
      }
    }
  };

  const loop = startLoop(
    'webhook',
    async () => {
      const lane = async () => {
        for (;;) {
          const batch = await claimDueDeliveries(ctx, dialects, options.batchSize, leaseMs);
          if (batch.length === 0) return;
          if (batch.length === options.batchSize) statistics.backlogSeen();
          await deliverBatch(batch);
        }
      };
      await Promise.all(Array.from({ length: LANES }, lane));
    },
    options.pollMs,
    logger,
  );
  return { wake: loop.wake, flush: loop.run, stop: loop.stop };
}
