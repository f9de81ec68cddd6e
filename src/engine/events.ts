import type { Db } from '../db/schema.js';
import type { Step } from '../domain/lifecycle.js';
import type { Bill } from './bills.js';
import type { ChainTransaction } from './chain.js';
import type { EngineContext } from './context.js';
import type { Invoice } from './invoices.js';
import type { Refund } from './refunds.js';
import type { Payout } from './payouts.js';
import type { PayoutRecipient } from './payout-recipients.js';

/**
 * What happened, as the engine tells the dialects. Each event carries the entities as they are
 * after the change; subscribers turn events into their own webhooks.
 */
export type DomainEvent =
  /** A new invoice exists. */
  | { type: 'invoice-created'; invoice: Invoice }
  /** A payment to the invoice's address was seen (`late`: after the invoice expired). */
  | { type: 'payment-received'; invoice: Invoice; payment: ChainTransaction; late: boolean }
  /** A payment reached the confirmations the invoice's speed policy asks for. */
  | { type: 'payment-settled'; invoice: Invoice; payment: ChainTransaction; late: boolean }
  /** The invoice changed status, or its exception status within one (a recorded lifecycle step). */
  | { type: 'invoice-changed'; invoice: Invoice; step: Step }
  /** The merchant asked to be notified of the invoice again, as it is now. */
  | { type: 'invoice-notification-requested'; invoice: Invoice }
  /** A refund reached a status its merchant is told about (created, pending, success, failure). */
  | { type: 'refund-changed'; invoice: Invoice; refund: Refund }
  /** The merchant asked to be notified of the refund's current status again. */
  | { type: 'refund-notification-requested'; invoice: Invoice; refund: Refund }
  /** A refund of the invoice was sent to the buyer. */
  | { type: 'invoice-refunded'; invoice: Invoice; refund: Refund }
  /** A bill was drafted, or cancelled while a draft (an issued bill's changes are its invoice's). */
  | { type: 'bill-changed'; bill: Bill; change: 'created' | 'cancelled' }
  /** A payout recipient reached a status (invited, active, removed…). */
  | { type: 'recipient-changed'; recipient: PayoutRecipient }
  /** The merchant asked to be notified of the recipient again, as it is now. */
  | { type: 'recipient-notification-requested'; recipient: PayoutRecipient }
  /** A payout reached a status (funded, processing, complete, cancelled, failed). */
  | { type: 'payout-changed'; payout: Payout }
  /** The merchant asked to be notified of the payout again, as it is now. */
  | { type: 'payout-notification-requested'; payout: Payout };

/** The events about an invoice. */
export type InvoiceEvent = Extract<DomainEvent, { invoice: Invoice }>;

export type DomainEventType = DomainEvent['type'];

/** A dialect's subscriber: queues its deliveries for the events, in the caller's transaction. */
export interface EventSubscriber {
  /**
   * Whether events of this type can turn into deliveries now. Where no subscriber listens, the
   * engine need not publish them at all, nor open the transaction publishing them would need.
   */
  listensTo(ctx: EngineContext, type: DomainEventType): Promise<boolean>;
  queue(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void>;
}

/** Whether any served dialect's subscriber listens to events of this type now. */
export async function anyoneListensTo(ctx: EngineContext, type: DomainEventType): Promise<boolean> {
  for (const subscriber of ctx.subscribers) if (await subscriber.listensTo(ctx, type)) return true;
  return false;
}

/**
 * Hands events to every subscriber in the transaction that caused them, so that webhooks exist
 * if and only if the change committed.
 */
export async function publish(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void> {
  if (events.length === 0) return;
  for (const subscriber of ctx.subscribers) await subscriber.queue(db, ctx, events, at);
}
