/** The invoice model shared by the engine and every dialect's presenters; no wire format here. */

export const INVOICE_STATUSES = ['new', 'paid', 'confirmed', 'complete', 'expired', 'invalid', 'declined'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** `marked`: the merchant set the status by hand (BTCPay's "Marked"). */
export const EXCEPTION_STATUSES = ['paidPartial', 'paidOver', 'paidLate', 'marked'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** Confirmations before an invoice is confirmed: high 0, medium 1, lowMedium 2, low 6 (then it is complete). */
export const TRANSACTION_SPEEDS = ['high', 'medium', 'lowMedium', 'low'] as const;
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
  /** The buyer gave `emailAddress` (not the merchant, in `buyer.email`): it is final. Never in a dialect's JSON. */
  emailGivenByBuyer?: boolean;
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
  /** How long after expiry payments are still watched for, in minutes. */
  monitoringMinutes?: number;
  /** The checkout page's language (e.g. "en-US"). */
  language?: string;
  /** Free-form merchant metadata, kept as given (BTCPay's invoice `metadata`). */
  metadata?: Record<string, unknown>;
}
