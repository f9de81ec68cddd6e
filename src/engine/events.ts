import type { Step } from '../domain/lifecycle.js';
import type { Bill, ChainTransaction, Invoice, Payout, PayoutRecipient, Refund } from './entities.js';

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
