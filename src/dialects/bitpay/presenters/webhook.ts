import type { Buyer } from '../../../domain/invoice.js';
import { flatBuyerFields } from '../buyer.js';
import type { WebhookEvent } from '../webhook-policy.js';
import type { presentInvoice } from './invoice.js';

type PresentedInvoice = ReturnType<typeof presentInvoice>;

/** The fields of BitPay's invoice IPN (BITPAY-WIRE §5.1), taken from the presented invoice. */
const IPN_FIELDS = [
  'id',
  'url',
  'posData',
  'status',
  'price',
  'currency',
  'invoiceTime',
  'expirationTime',
  'currentTime',
  'exceptionStatus',
  'buyerFields',
  'paymentSubtotals',
  'paymentTotals',
  'exchangeRates',
  'amountPaid',
  'orderId',
  'transactionCurrency',
] as const;

export function presentInvoiceWebhookData(invoice: PresentedInvoice, buyer: Buyer): Record<string, unknown> {
  const source: Record<string, unknown> = { ...invoice, buyerFields: flatBuyerFields(buyer) };
  const data: Record<string, unknown> = {};
  for (const field of IPN_FIELDS) if (source[field] !== undefined) data[field] = source[field];
  return data;
}

/** The raw body: the data alone (standard IPN), or `{event: {code, name}, data}` (extended). */
export function webhookBody(event: WebhookEvent, data: Record<string, unknown>, extended: boolean): string {
  return JSON.stringify(extended ? { event: { code: event.code, name: event.name }, data } : data);
}
