import { Decimal } from './money.js';

/** What a ledger entry records; each dialect names it in its own words (BitPay: codes 1000, 1023…). */
export const LEDGER_ENTRY_KINDS = ['invoice', 'invoice-fee', 'refund', 'refund-fee', 'payout', 'payout-fee', 'payout-return', 'settlement', 'deposit'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** `percent` of `amount`, rounded half-up to the currency's minor unit (a processing fee). */
export function feeOf(amount: Decimal.Value, percent: Decimal.Value, decimals: number): Decimal {
  return new Decimal(amount).mul(percent).div(100).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
}
