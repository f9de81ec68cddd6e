import { Decimal, satsToBtc } from '../../../domain/money.js';
import { definedOnly } from './defined.js';
import type { Refund } from '../../../engine/entities.js';

const iso = (ms: number) => new Date(ms).toISOString();
const btc = (sats: number) => new Decimal(satsToBtc(sats)).toNumber();

/**
 * BitPay's refund object (BITPAY-WIRE §3.2): amounts in the refund currency, transaction* in BTC,
 * dates ISO 8601. A cancelled refund reads `canceled`, as test.bitpay.com answers it (the SDKs'
 * functional tests expect that spelling; their enums say `cancelled`).
 */
export function presentRefund(refund: Refund) {
  const data = {
    id: refund.id,
    guid: refund.guid ?? undefined,
    invoice: refund.invoice_id,
    reference: refund.reference ?? undefined,
    status: refund.status === 'cancelled' ? 'canceled' : refund.status,
    amount: Number(refund.amount),
    currency: refund.currency,
    transactionCurrency: 'BTC',
    transactionAmount: btc(refund.transaction_amount_sats),
    transactionRefundFee: btc(refund.transaction_refund_fee_sats),
    refundFee: Number(refund.refund_fee),
    immediate: refund.immediate,
    buyerPaysRefundFee: refund.buyer_pays_refund_fee,
    requestDate: iso(refund.request_date),
    lastRefundNotification: refund.last_notification === null ? undefined : iso(refund.last_notification),
    supportRequest: refund.support_request,
    refundAddress: refund.refund_address ?? undefined,
    txid: refund.txid ?? undefined,
    type: refund.type,
    notificationURL: refund.notification_url ?? undefined,
    preview: refund.status === 'preview',
    token: refund.resource_token,
    refundEmail: refund.refund_email ?? undefined,
  };
  return definedOnly(data);
}
