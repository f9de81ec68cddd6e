/** The invoice model shared by the engine and every dialect's presenters; no wire format here. */

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

/** What the buyer told the payment processor on the checkout page (or the merchant told it through the API). */
export interface BuyerProvided {
  name?: string;
  phoneNumber?: string;
  emailAddress?: string;
  sms?: string;
  smsVerified?: boolean;
  /** The verification code "sent" to `sms`; shown in the sandbox, never in a dialect's JSON. */
  smsCode?: string;
  selectedWallet?: string;
  selectedTransactionCurrency?: string;
}

export interface ItemizedDetail {
  amount?: number;
  description?: string;
  isFee?: boolean;
}

/**
 * Request fields that the engine only stores and the dialects echo. The names are those of the
 * invoice metadata that BitPay's API and BTCPay Server's both use (itemDesc, posData…).
 */
export interface InvoiceDetails {
  itemDesc?: string;
  itemCode?: string;
  posData?: string;
  notificationEmail?: string;
  physical?: boolean;
  merchantName?: string;
  itemizedDetails?: ItemizedDetail[];
  jsonPayProRequired?: boolean;
  /** The buyer must verify an identity before paying. */
  identityRequired?: boolean;
  forcedBuyerSelectedWallet?: string;
  forcedBuyerSelectedTransactionCurrency?: string;
  paymentCurrencies?: string[];
  acceptanceWindow?: number;
  billId?: string;
}
