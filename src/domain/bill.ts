import { Decimal } from './money.js';

/** A bill: a numbered, line-itemed request for payment, drafted before it can be paid. No I/O here. */

export interface BillLine {
  /** an id of its own, for dialects that name items */
  id?: string;
  description: string;
  /** decimal strings */
  quantity: string;
  unitPrice: string;
}

export interface BillCustomer {
  email?: string;
  name?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phone?: string;
  /** who else receives it */
  cc?: string[];
}

/** How a bill may be paid: bitcoin on chain, or a bank transfer that the merchant marks received. */
export const BILL_PAYMENT_METHODS = ['onchain_btc', 'wire'] as const;
export type BillPaymentMethod = (typeof BILL_PAYMENT_METHODS)[number];

/**
 * Where a bill stands: `draft` and `cancelled` are the bill's own; once issued, the rest come
 * from its invoice (`open`: nothing paid yet, `partlyPaid`: less than the total).
 */
export const BILL_STATES = ['draft', 'open', 'partlyPaid', 'paid', 'confirmed', 'complete', 'expired', 'invalid', 'cancelled'] as const;
export type BillState = (typeof BILL_STATES)[number];

export interface BillTotals {
  lines: { amount: Decimal }[];
  subtotal: Decimal;
  taxAmount: Decimal;
  discount: Decimal;
  total: Decimal;
}

/**
 * The rounding rule: each line is quantity × unit price rounded half-up to the currency's minor
 * unit; the subtotal is their sum; tax is `taxRate` % of the subtotal less the discount, rounded
 * half-up; the total is subtotal − discount + tax.
 */
export function billTotals(lines: readonly BillLine[], taxRate: Decimal.Value, discount: Decimal.Value, decimals: number): BillTotals {
  const amounts = lines.map((line) => ({
    amount: new Decimal(line.quantity).mul(line.unitPrice).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP),
  }));
  const subtotal = amounts.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
  const discounted = subtotal.minus(discount);
  const taxAmount = discounted.mul(taxRate).div(100).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return { lines: amounts, subtotal, taxAmount, discount: new Decimal(discount), total: discounted.plus(taxAmount) };
}

/** A URL slug from a title: lower-case ASCII letters and digits joined by single hyphens ("link" when none are left). */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'link';
}

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A bill to draft, in the engine's words: each dialect maps its request onto this, and a subscription keeps one as its template. */
export interface NewBill {
  /** The merchant's default currency when absent. */
  currency?: string;
  lines: BillLine[];
  /** percent, a decimal string */
  taxRate?: string;
  /** in the bill's currency, a decimal string */
  discount?: string;
  customer: BillCustomer;
  notes?: string;
  paymentMethods: BillPaymentMethod[];
  metadata: Record<string, unknown>;
  paymentLinkId?: string;
  redirectUrl?: string;
  /** the merchant's own number for it */
  reference?: string;
  dueDate?: number;
  passProcessingFee?: boolean;
  /** the facade of the token that made it, for dialects that have facades */
  facade?: string;
  /** the subscription that sends it */
  subscriptionId?: string;
}
