import { Decimal } from '../../../domain/money.js';
import { SPEED_POLICY } from '../statuses.js';
import type { Merchant } from '../../../engine/entities.js';

/** A merchant as BTCPay's StoreData: the settings the emulator keeps, and BTCPay's defaults for the rest. */
export function presentStore(store: Merchant) {
  return {
    id: store.id,
    name: store.name,
    website: store.website,
    defaultCurrency: store.default_currency,
    invoiceExpiration: store.invoice_expiration_seconds,
    monitoringExpiration: store.monitoring_expiration_seconds,
    displayExpirationTimer: 300,
    speedPolicy: SPEED_POLICY[store.transaction_speed],
    paymentTolerance: new Decimal(store.payment_tolerance).toNumber(),
    defaultPaymentMethod: 'BTC',
    defaultLang: 'en',
    anyoneCanCreateInvoice: false,
    requiresRefundEmail: false,
    checkoutType: 'V2',
    lightningAmountInSatoshi: false,
    lightningPrivateRouteHints: false,
    onChainWithLnInvoiceFallback: false,
    redirectAutomatically: false,
    showRecommendedFee: true,
    recommendedFeeBlockTarget: 1,
    networkFeeMode: 'Always',
    payJoinEnabled: false,
    lazyPaymentMethods: false,
    archived: false,
  };
}
