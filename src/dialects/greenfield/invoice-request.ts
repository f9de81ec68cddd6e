import type { Buyer, InvoiceDetails } from '../../domain/invoice.js';
import { Decimal } from '../../domain/money.js';
import type { InvoiceDescription, NewInvoice } from '../../engine/invoices.js';
import { invalidField } from '../../errors.js';
import { isHttpUrl } from '../../http/validate.js';
import { isBitcoinMethod, speedOfPolicy } from './statuses.js';
import type { Merchant } from '../../engine/entities.js';

type Metadata = Record<string, unknown>;

export interface CreateInvoiceBody {
  amount?: string | number | null;
  currency?: string | null;
  metadata?: Metadata | null;
  checkout?: {
    speedPolicy?: string | null;
    paymentMethods?: string[] | null;
    defaultPaymentMethod?: string | null;
    expirationMinutes?: number | null;
    monitoringMinutes?: number | null;
    paymentTolerance?: number | null;
    redirectURL?: string | null;
    redirectAutomatically?: boolean | null;
    defaultLanguage?: string | null;
  } | null;
}

/** Metadata keys BTCPay Server reads (InvoiceMetadata), and where the engine keeps each. */
const BUYER_KEYS: [string, keyof Buyer][] = [
  ['buyerName', 'name'],
  ['buyerEmail', 'email'],
  ['buyerCountry', 'country'],
  ['buyerZip', 'postalCode'],
  ['buyerState', 'region'],
  ['buyerCity', 'locality'],
  ['buyerAddress1', 'address1'],
  ['buyerAddress2', 'address2'],
  ['buyerPhone', 'phone'],
];
const DETAIL_KEYS = ['itemDesc', 'itemCode'] as const;

function text(metadata: Metadata, key: string): string | undefined {
  const value = metadata[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidField('invoice', `metadata.${key}`, 'must be a string');
}

/** The engine's description of an invoice from Greenfield metadata; the metadata itself is kept as given. */
export function describedBy(metadata: Metadata | null | undefined): InvoiceDescription {
  const given = metadata ?? {};
  const buyer: Buyer = {};
  for (const [key, field] of BUYER_KEYS) {
    const value = text(given, key);
    if (value !== undefined) (buyer as Record<string, unknown>)[field] = value;
  }
  const details: InvoiceDescription['details'] = { metadata: given };
  for (const key of DETAIL_KEYS) {
    const value = text(given, key);
    if (value !== undefined) details[key] = value;
  }
  const posData = given.posData;
  if (posData !== undefined && posData !== null) details.posData = typeof posData === 'string' ? posData : JSON.stringify(posData);
  if (typeof given.physical === 'boolean') details.physical = given.physical;
  const orderId = text(given, 'orderId');
  return { ...(orderId !== undefined ? { orderId } : {}), buyer, details };
}

/** Greenfield's create body as the engine's neutral request, with the store's defaults. */
export function newInvoiceOf(body: CreateInvoiceBody, store: Merchant): NewInvoice {
  if (body.amount === undefined || body.amount === null) {
    throw invalidField('invoice', 'amount', 'is required: the emulator makes invoices of a fixed amount (top-up invoices are not emulated)');
  }
  const amount = new Decimal(body.amount);
  if (amount.lte(0)) throw invalidField('invoice', 'amount', 'must be more than 0');
  const checkout = body.checkout ?? {};
  const methods = checkout.paymentMethods ?? [];
  const unknownMethod = [...methods, ...(checkout.defaultPaymentMethod ? [checkout.defaultPaymentMethod] : [])].find((m) => !isBitcoinMethod(m));
  if (unknownMethod !== undefined) {
    throw invalidField('invoice', 'checkout.paymentMethods', `${unknownMethod} is not available: the emulator takes on-chain bitcoin (BTC, or BTC-CHAIN as BTCPay 2.x names it)`);
  }
  if (checkout.redirectURL && !isHttpUrl(checkout.redirectURL)) {
    throw invalidField('invoice', 'checkout.redirectURL', 'must be an absolute http:// or https:// URL');
  }
  const { orderId, buyer, details: described } = describedBy(body.metadata);
  const expirationMinutes = checkout.expirationMinutes ?? store.invoice_expiration_seconds / 60;
  const details: InvoiceDetails = { ...described, monitoringMinutes: checkout.monitoringMinutes ?? store.monitoring_expiration_seconds / 60 };
  if (checkout.defaultLanguage) details.language = checkout.defaultLanguage;
  const speed = checkout.speedPolicy ? speedOfPolicy(checkout.speedPolicy) : undefined;
  const redirectUrl = checkout.redirectURL?.replaceAll('{OrderId}', encodeURIComponent(orderId ?? ''));
  return {
    price: amount.toString(),
    currency: (body.currency ?? store.default_currency).toUpperCase(),
    ...(orderId !== undefined ? { orderId } : {}),
    details,
    buyer,
    buyerProvided: buyer.email ? { emailAddress: buyer.email } : {},
    ...(speed ? { speed } : {}),
    expiryWindowMs: Math.round(expirationMinutes * 60_000),
    paymentTolerance: new Decimal(checkout.paymentTolerance ?? store.payment_tolerance).toString(),
    redirect: { url: redirectUrl, automatic: checkout.redirectAutomatically === true },
    notification: { full: true, extended: false },
  };
}
