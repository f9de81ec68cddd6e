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

/** The statuses a merchant is notified of when a refund reaches them (preview and cancelled pass silently). */
export const NOTIFIED_REFUND_STATUSES: readonly RefundStatus[] = ['created', 'pending', 'success', 'failure'];

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
