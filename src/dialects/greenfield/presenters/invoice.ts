import { DEFAULT_ACCEPTANCE_WINDOW_MS } from '../../../domain/invoice.js';
import { apply } from '../../../domain/lifecycle.js';
import { Decimal } from '../../../domain/money.js';
import { ADDITIONAL_STATUS, SPEED_POLICY, STATUS } from '../statuses.js';
import { unixSeconds } from '../../../domain/duration.js';
import type { Invoice } from '../../../engine/entities.js';


/** The statuses the merchant may mark the invoice with now, as the status table allows. */
function markable(invoice: Invoice): string[] {
  const state = { status: invoice.status, exception: invoice.exception_status };
  const policy = { speed: invoice.transaction_speed, rbf: false };
  const allowed: string[] = [];
  if (apply(state, { type: 'markComplete' }, policy) !== 'refused') allowed.push('Settled');
  if (apply(state, { type: 'markInvalid' }, policy) !== 'refused') allowed.push('Invalid');
  return allowed;
}

/**
 * BTCPay's invoice metadata: what a Greenfield client gave, and for an invoice made through
 * another dialect, the same keys filled from the engine's description.
 */
export function presentMetadata(invoice: Invoice): Record<string, unknown> {
  const { details, buyer } = invoice;
  const derived: Record<string, unknown> = {
    orderId: invoice.order_id ?? undefined,
    itemDesc: details.itemDesc,
    itemCode: details.itemCode,
    posData: details.posData,
    physical: details.physical,
    buyerName: buyer.name,
    buyerEmail: buyer.email,
    buyerCountry: buyer.country,
    buyerZip: buyer.postalCode,
    buyerState: buyer.region,
    buyerCity: buyer.locality,
    buyerAddress1: buyer.address1,
    buyerAddress2: buyer.address2,
    buyerPhone: buyer.phone,
  };
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(derived)) if (value !== undefined) metadata[key] = value;
  return { ...metadata, ...(details.metadata ?? {}) };
}

/** The one mapping from an engine invoice to Greenfield's InvoiceData: amounts as decimal strings, times in unix seconds. */
export function presentInvoice(invoice: Invoice, publicUrl: string) {
  const monitoringMinutes = invoice.details.monitoringMinutes ?? 1440;
  const monitoringTime = unixSeconds(invoice.expiration_time + monitoringMinutes * 60_000);
  const expirationMinutes = (invoice.details.acceptanceWindow || DEFAULT_ACCEPTANCE_WINDOW_MS) / 60_000;
  return {
    id: invoice.id,
    storeId: invoice.merchant_id,
    amount: new Decimal(invoice.price).toFixed(),
    currency: invoice.currency,
    type: 'Standard',
    checkoutLink: `${publicUrl}i/${invoice.id}`,
    status: STATUS[invoice.status],
    additionalStatus: invoice.exception_status ? ADDITIONAL_STATUS[invoice.exception_status] : 'None',
    createdTime: unixSeconds(invoice.invoice_time),
    expirationTime: unixSeconds(invoice.expiration_time),
    monitoringTime,
    monitoringExpiration: monitoringTime,
    archived: invoice.archived,
    availableStatusesForManualMarking: markable(invoice),
    metadata: presentMetadata(invoice),
    checkout: {
      speedPolicy: SPEED_POLICY[invoice.transaction_speed],
      paymentMethods: ['BTC'],
      defaultPaymentMethod: 'BTC',
      lazyPaymentMethods: false,
      expirationMinutes,
      monitoringMinutes,
      paymentTolerance: new Decimal(invoice.payment_tolerance).toNumber(),
      redirectURL: invoice.redirect_url?.replaceAll('{InvoiceId}', invoice.id) ?? null,
      redirectAutomatically: invoice.auto_redirect,
      requiresRefundEmail: null,
      defaultLanguage: invoice.details.language ?? null,
      checkoutType: null,
    },
    receipt: { enabled: null, showQR: null, showPayments: null },
  };
}
