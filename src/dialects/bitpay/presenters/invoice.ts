import { DEFAULT_ACCEPTANCE_WINDOW_MS } from '../../../domain/invoice.js';
import { satsToBtc, satsToCurrency } from '../../../domain/money.js';
import { confirmations } from '../../../engine/chain.js';
import { findCurrency, fixtures } from '../../../fixtures.js';
import { definedOnly } from './defined.js';
import type { ChainView, Invoice } from '../../../engine/entities.js';

export interface InvoiceView {
  /** The facade of the token reading the invoice: pos sees fewer fields (seed 002's facade columns). */
  facade: 'pos' | 'merchant';
  /** PUBLIC_URL, ending in '/'. */
  publicUrl: string;
  now: number;
  chain: ChainView;
}

/** BitPay's transactions[]: the payments still on the chain, amounts in satoshis. */
function presentTransactions(invoice: Invoice, chain: ChainView) {
  const exRates = { BTC: 1, [invoice.currency]: Number(invoice.rate) };
  return (chain.transactions.get(invoice.id) ?? [])
    .filter((tx) => tx.double_spent_at === null)
    .map((tx) => ({
      amount: tx.amount_sats,
      confirmations: confirmations(tx, chain.tipHeight),
      receivedTime: new Date(tx.received_at).toISOString(),
      time: new Date(tx.received_at).toISOString(),
      txid: tx.txid,
      exRates,
      outputIndex: tx.output_index,
    }));
}

/** The BitPay `facade` string of a response. */
export function invoiceFacade(view: Pick<InvoiceView, 'facade'>): 'pos/invoice' | 'merchant/invoice' {
  return `${view.facade}/invoice`;
}

/**
 * The one mapping from a stored invoice to BitPay's invoice JSON (BITPAY-WIRE §4.2): amounts in
 * satoshis as integers, display amounts as strings, times as ms epochs, exceptionStatus false
 * until it is a string, and the legacy btc* fields of the v1 API.
 */
export function presentInvoice(invoice: Invoice, view: InvoiceView) {
  const merchant = view.facade === 'merchant';
  const totalSats = invoice.subtotal_sats + invoice.miner_fee_sats;
  const paidSats = invoice.amount_paid_sats;
  const dueSats = Math.max(0, totalSats - paidSats);
  const paid = paidSats > 0;
  const details = invoice.details;
  const { smsCode: _hidden, emailGivenByBuyer: _internal, ...buyerProvidedInfo } = invoice.buyer_provided;
  if (!merchant) delete buyerProvidedInfo.emailAddress;
  const checkoutLink = `${view.publicUrl}i/${invoice.id}`;
  const currencyDecimals = findCurrency(invoice.currency)?.decimals ?? 2;

  return definedOnly({
    url: `${view.publicUrl}invoice?id=${invoice.id}`,
    posData: details.posData,
    status: invoice.status,
    price: Number(invoice.price),
    currency: invoice.currency,
    itemDesc: details.itemDesc,
    itemCode: details.itemCode,
    orderId: invoice.order_id ?? undefined,
    invoiceTime: invoice.invoice_time,
    expirationTime: invoice.expiration_time,
    currentTime: view.now,
    guid: invoice.guid ?? undefined,
    id: invoice.id,
    lowFeeDetected: false,
    amountPaid: paidSats,
    displayAmountPaid: satsToBtc(paidSats),
    exceptionStatus: invoice.exception_status ?? false,
    targetConfirmations: merchant ? fixtures.bitcoin.targetConfirmations : undefined,
    transactions: merchant ? presentTransactions(invoice, view.chain) : undefined,
    // BitPay knows three speeds; an invoice made elsewhere at two confirmations reads as medium.
    transactionSpeed: invoice.transaction_speed === 'lowMedium' ? 'medium' : invoice.transaction_speed,
    buyer: merchant ? invoice.buyer : undefined,
    redirectURL: invoice.redirect_url ?? undefined,
    closeURL: invoice.close_url ?? undefined,
    autoRedirect: invoice.auto_redirect,
    refundAddresses: merchant ? invoice.refund_addresses : undefined,
    refundAddressRequestPending: invoice.refund_address_request_pending,
    buyerProvidedEmail: merchant ? invoice.buyer_provided.emailAddress : undefined,
    buyerProvidedInfo,
    paymentSubtotals: { BTC: invoice.subtotal_sats },
    paymentTotals: { BTC: totalSats },
    paymentDisplayTotals: { BTC: satsToBtc(totalSats) },
    paymentDisplaySubTotals: { BTC: satsToBtc(invoice.subtotal_sats) },
    exchangeRates: invoice.exchange_rates,
    minerFees: {
      BTC: {
        satoshisPerByte: invoice.sats_per_byte,
        totalFee: invoice.miner_fee_sats,
        fiatAmount: satsToCurrency(invoice.miner_fee_sats, invoice.rate, currencyDecimals),
      },
    },
    shopper: merchant ? {} : undefined,
    jsonPayProRequired: details.jsonPayProRequired ?? false,
    merchantName: details.merchantName,
    bitpayIdRequired: merchant ? (details.identityRequired ?? false) : undefined,
    itemizedDetails: details.itemizedDetails ?? [],
    acceptanceWindow: details.acceptanceWindow || DEFAULT_ACCEPTANCE_WINDOW_MS,
    notificationURL: invoice.notification_url ?? undefined,
    billId: merchant ? details.billId : undefined,
    refundInfo: merchant ? (invoice.refund_info ?? undefined) : undefined,
    isCancelled: merchant ? invoice.is_cancelled : undefined,
    transactionCurrency: paid ? 'BTC' : undefined,
    nonPayProPaymentReceived: paid ? true : undefined,
    underpaidAmount: invoice.exception_status === 'paidPartial' ? totalSats - paidSats : undefined,
    overpaidAmount: invoice.exception_status === 'paidOver' ? paidSats - totalSats : undefined,
    supportedTransactionCurrencies: { BTC: { enabled: true } },
    paymentCodes: {
      BTC: {
        BIP72b: `bitcoin:?r=${checkoutLink}`,
        BIP73: checkoutLink,
        BIP21: `bitcoin:${invoice.address}?amount=${satsToBtc(dueSats)}`,
      },
    },
    universalCodes: definedOnly({
      paymentString: checkoutLink,
      verificationLink: details.identityRequired ? `${view.publicUrl}invoice?id=${invoice.id}&view=verification` : undefined,
    }),
    token: invoice.resource_token,
    rateRefreshTime: invoice.invoice_time,
    guaranteedPaymentTargetConfirmations: 0,
    guaranteedPayment: false,
    shopify: {},
    btcPrice: satsToBtc(invoice.subtotal_sats),
    btcDue: satsToBtc(dueSats),
    btcPaid: satsToBtc(paidSats),
    rate: Number(invoice.rate),
  });
}

/** `GET /invoices/:id/events`: where and how to subscribe to the invoice's events. */
export function presentEventToken(invoice: Invoice, publicUrl: string) {
  return {
    url: `${publicUrl}events`,
    token: invoice.event_token,
    events: ['payment', 'confirmation'],
    actions: ['subscribe', 'unsubscribe'],
  };
}
