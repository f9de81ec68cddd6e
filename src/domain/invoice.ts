/** The invoice model shared by the engine and the presenters; no BitPay JSON here. */

export const INVOICE_STATUSES = ['new', 'paid', 'confirmed', 'complete', 'expired', 'invalid', 'declined'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const EXCEPTION_STATUSES = ['paidPartial', 'paidOver', 'paidLate'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export const TRANSACTION_SPEEDS = ['high', 'medium', 'low'] as const;
export type TransactionSpeed = (typeof TRANSACTION_SPEEDS)[number];

export function isInvoiceStatus(value: unknown): value is InvoiceStatus {
  return typeof value === 'string' && (INVOICE_STATUSES as readonly string[]).includes(value);
}

/** An SMS number: digits with an optional leading +, including the country code. */
export const SMS_NUMBER = /^\+?[0-9]{7,15}$/;

/** Default acceptance window: 15 minutes. */
export const DEFAULT_ACCEPTANCE_WINDOW_MS = 15 * 60 * 1000;

export interface Buyer {
  name?: string;
  address1?: string;
  address2?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  email?: string;
  phone?: string;
  notify?: boolean;
}

/** What the buyer told BitPay (or the merchant told it through PUT /invoices/:id). */
export interface BuyerProvided {
  name?: string;
  phoneNumber?: string;
  emailAddress?: string;
  sms?: string;
  smsVerified?: boolean;
  /** The verification code "sent" to `sms`; shown in the sandbox, never in BitPay's JSON. */
  smsCode?: string;
  selectedWallet?: string;
  selectedTransactionCurrency?: string;
}

export interface ItemizedDetail {
  amount?: number;
  description?: string;
  isFee?: boolean;
}

/** Request fields that the engine only stores and echoes. */
export interface InvoiceDetails {
  itemDesc?: string;
  itemCode?: string;
  posData?: string;
  notificationEmail?: string;
  physical?: boolean;
  merchantName?: string;
  itemizedDetails?: ItemizedDetail[];
  jsonPayProRequired?: boolean;
  bitpayIdRequired?: boolean;
  forcedBuyerSelectedWallet?: string;
  forcedBuyerSelectedTransactionCurrency?: string;
  paymentCurrencies?: string[];
  acceptanceWindow?: number;
  billId?: string;
}

type BuyerSource = Record<string, unknown>;

/** BitPay's current buyer field names, each with the older names clients still send and the flat v1 name. */
const BUYER_FIELDS: [keyof Buyer, string[], string][] = [
  ['name', ['name'], 'buyerName'],
  ['address1', ['address1'], 'buyerAddress1'],
  ['address2', ['address2'], 'buyerAddress2'],
  ['locality', ['locality', 'city'], 'buyerCity'],
  ['region', ['region', 'state'], 'buyerState'],
  ['postalCode', ['postalCode', 'zip'], 'buyerZip'],
  ['country', ['country'], 'buyerCountry'],
  ['email', ['email'], 'buyerEmail'],
  ['phone', ['phone'], 'buyerPhone'],
  ['notify', ['notify'], 'buyerNotify'],
];

/**
 * One buyer from the `buyer` object (current names, or city/state/zip) and the legacy flat
 * `buyerXxx` fields. The `buyer` object wins where both are given.
 */
/** The buyer under the flat v1 names (buyerName, buyerCity…), as BitPay's standard IPN `buyerFields` carries it. */
export function flatBuyerFields(buyer: Buyer): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {};
  for (const [field, , flatName] of BUYER_FIELDS) {
    const value = buyer[field];
    if (value !== undefined) fields[flatName] = value;
  }
  return fields;
}

export function normalizeBuyer(request: BuyerSource): Buyer {
  const nested = (request.buyer ?? {}) as BuyerSource;
  const buyer: Buyer = {};
  for (const [field, nestedNames, flatName] of BUYER_FIELDS) {
    const value = [...nestedNames.map((n) => nested[n]), request[flatName]].find((v) => v !== undefined && v !== '');
    if (value !== undefined) (buyer as Record<string, unknown>)[field] = value;
  }
  return buyer;
}
