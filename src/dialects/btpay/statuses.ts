import type { BillState } from '../../domain/bill.js';
import type { InvoiceStatus } from '../../domain/invoice.js';

/** Seed 001's invoice statuses. */
export const BTPAY_STATUSES = ['draft', 'pending', 'partial', 'paid', 'confirmed', 'expired', 'cancelled'] as const;
export type BtpayStatus = (typeof BTPAY_STATUSES)[number];

/**
 * The one status table: what each engine state of a bill reads as. The seed has no invalid
 * invoice: a payment that never confirmed (or was double-spent) leaves the quote lapsed, so it
 * reads `expired`; an invoice cancelled after payment (declined) reads `cancelled`.
 */
export const STATUS: Record<BillState, BtpayStatus> = {
  draft: 'draft',
  open: 'pending',
  partlyPaid: 'partial',
  paid: 'paid',
  confirmed: 'confirmed',
  complete: 'confirmed',
  expired: 'expired',
  invalid: 'expired',
  cancelled: 'cancelled',
};

/** The engine states a status filter stands for. */
export function statesOf(status: BtpayStatus): BillState[] {
  return (Object.keys(STATUS) as BillState[]).filter((state) => STATUS[state] === status);
}

/** The status an engine invoice status reads as, for the checkout page's words (no bill state there). */
export const INVOICE_STATUS: Record<InvoiceStatus, BtpayStatus> = {
  new: 'pending',
  paid: 'paid',
  confirmed: 'confirmed',
  complete: 'confirmed',
  expired: 'expired',
  invalid: 'expired',
  declined: 'cancelled',
};

export const INVOICE_EVENTS = ['invoice.created', 'invoice.paid', 'invoice.confirmed', 'invoice.expired', 'invoice.cancelled'] as const;
export const PAYMENT_EVENTS = ['payment.received', 'payment.confirmed'] as const;
export type BtpayEvent = (typeof INVOICE_EVENTS)[number] | (typeof PAYMENT_EVENTS)[number];

/**
 * The invoice events a status change is told by: each status once, reaching `confirmed` straight
 * from `pending` is `paid` then `confirmed` (a wire marked received, a high-speed payment).
 */
export function eventsForChange(from: InvoiceStatus, to: InvoiceStatus, cancelled: boolean): BtpayEvent[] {
  const before = INVOICE_STATUS[from];
  const after = cancelled ? 'cancelled' : INVOICE_STATUS[to];
  if (before === after) return [];
  switch (after) {
    case 'paid':
      return ['invoice.paid'];
    case 'confirmed':
      return before === 'paid' ? ['invoice.confirmed'] : ['invoice.paid', 'invoice.confirmed'];
    case 'expired':
      return ['invoice.expired'];
    case 'cancelled':
      return ['invoice.cancelled'];
    default:
      return [];
  }
}
