import { conflict } from '../../errors.js';
import { billsNumbered, findBill } from '../../engine/bills.js';
import type { Dialect } from '../dialect.js';
import { btpayApi } from './openapi.js';
import { sandboxApiKey } from './api-keys.js';
import { authenticate, BTPAY } from './auth.js';
import { errorBody, errorStatus } from './errors.js';
import { billKeyOf, invoicesRoutes } from './invoices.js';
import { paymentLinksRoutes } from './payment-links.js';
import { createRateLimiter } from './rate-limit.js';
import { ratesRoutes } from './rates.js';
import { INVOICE_STATUS } from './statuses.js';
import { webhookSubscriptionsRoutes } from './webhook-subscriptions.js';
import { btpaySubscriber, btpayWebhookFormat } from './webhooks.js';
import type { Bill } from '../../engine/entities.js';

const PATHS = /^\/api\/v1\/(invoices|payment-links|rates|webhooks)(\/|$)/i;

/** Seed 001's self-hosted invoicing API: Bearer keys, line-item invoices, payment links, rates, signed webhooks. */
export const btpay: Dialect = {
  name: BTPAY,
  api: btpayApi,
  routes: ({ engine }) => {
    const auth = authenticate(engine, createRateLimiter(engine.clock, engine.config.btpayRateLimit));
    return [
      invoicesRoutes(engine, auth, { reuseAddresses: true }),
      paymentLinksRoutes(engine, auth),
      ratesRoutes(engine, auth),
      webhookSubscriptionsRoutes(engine, auth),
    ];
  },
  owns: (path) => PATHS.test(path),
  errorStatus,
  errorBody,
  sandboxApiKey,
  subscriber: btpaySubscriber,
  webhookFormat: btpayWebhookFormat,
  checkoutFlavour: { brand: 'BTPay', accent: '#c2410c', statusLabel: (status) => INVOICE_STATUS[status] },
  reusesAddresses: true,
  /**
   * `INV-0001`, a reference or a numeric id names the invoice a bill was finalized as. Numbers are
   * per merchant: the default merchant's comes first; another's only when no other merchant has it.
   */
  async invoiceIdOf(engine, name) {
    const key = billKeyOf(name);
    if ('invoiceId' in key) return null;
    let bill: Bill | undefined;
    if ('number' in key) {
      const numbered = await billsNumbered(engine.db, key.number);
      if (numbered.length > 1 && !numbered[0]?.default_merchant) {
        throw conflict('invoice', 'ambiguous', `${name} is the number of invoices of ${numbered.length} merchants; name one by its ref: ${numbered.map((b) => b.id).join(', ')}`);
      }
      bill = numbered[0];
    } else bill = await findBill(engine.db, key);
    if (!bill) return null;
    if (bill.invoice_id === null) throw conflict('invoice', 'state', `Invoice ${name} is a ${bill.status === 'draft' ? 'draft: finalize it first' : 'cancelled draft'}`);
    return bill.invoice_id;
  },
};
