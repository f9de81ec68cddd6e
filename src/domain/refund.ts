import { Decimal, SATS_PER_BTC, satsToCurrency } from './money.js';

export const REFUND_STATUSES = ['preview', 'created', 'pending', 'success', 'failure', 'cancelled'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** The refund's own lifecycle; `from` → allowed `to`. */
const NEXT: Record<RefundStatus, RefundStatus[]> = {
  preview: ['created', 'cancelled'],
  created: ['pending', 'cancelled', 'failure'],
  pending: ['success', 'failure', 'cancelled'],
  success: [],
  failure: [],
  cancelled: [],
};

export function canMove(from: RefundStatus, to: RefundStatus): boolean {
  return NEXT[from].includes(to);
}

/** Refund statuses that count as the invoice's one active refund request. */
export const ACTIVE_REFUND_STATUSES: RefundStatus[] = ['created', 'pending'];

/** BitPay's refund webhooks (BITPAY-WIRE §5.3), by the status they announce. */
export const REFUND_EVENTS: Partial<Record<RefundStatus, { code: number; name: string }>> = {
  created: { code: 7001, name: 'refund_created' },
  pending: { code: 7002, name: 'refund_pending' },
  success: { code: 7003, name: 'refund_success' },
  failure: { code: 7004, name: 'refund_failure' },
};

export interface RefundAmounts {
  /** What leaves the merchant's wallet, in satoshis. */
  transactionAmountSats: number;
  /** The network fee, in satoshis and in the refund currency. */
  feeSats: number;
  refundFee: number;
}

/**
 * The bitcoin side of a refund of `amount` at the invoice's rate (currency units per BTC):
 * rounded down to the satoshi so no more than asked is sent. With buyerPaysRefundFee the network
 * fee comes out of it; null when the fee is more than the amount (BitPay's 010208).
 */
export function refundAmounts(amount: Decimal.Value, rate: Decimal.Value, decimals: number, feeSats: number, buyerPaysFee: boolean): RefundAmounts | null {
  const amountSats = new Decimal(amount).div(rate).mul(SATS_PER_BTC).toDecimalPlaces(0, Decimal.ROUND_FLOOR).toNumber();
  const transactionAmountSats = buyerPaysFee ? amountSats - feeSats : amountSats;
  if (transactionAmountSats <= 0) return null;
  return { transactionAmountSats, feeSats, refundFee: satsToCurrency(feeSats, rate, decimals) };
}
