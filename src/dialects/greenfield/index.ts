import type { Dialect } from '../dialect.js';
import { greenfieldApi } from './openapi.js';
import { apiKeysRoutes, sandboxApiKey } from './api-keys.js';
import { authenticate, GREENFIELD } from './auth.js';
import { cheatModeRoutes } from './cheat-mode.js';
import { STATUS } from './statuses.js';
import { errorBody, errorStatus } from './errors.js';
import { invoicesRoutes } from './invoices.js';
import { serverRoutes } from './server.js';
import { storesRoutes } from './stores.js';
import { storeWebhooksRoutes } from './store-webhooks.js';
import { greenfieldSubscriber, greenfieldWebhookFormat } from './webhooks.js';

const PATHS = /^\/api\/v1\/(stores|api-keys|health|server)(\/|$)/i;

/** BTCPay Server's Greenfield API (seed 000): API keys, stores, invoices, store webhooks. */
export const greenfield: Dialect = {
  name: GREENFIELD,
  api: greenfieldApi,
  routes: ({ engine, sandbox, sandboxKey }) => {
    const auth = authenticate(engine, sandboxKey);
    return [
      storesRoutes(engine, auth),
      invoicesRoutes(engine, auth),
      storeWebhooksRoutes(engine, sandbox, auth),
      apiKeysRoutes(engine, auth),
      serverRoutes(engine, auth),
      cheatModeRoutes(sandbox, sandboxKey),
    ];
  },
  owns: (path) => PATHS.test(path),
  errorStatus,
  errorBody,
  sandboxApiKey,
  subscriber: greenfieldSubscriber,
  webhookFormat: greenfieldWebhookFormat,
  checkoutFlavour: { brand: 'BTCPay Server', accent: '#1e7a44', statusLabel: (status) => STATUS[status] },
};
