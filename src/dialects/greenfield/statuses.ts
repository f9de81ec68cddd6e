import type { ExceptionStatus, InvoiceStatus, TransactionSpeed } from '../../domain/invoice.js';

/** The one mapping between the engine's statuses and Greenfield's. */
export const STATUS: Record<InvoiceStatus, GreenfieldStatus> = {
  new: 'New',
  paid: 'Processing',
  confirmed: 'Settled',
  complete: 'Settled',
  expired: 'Expired',
  invalid: 'Invalid',
  declined: 'Invalid',
};
export const GREENFIELD_STATUSES = ['New', 'Processing', 'Settled', 'Expired', 'Invalid'] as const;
export type GreenfieldStatus = (typeof GREENFIELD_STATUSES)[number];

export const ADDITIONAL_STATUS: Record<ExceptionStatus, string> = {
  paidPartial: 'PaidPartial',
  paidOver: 'PaidOver',
  paidLate: 'PaidLate',
  marked: 'Marked',
};

/** The engine statuses a Greenfield status filter stands for. */
export function engineStatuses(status: GreenfieldStatus): InvoiceStatus[] {
  return (Object.keys(STATUS) as InvoiceStatus[]).filter((s) => STATUS[s] === status);
}

export const SPEED_POLICY: Record<TransactionSpeed, string> = {
  high: 'HighSpeed',
  medium: 'MediumSpeed',
  lowMedium: 'LowMediumSpeed',
  low: 'LowSpeed',
};

export function speedOfPolicy(policy: string): TransactionSpeed | undefined {
  return (Object.keys(SPEED_POLICY) as TransactionSpeed[]).find((speed) => SPEED_POLICY[speed] === policy);
}

/** The on-chain bitcoin payment method under its 1.x and 2.x names (BTCPay 2.0 renamed BTC to BTC-CHAIN). */
const BTC_METHOD_IDS = ['BTC', 'BTC-CHAIN', 'BTC_CHAIN', 'BTC-OnChain'] as const;

export function isBitcoinMethod(id: string): boolean {
  return (BTC_METHOD_IDS as readonly string[]).some((known) => known.toLowerCase() === id.toLowerCase());
}
