import type { InvoiceStatus, TransactionSpeed } from '../../domain/invoice.js';
import type { Step } from '../../domain/lifecycle.js';
import type { PayoutStatus, RecipientStatus } from '../../domain/payouts.js';
import type { RefundStatus } from '../../domain/refund.js';

/** BitPay's invoice webhook codes (BITPAY-WIRE §5.3). */
export const INVOICE_EVENTS = {
  paidInFull: { code: 1003, name: 'invoice_paidInFull' },
  expired: { code: 1004, name: 'invoice_expired' },
  confirmed: { code: 1005, name: 'invoice_confirmed' },
  completed: { code: 1006, name: 'invoice_completed' },
  manuallyNotified: { code: 1012, name: 'invoice_manuallyNotified' },
  failedToConfirm: { code: 1013, name: 'invoice_failedToConfirm' },
  refundComplete: { code: 1016, name: 'invoice_refundComplete' },
  declined: { code: 1019, name: 'invoice_declined' },
} as const;

export type WebhookEvent = { code: number; name: string };

/** BitPay's refund webhooks (BITPAY-WIRE §5.3), by the status they announce. */
export const REFUND_EVENTS: Partial<Record<RefundStatus, WebhookEvent>> = {
  created: { code: 7001, name: 'refund_created' },
  pending: { code: 7002, name: 'refund_pending' },
  success: { code: 7003, name: 'refund_success' },
  failure: { code: 7004, name: 'refund_failure' },
};

/** BitPay's payout webhooks (BITPAY-WIRE §5.3), by the status they announce; a failed payout has no code. */
export const PAYOUT_EVENTS: Partial<Record<PayoutStatus, WebhookEvent>> = {
  funded: { code: 5001, name: 'payout_funded' },
  processing: { code: 5002, name: 'payout_processing' },
  complete: { code: 5003, name: 'payout_completed' },
  cancelled: { code: 5004, name: 'payout_cancelled' },
};
export const PAYOUT_MANUALLY_NOTIFIED: WebhookEvent = { code: 5005, name: 'payout_manuallyNotified' };

/** BitPay's recipient webhooks (BITPAY-WIRE §5.3), by the status they announce. */
export const RECIPIENT_EVENTS: Record<RecipientStatus, WebhookEvent> = {
  invited: { code: 4001, name: 'recipient_invited' },
  unverified: { code: 4002, name: 'recipient_unverified' },
  verified: { code: 4003, name: 'recipient_verified' },
  active: { code: 4004, name: 'recipient_active' },
  paused: { code: 4005, name: 'recipient_paused' },
  removed: { code: 4006, name: 'recipient_removed' },
};
export const RECIPIENT_MANUALLY_NOTIFIED: WebhookEvent = { code: 4007, name: 'recipient_manuallyNotified' };

const FOR_STATUS: Partial<Record<InvoiceStatus, WebhookEvent>> = {
  paid: INVOICE_EVENTS.paidInFull,
  confirmed: INVOICE_EVENTS.confirmed,
  complete: INVOICE_EVENTS.completed,
  expired: INVOICE_EVENTS.expired,
  invalid: INVOICE_EVENTS.failedToConfirm,
  declined: INVOICE_EVENTS.declined,
};

/** The webhooks sent without extendedNotifications when fullNotifications is on (BitPay's default). */
const FULL_SET = new Set<number>([1003, 1005, 1006]);

export interface NotificationSettings {
  fullNotifications: boolean;
  extendedNotifications: boolean;
  speed: TransactionSpeed;
}

/**
 * The webhook a step causes, if any: every status change with extendedNotifications; paid,
 * confirmed and complete with fullNotifications; otherwise only the one that tells the merchant
 * to ship (confirmed, or complete for low speed). Exception-only steps send nothing.
 */
export function webhookForStep(step: Step, settings: NotificationSettings): WebhookEvent | null {
  if (step.from === step.to) return null;
  const event = FOR_STATUS[step.to];
  if (!event) return null;
  if (settings.extendedNotifications) return event;
  if (settings.fullNotifications) return FULL_SET.has(event.code) ? event : null;
  const shipWhen = settings.speed === 'low' ? INVOICE_EVENTS.completed : INVOICE_EVENTS.confirmed;
  return event.code === shipWhen.code ? event : null;
}

/** Delays after each failed attempt (BitPay: 1, 4, 9, 16, 25 minutes, then it gives up). */
export const RETRY_DELAYS_MS = [1, 4, 9, 16, 25].map((minutes) => minutes * 60_000);

/** When to try again after `attempts` failed attempts, or null to give up. */
export function nextAttemptDelay(attempts: number): number | null {
  return RETRY_DELAYS_MS[attempts - 1] ?? null;
}
