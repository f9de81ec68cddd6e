import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { insertRows } from '../db/insert-rows.js';
import { toJson } from '../db/json.js';
import { base58Text } from '../domain/ids.js';
import type { EngineContext } from '../engine/context.js';
import { notFound } from '../errors.js';
import type { Attempt, Delivery } from './delivery.js';
import type { WebhookFormats } from './format.js';

/** A webhook a dialect's subscriber wants sent. */
export interface NewDelivery {
  dialect: string;
  /** null: about a bill that has no invoice yet (billId) */
  invoiceId: string | null;
  billId?: string;
  refundId?: string;
  payoutId?: string;
  recipientId?: string;
  /** Deliveries of one stream go out in order (default: the invoice's, else the bill's). */
  stream?: string;
  url: string;
  event: { code: number | null; name: string };
  /** Which of the dialect's envelopes the body takes (e.g. an extended `{event, data}` form). */
  extended: boolean;
  signingKey: string;
  /** The subscription it goes to, for dialects with subscriptions. */
  subscriptionId?: string;
  /** The event's data as it is now, for formats that send that rather than the state at send time. */
  payload?: Record<string, unknown>;
  /** false: a failed attempt is not retried (default true). */
  retries?: boolean;
}

/**
 * Puts deliveries in the outbox, in the caller's transaction: they exist if and only if the
 * change that caused them committed.
 */
export async function queueDeliveries(db: Db, ctx: EngineContext, deliveries: NewDelivery[], now: number): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries.map((d) => ({
    id: base58Text(ctx.random, 22),
    dialect: d.dialect,
    kind: d.refundId ? ('refund' as const) : d.payoutId ? ('payout' as const) : d.recipientId ? ('recipient' as const) : ('invoice' as const),
    invoice_id: d.invoiceId,
    bill_id: d.billId ?? null,
    payout_id: d.payoutId ?? null,
    recipient_id: d.recipientId ?? null,
    refund_id: d.refundId ?? null,
    stream: d.stream ?? d.invoiceId ?? d.billId ?? d.payoutId ?? d.recipientId ?? 'merchant',
    url: d.url,
    event_code: d.event.code,
    event_name: d.event.name,
    extended: d.extended,
    signing_key: d.signingKey,
    subscription_id: d.subscriptionId ?? null,
    payload: d.payload === undefined ? null : toJson(d.payload),
    original_delivery_id: null,
    retries: d.retries ?? true,
    status: 'pending' as const,
    next_attempt_at: now + ctx.config.webhookFaults.delayMs,
    lease_until: null,
    created_at: now,
    delivered_at: null,
  }));
  await insertRows(db, 'webhook_deliveries', rows);
}

/**
 * Leases up to `limit` due deliveries of the given dialects for `leaseMs` of wall-clock time.
 * Only the oldest pending delivery of a stream is due (per-invoice order), or the newest under
 * the reorder fault. A worker that dies leaves its lease to run out, and another takes the
 * delivery over.
 */
