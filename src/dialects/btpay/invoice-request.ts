import type { BillPaymentMethod, NewBill } from '../../domain/bill.js';
import { Decimal } from '../../domain/money.js';
import type { NewPaymentLink } from '../../engine/payment-links.js';
import { invalidField } from '../../errors.js';
import { isHttpUrl } from '../../http/validate.js';

type DecimalInput = number | string;

export interface InvoiceBody {
  lines: { description: string; quantity: DecimalInput; unit_price: DecimalInput }[];
  customer_email?: string;
  customer_name?: string;
  customer_company?: string;
  currency?: string;
  notes?: string;
  tax_rate?: DecimalInput;
  discount_amount?: DecimalInput;
  payment_methods?: BillPaymentMethod[];
  metadata?: Record<string, unknown>;
}

export interface PaymentLinkBody {
  title: string;
  slug?: string;
  description?: string;
  amount?: DecimalInput;
  currency?: string;
  payment_methods?: BillPaymentMethod[];
  redirect_url?: string;
  metadata?: Record<string, unknown>;
}

const DEFAULT_METHODS: BillPaymentMethod[] = ['onchain_btc'];

/** A decimal as the engine keeps it: the exact digits given (a JSON number is read as it is written). */
const decimal = (value: DecimalInput): string => new Decimal(value).toString();

/** Seed 001's create-invoice body as the engine's new bill. */
export function billRequest(body: InvoiceBody): NewBill {
  if (body.tax_rate !== undefined && new Decimal(body.tax_rate).gt(100)) throw invalidField('invoice', 'tax_rate', 'must be a percentage from 0 to 100');
  body.lines.forEach((line, i) => {
    if (new Decimal(line.quantity).isZero()) throw invalidField('invoice', `lines.${i}.quantity`, 'must be greater than 0');
  });
  return {
    ...(body.currency !== undefined ? { currency: body.currency.toUpperCase() } : {}),
    lines: body.lines.map((line) => ({ description: line.description, quantity: decimal(line.quantity), unitPrice: decimal(line.unit_price) })),
    ...(body.tax_rate !== undefined ? { taxRate: decimal(body.tax_rate) } : {}),
    ...(body.discount_amount !== undefined ? { discount: decimal(body.discount_amount) } : {}),
    customer: {
      ...(body.customer_email ? { email: body.customer_email } : {}),
      ...(body.customer_name ? { name: body.customer_name } : {}),
      ...(body.customer_company ? { company: body.customer_company } : {}),
    },
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    paymentMethods: body.payment_methods ?? DEFAULT_METHODS,
    metadata: body.metadata ?? {},
  };
}

/** Seed 001's create-payment-link body as the engine's new payment link. */
export function paymentLinkRequest(body: PaymentLinkBody): NewPaymentLink {
  if (body.redirect_url !== undefined && !isHttpUrl(body.redirect_url)) throw invalidField('request', 'redirect_url', 'must be an absolute http:// or https:// URL');
  if (body.amount !== undefined && new Decimal(body.amount).isZero()) throw invalidField('request', 'amount', 'must be greater than 0, or left out to let the payer choose');
  return {
    title: body.title,
    ...(body.slug !== undefined ? { slug: body.slug } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.amount !== undefined ? { amount: decimal(body.amount) } : {}),
    ...(body.currency !== undefined ? { currency: body.currency.toUpperCase() } : {}),
    paymentMethods: body.payment_methods ?? DEFAULT_METHODS,
    ...(body.redirect_url !== undefined ? { redirectUrl: body.redirect_url } : {}),
    metadata: body.metadata ?? {},
  };
}
