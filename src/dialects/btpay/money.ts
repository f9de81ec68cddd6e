import { Decimal } from '../../domain/money.js';
import { findCurrency } from '../../fixtures.js';

/**
 * An amount in a currency as seed 001 writes it: to the currency's minor unit ("220.00", or more
 * places where a unit price has them), and zero as "0" (as in its examples).
 */
export function money(amount: Decimal.Value, currency: string): string {
  const value = new Decimal(amount);
  return value.isZero() ? '0' : value.toFixed(Math.max(findCurrency(currency)?.decimals ?? 2, value.decimalPlaces()));
}

/** A decimal as given, without exponent or trailing zeros ("2", "0.5"). */
export function plain(value: Decimal.Value): string {
  return new Decimal(value).toFixed();
}
