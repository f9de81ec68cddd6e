import { Decimal } from 'decimal.js';

/** Money arithmetic: decimal.js for prices and rates, integer satoshis for bitcoin. Never floats. */

export const SATS_PER_BTC = new Decimal(100_000_000);
/** No invoice may ask for more bitcoin than will ever exist (and satoshi counts stay exact in JS). */
export const MAX_INVOICE_SATS = 21_000_000 * 100_000_000;

export { Decimal };

/**
 * Satoshis that pay `price` at `rate` (price-currency units per BTC), rounded up to the next
 * satoshi so the merchant never receives less than the price.
 */
export function priceToSats(price: Decimal.Value, rate: Decimal.Value): Decimal {
  return new Decimal(price).div(rate).mul(SATS_PER_BTC).toDecimalPlaces(0, Decimal.ROUND_CEIL);
}

/** Satoshis as a BTC amount string in BitPay's style: no exponent, no trailing zeros ("0.000679", "0"). */
export function satsToBtc(sats: number): string {
  return new Decimal(sats).div(SATS_PER_BTC).toFixed();
}

/** Satoshis converted to a currency at `rate`, rounded half-up to the currency's decimals. */
export function satsToCurrency(sats: number, rate: Decimal.Value, decimals: number): number {
  return new Decimal(sats).div(SATS_PER_BTC).mul(rate).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toNumber();
}

export interface InvoiceAmounts {
  subtotalSats: number;
  minerFeeSats: number;
  totalSats: number;
}

/** What the buyer pays: the price in satoshis plus the network cost (BitPay's minerFees.totalFee). */
export function invoiceAmounts(price: Decimal.Value, rate: Decimal.Value, minerFeeSats: number): InvoiceAmounts {
  const subtotal = priceToSats(price, rate);
  return {
    subtotalSats: subtotal.toNumber(),
    minerFeeSats,
    totalSats: subtotal.plus(minerFeeSats).toNumber(),
  };
}

/** Significant digits a cross rate keeps when rounding to the quote's places would make it 0 (1 IDR in USD). */
const RATE_SIGNIFICANT_DIGITS = 6;

/**
 * Rate of `quote` per unit of `base`, both given per BTC, rounded to `decimals` places, or to
 * six significant digits when those places would make it 0.
 */
export function crossRate(basePerBtc: Decimal.Value, quotePerBtc: Decimal.Value, decimals: number): number {
  const rate = new Decimal(quotePerBtc).div(basePerBtc);
  const rounded = rate.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return (rounded.isZero() ? rate.toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_UP) : rounded).toNumber();
}

/** A decimal number as people write it ("65000", "0.0001"): no sign, exponent, hex, "_" or bare ".5". */
export function isPlainDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text);
}

/** A BTC amount ("0.0001" or 0.0001) in satoshis; null unless it is a positive whole number of satoshis. */
export function btcToSats(btc: unknown): number | null {
  if (typeof btc !== 'number' && !(typeof btc === 'string' && isPlainDecimal(btc))) return null;
  let sats: Decimal;
  try {
    sats = new Decimal(btc).mul(SATS_PER_BTC);
  } catch {
    return null;
  }
  if (!sats.isFinite() || !sats.isInteger() || sats.lte(0) || sats.gt(MAX_INVOICE_SATS)) return null;
  return sats.toNumber();
}

/** `percent` of `sats`, rounded half-up, at least one satoshi. */
export function percentOfSats(sats: number, percent: number): number {
  return Math.max(1, new Decimal(sats).mul(percent).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
}

/**
 * The least that counts as paying `totalSats` in full when `tolerancePercent` of it may be
 * missing: rounded up, so a tolerance never accepts less than it says.
 */
export function acceptedSats(totalSats: number, tolerancePercent: Decimal.Value): number {
  return new Decimal(totalSats).mul(new Decimal(100).minus(tolerancePercent)).div(100).toDecimalPlaces(0, Decimal.ROUND_CEIL).toNumber();
}
