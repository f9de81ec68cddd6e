import type { Config } from '../../config.js';
import type { BuyerProvided, InvoiceDetails, ItemizedDetail, TransactionSpeed } from '../../domain/invoice.js';
import type { ContactUpdate, NewInvoice } from '../../engine/invoices.js';
import { invalidParam, missingParam } from '../../errors.js';
import { normalizeBuyer } from './buyer.js';

/** BitPay's create-invoice request after schema validation (BITPAY-WIRE §4.1). */
export interface CreateInvoiceRequest {
  price: number;
  currency: string;
  orderId?: string;
  itemDesc?: string;
  itemCode?: string;
  posData?: string;
  guid?: string;
  notificationEmail?: string;
  notificationURL?: string;
  redirectURL?: string;
  closeURL?: string;
  autoRedirect?: boolean;
  transactionSpeed?: TransactionSpeed;
  fullNotifications?: boolean;
  extendedNotifications?: boolean;
  physical?: boolean;
  buyerSms?: string;
  paymentCurrencies?: string[];
  jsonPayProRequired?: boolean;
  bitpayIdRequired?: boolean;
  acceptanceWindow?: number;
  merchantName?: string;
  forcedBuyerSelectedWallet?: string;
  forcedBuyerSelectedTransactionCurrency?: string;
  selectedTransactionCurrency?: string;
  buyerProvidedInfo?: { emailAddress?: string; selectedWallet?: string; selectedTransactionCurrency?: string };
  itemizedDetails?: ItemizedDetail[];
  billId?: string;
  [legacyBuyerField: string]: unknown;
}

/** BitPay's `PUT /invoices/:id` body. */
export interface UpdateInvoiceRequest {
  buyerEmail?: string;
  buyerSms?: string;
  smsCode?: string;
  autoVerify?: boolean;
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

/** BitPay's rules that span fields, which a JSON Schema does not say. */
function refuseInconsistent(request: CreateInvoiceRequest, config: Pick<Config, 'webhookHttpsOnly'>): void {
  if (config.webhookHttpsOnly && request.notificationURL?.startsWith('http://')) {
    throw invalidParam('invoice', 'Invalid parameter notificationURL: must be an https:// URL (WEBHOOK_HTTPS_ONLY is on, as on BitPay)');
  }
  if (request.paymentCurrencies && !request.paymentCurrencies.includes('BTC')) {
    throw invalidParam('invoice', 'Invalid parameter paymentCurrencies: the emulator takes bitcoin payments only, so it must include BTC');
  }
}

/** What the buyer is taken to have told BitPay already: contact from `buyer`, choices forced by the merchant. */
function buyerProvidedOf(request: CreateInvoiceRequest, buyer: ReturnType<typeof normalizeBuyer>): BuyerProvided {
  const provided: BuyerProvided = pick(request.buyerProvidedInfo ?? {}, ['emailAddress', 'selectedWallet', 'selectedTransactionCurrency']);
  if (buyer.name) provided.name = buyer.name;
  if (buyer.phone) provided.phoneNumber = buyer.phone;
  if (provided.emailAddress) provided.emailGivenByBuyer = true;
  else if (buyer.email) provided.emailAddress = buyer.email;
  if (request.buyerSms) Object.assign(provided, { sms: request.buyerSms, smsVerified: false });
  const selected = request.forcedBuyerSelectedTransactionCurrency ?? request.selectedTransactionCurrency;
  if (selected && !provided.selectedTransactionCurrency) provided.selectedTransactionCurrency = selected;
  if (request.forcedBuyerSelectedWallet && !provided.selectedWallet) provided.selectedWallet = request.forcedBuyerSelectedWallet;
  return provided;
}

/** BitPay's `POST /invoices` body as the engine's neutral request. */
export function newInvoiceOf(request: CreateInvoiceRequest, config: Pick<Config, 'webhookHttpsOnly'>): NewInvoice {
  refuseInconsistent(request, config);
  const buyer = normalizeBuyer(request);
  const details: InvoiceDetails = pick(request, [
    'itemDesc',
    'itemCode',
    'posData',
    'notificationEmail',
    'physical',
    'merchantName',
    'itemizedDetails',
    'jsonPayProRequired',
    'forcedBuyerSelectedWallet',
    'forcedBuyerSelectedTransactionCurrency',
    'paymentCurrencies',
    'acceptanceWindow',
    'billId',
  ]);
  if (request.bitpayIdRequired !== undefined) details.identityRequired = request.bitpayIdRequired;
  const extended = request.extendedNotifications === true;
  return {
    price: request.price,
    currency: request.currency,
    ...pick(request, ['orderId', 'guid']),
    details,
    buyer,
    buyerProvided: buyerProvidedOf(request, buyer),
    ...(request.transactionSpeed ? { speed: request.transactionSpeed } : {}),
    ...(request.acceptanceWindow ? { expiryWindowMs: request.acceptanceWindow } : {}),
    redirect: { url: request.redirectURL, closeUrl: request.closeURL, automatic: request.autoRedirect === true },
    notification: { url: request.notificationURL, full: extended || request.fullNotifications !== false, extended },
  };
}

/** BitPay's `PUT /invoices/:id` body: exactly one of buyerEmail and buyerSms, or an SMS code. */
export function contactUpdateOf(request: UpdateInvoiceRequest): ContactUpdate {
  if (request.buyerEmail === undefined && request.buyerSms === undefined && request.smsCode === undefined) {
    throw missingParam('invoice', 'Missing required parameter: buyerEmail or buyerSms');
  }
  if (request.buyerEmail !== undefined && request.buyerSms !== undefined) {
    throw invalidParam('invoice', 'Invalid parameters: send buyerEmail or buyerSms, not both');
  }
  return { email: request.buyerEmail, sms: request.buyerSms, smsCode: request.smsCode, autoVerify: request.autoVerify };
}
