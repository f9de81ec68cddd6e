import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/schema.js';
import { insertRows } from '../db/insert-rows.js';
import { toJson } from '../db/json.js';
import { apply, settle, settlingConfirmations, type InvoiceFacts, type LifecycleEvent, type LifecycleState, type Step } from '../domain/lifecycle.js';
import { acceptedSats } from '../domain/money.js';
import { chainViewOf, confirmations } from './chain.js';
import type { EngineContext } from './context.js';
import { type DomainEvent } from './events.js';
import { creditCompletedInvoices } from './ledger.js';
import type { ChainTransaction, Invoice } from './entities.js';
import { publish } from './publish.js';

export interface Reconciled {
  invoice: Invoice;
  steps: Step[];
}

/** What the state machine needs to know about one invoice. */
export function invoiceFacts(ctx: EngineContext, invoice: Invoice, transactions: ChainTransaction[], tipHeight: number, now: number): InvoiceFacts {
  const totalSats = invoice.subtotal_sats + invoice.miner_fee_sats;
  return {
    totalSats,
    acceptedSats: acceptedSats(totalSats, invoice.payment_tolerance),
    expirationTime: invoice.expiration_time,
    speed: invoice.transaction_speed,
    now,
    invalidAfterMs: ctx.config.invalidAfterMs,
    payments: transactions.map((tx) => ({
      amountSats: tx.amount_sats,
      confirmations: confirmations(tx, tipHeight),
      receivedAt: tx.received_at,
      rbf: tx.rbf,
      doubleSpent: tx.double_spent_at !== null,
    })),
  };
}

export interface History {
  invoice: Invoice;
  steps: Step[];
  detail?: Record<string, unknown>;
}

/**
 * The one place transitions are recorded, in the caller's transaction: each step is appended to
 * the invoice's history, a completed invoice is credited to its merchant's ledger, and the steps
 * are published to the dialects' subscribers.
 */
export async function recordSteps(db: Db, ctx: EngineContext, histories: History[], at: number): Promise<void> {
  const events = histories.flatMap(({ invoice, steps, detail }) =>
    steps.map((step) => ({
      invoice_id: invoice.id,
      type: step.event,
      from_status: step.from,
      to_status: step.to,
      exception_status: step.exception,
      detail: toJson(detail ?? {}),
      occurred_at: at,
    })),
  );
  if (events.length === 0) return;
  await insertRows(db, 'invoice_events', events);
  await creditCompletedInvoices(db, ctx, histories, at);
  const changes = histories.flatMap(({ invoice, steps }) => steps.map((step) => ({ type: 'invoice-changed' as const, invoice, step })));
  await publish(db, ctx, changes, at);
}

/**
 * Appends a refund's change of status to its invoice's history, in the caller's transaction; the
 * invoice's own status is unchanged by it (a declined invoice is a step of its own).
 */
export async function recordRefundChange(db: Db, invoice: Invoice, refund: { id: string; status: string }, at: number): Promise<void> {
  await db
    .insertInto('invoice_events')
    .values({
      invoice_id: invoice.id,
      type: `refund-${refund.status}`,
      from_status: invoice.status,
      to_status: invoice.status,
      exception_status: invoice.exception_status,
      detail: toJson({ refund: refund.id, refundStatus: refund.status }),
      occurred_at: at,
    })
    .execute();
}

/**
 * Brings locked invoices up to date with the chain and the clock: runs the state machine and
 * writes the new state, due time and events, all in the caller's transaction.
 */
export async function reconcile(trx: Transaction<Database>, ctx: EngineContext, invoices: Invoice[]): Promise<Reconciled[]> {
  if (invoices.length === 0) return [];
  const now = ctx.clock.now();
  const { tipHeight, transactions } = await chainViewOf(trx, invoices.map((i) => i.id));
  const results: Reconciled[] = [];
  const updates: { id: string; status: string; exception: string | null; paid: number; due: number | null }[] = [];
  for (const invoice of invoices) {
    const facts = invoiceFacts(ctx, invoice, transactions.get(invoice.id) ?? [], tipHeight, now);
    const settled = settle({ status: invoice.status, exception: invoice.exception_status }, facts);
    // A due time that is already past would make the scheduler spin; nothing is pending then.
    const due = settled.dueAt !== null && settled.dueAt > now ? settled.dueAt : null;
    updates.push({ id: invoice.id, status: settled.state.status, exception: settled.state.exception, paid: settled.amountPaidSats, due });
    results.push({
      invoice: {
        ...invoice,
        status: settled.state.status,
        exception_status: settled.state.exception,
        amount_paid_sats: settled.amountPaidSats,
        due_at: due,
      },
      steps: settled.steps,
    });
  }
  await sql`
    UPDATE invoices AS i
    SET status = v.status, exception_status = v.exception, amount_paid_sats = v.paid, due_at = v.due
    FROM json_to_recordset(${JSON.stringify(updates)}::json) AS v (id text, status text, exception text, paid bigint, due bigint)
    WHERE i.id = v.id`.execute(trx);
  await settlePayments(trx, ctx, results, transactions, tipHeight, now);
  await recordSteps(trx, ctx, results, now);
  return results;
}

/**
 * Stamps the payments that reached their invoice's speed policy since they were last looked at,
 * and tells the subscribers, once each, before the invoice's own steps.
 */
async function settlePayments(
  trx: Transaction<Database>,
  ctx: EngineContext,
  reconciled: Reconciled[],
  transactions: Map<string, ChainTransaction[]>,
  tipHeight: number,
  now: number,
): Promise<void> {
  const events: DomainEvent[] = [];
  for (const { invoice } of reconciled) {
    const payments = transactions.get(invoice.id) ?? [];
    for (const payment of payments) {
      if (payment.settled_at !== null || payment.double_spent_at !== null) continue;
      if (confirmations(payment, tipHeight) < settlingConfirmations({ speed: invoice.transaction_speed, rbf: payment.rbf })) continue;
      events.push({ type: 'payment-settled', invoice, payment: { ...payment, settled_at: now }, late: payment.received_at > invoice.expiration_time });
    }
  }
  if (events.length === 0) return;
  const txids = events.map((event) => (event as { payment: ChainTransaction }).payment.txid);
  await trx.updateTable('chain_transactions').set({ settled_at: now }).where('txid', 'in', txids).execute();
  await publish(trx, ctx, events, now);
}

/** Applies a merchant command (cancel, refund) through the state machine; 'refused' if the status forbids it. */
export function command(invoice: Invoice, event: LifecycleEvent) {
  const state: LifecycleState = { status: invoice.status, exception: invoice.exception_status };
  return apply(state, event, { speed: invoice.transaction_speed, rbf: false });
}

const BATCH = 500;

/**
 * Reconciles every invoice whose due time has come, in batches claimed with
 * FOR UPDATE SKIP LOCKED (several processes share the work, none does it twice). The cost
 * follows the due work: invoices_due is a partial index on due_at.
 */
export async function drainDueWork(ctx: EngineContext): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock.now();
    const done = await ctx.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('invoices')
        .selectAll()
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      await reconcile(trx, ctx, due);
      return due.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}