export async function claimDueDeliveries(ctx: EngineContext, dialects: string[], limit: number, leaseMs: number): Promise<Delivery[]> {
  if (dialects.length === 0) return [];
  const now = ctx.clock.now();
  const wallNow = Date.now();
  const before = ctx.config.webhookFaults.reorder ? sql`e.seq > d.seq` : sql`e.seq < d.seq`;
  const { rows } = await sql<Delivery>`
    UPDATE webhook_deliveries SET lease_until = ${wallNow + leaseMs}
    WHERE id IN (
      SELECT d.id FROM webhook_deliveries d
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND d.dialect IN (${sql.join(dialects)})
        AND (d.lease_until IS NULL OR d.lease_until < ${wallNow})
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e WHERE e.stream = d.stream AND e.status = 'pending' AND ${before}
        )
      ORDER BY d.next_attempt_at, d.seq
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(ctx.db);
  return rows.sort((a, b) => a.seq - b.seq);
}

export interface AttemptRecord {
  startedAt: number;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
  delivered: boolean;
}

function attemptRow(deliveryId: string, number: number, attempt: AttemptRecord) {
  return {
    delivery_id: deliveryId,
    number,
    started_at: attempt.startedAt,
    request_headers: toJson(attempt.requestHeaders),
    request_body: attempt.requestBody,
    response_status: attempt.responseStatus,
    response_body: attempt.responseBody,
    duration_ms: attempt.durationMs,
    error: attempt.error,
    delivered: attempt.delivered,
  };
}

/**
 * Logs the attempts of a batch and moves each delivery on: delivered, retried on its dialect's
 * schedule, or given up. One transaction for the whole batch.
 */
export async function recordAttempts(ctx: EngineContext, formats: WebhookFormats, outcomes: { delivery: Delivery; attempt: AttemptRecord }[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = ctx.clock.now();
  const updates = outcomes.map(({ delivery, attempt }) => {
    const attempts = delivery.attempts + 1;
    const delay = delivery.retries ? (formats.get(delivery.dialect)?.retryDelayMs(attempts, attempt.responseStatus) ?? null) : null;
    const status = attempt.delivered ? 'delivered' : delay === null ? 'failed' : 'pending';
    return {
      id: delivery.id,
      attempts,
      status,
      next: status === 'pending' ? now + (delay as number) : delivery.next_attempt_at,
      delivered_at: attempt.delivered ? now : null,
    };
  });
  await ctx.db.transaction().execute(async (trx) => {
    await insertRows(trx, 'webhook_attempts', outcomes.map(({ delivery, attempt }) => attemptRow(delivery.id, delivery.attempts + 1, attempt)));
    await sql`
      UPDATE webhook_deliveries AS d
      SET attempts = v.attempts, status = v.status, next_attempt_at = v.next, delivered_at = v.delivered_at, lease_until = NULL
      FROM json_to_recordset(${JSON.stringify(updates)}::json) AS v (id text, attempts int, status text, next bigint, delivered_at bigint)
      WHERE d.id = v.id AND d.status = 'pending'`.execute(trx);
  });
}

/** Logs an extra copy sent by the duplicate fault; the delivery itself is already done. */
export async function recordDuplicate(ctx: EngineContext, delivery: Delivery, attempt: AttemptRecord): Promise<void> {
  const { number } = await ctx.db
    .selectFrom('webhook_attempts')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('delivery_id', '=', delivery.id)
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('webhook_attempts')
    .values(attemptRow(delivery.id, (number ?? 0) + 1, { ...attempt, error: 'duplicate sent by WEBHOOK_FAULTS' }))
    .execute();
}

/**
 * Sends a delivery again now, whatever became of it, with a fresh retry schedule. A delivery to
 * a subscription is repeated as a new delivery of the same event (its subscriber tells
 * deliveries apart by id); one to an invoice's own URL is sent again as itself.
 */
export async function redeliver(ctx: EngineContext, id: string): Promise<Delivery> {
  const found = await ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!found) throw notFound('request', `Webhook delivery ${id} not found`);
  if (found.subscription_id !== null) return repeatDelivery(ctx, found);
  return ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: ctx.clock.now(), lease_until: null, delivered_at: null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A new delivery that repeats another (a dialect's redelivery: a new id, the same event), due
 * now, with a fresh retry schedule. It names the first delivery of the event it repeats.
 */
async function repeatDelivery(ctx: EngineContext, original: Delivery): Promise<Delivery> {
  const { seq: _seq, ...copy } = original;
  const now = ctx.clock.now();
  return ctx.db
    .insertInto('webhook_deliveries')
    .values({
      ...copy,
      id: base58Text(ctx.random, 22),
      payload: original.payload === null ? null : toJson(original.payload),
      original_delivery_id: original.original_delivery_id ?? original.id,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      created_at: now,
      delivered_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface DeliveryFilter {
  invoiceId?: string;
  subscriptionId?: string;
  status?: Delivery['status'];
  /** found in the URL (case-insensitive) */
  url?: string;
  /** the dialect's event name, e.g. invoice_paidInFull or InvoiceSettled */
  event?: string;
  limit: number;
  offset?: number;
}

/** The delivery log, newest first. */
export async function listDeliveries(db: Db, filter: DeliveryFilter): Promise<Delivery[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset ?? 0);
  if (filter.invoiceId) query = query.where('invoice_id', '=', filter.invoiceId);
  if (filter.subscriptionId) query = query.where('subscription_id', '=', filter.subscriptionId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.url) query = query.where('url', 'ilike', `%${filter.url.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.event) query = query.where('event_name', '=', filter.event);
  return query.execute();
}

export async function attemptsOf(db: Db, deliveryIds: string[]): Promise<Map<string, Attempt[]>> {
  const byDelivery = new Map<string, Attempt[]>(deliveryIds.map((id) => [id, []]));
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('id').execute();
  for (const row of rows) byDelivery.get(row.delivery_id)?.push(row);
  return byDelivery;
}
