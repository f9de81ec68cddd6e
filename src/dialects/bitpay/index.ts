import type { Dialect } from '../dialect.js';
import { bitpayApi } from './openapi.js';
import { billsRoutes } from './bills.js';
import { errorBody, errorStatus } from './errors.js';
import { invoicesRoutes } from './invoices.js';
import { ledgersRoutes } from './ledgers.js';
import { payoutsRoutes } from './payouts.js';
import { settlementsRoutes } from './settlements.js';
import { subscriptionsRoutes } from './subscriptions.js';
import { publicRoutes } from './rates.js';
import { refundsRoutes } from './refunds.js';
import { tokensRoutes } from './tokens.js';
import { BITPAY, bitpaySubscriber, bitpayWebhookFormat } from './webhooks.js';

/** BitPay's REST API v2 (BITPAY-WIRE.md). It answers at the root, so it owns every path no other dialect claims. */
export const bitpay: Dialect = {
  name: BITPAY,
  api: bitpayApi,
  routes: ({ engine, sandbox, publicUrl }) => {
    const auth = { engine, publicUrl };
    return [tokensRoutes(engine, publicUrl), invoicesRoutes(engine, sandbox, auth), refundsRoutes(engine, auth), ledgersRoutes(engine, auth), payoutsRoutes(engine, auth), settlementsRoutes(engine, auth), billsRoutes(engine, auth), subscriptionsRoutes(engine, auth), publicRoutes(engine)];
  },
  owns: () => true,
  errorStatus,
  errorBody,
  subscriber: bitpaySubscriber,
  webhookFormat: bitpayWebhookFormat,
  checkoutFlavour: { brand: 'BitPay', accent: '#1a56db', statusLabel: (status) => status },
};
