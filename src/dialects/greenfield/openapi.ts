import { ref, type ApiDescription, type ApiOperation, type SchemaObject } from '../../http/openapi.js';

const STORE = 'greenfield/resources/store';
const INVOICE = 'greenfield/resources/invoice';
const WEBHOOK = 'greenfield/resources/webhook';
const DELIVERY = 'greenfield/resources/webhook-delivery';
const API_KEY = 'greenfield/resources/api-key';

const list = (id: string): SchemaObject => ({ type: 'array', items: ref(id) });

/** Who may call a store's routes: an API key with the permission, or the sandbox user. */
const KEYED = ['apiKey', 'basic'];
const permission = (policy: string) =>
  `Needs \`${policy}\` (for every store, or scoped to this one: \`${policy}:<storeId>\`), a policy that includes it, or \`unrestricted\`; Basic auth (the sandbox user) may do anything.`;

const stores: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/stores',
    tag: 'Stores',
    summary: 'List the stores',
    description: 'Every store the caller may see: all of them for a key with an unscoped store permission (or unrestricted, or Basic auth), else those its scoped permissions name.',
    security: KEYED,
    responses: { 200: list(STORE) },
  },
  {
    method: 'post',
    path: '/api/v1/stores',
    tag: 'Stores',
    summary: 'Create a store',
    description: 'A new merchant account; `name` is required. Needs an unscoped `btcpay.store.canmodifystoresettings`, `unrestricted`, or Basic auth.',
    security: KEYED,
    body: 'greenfield/store',
    responses: { 200: ref(STORE) },
  },
  {
    method: 'get',
    path: '/api/v1/stores/:storeId',
    tag: 'Stores',
    summary: 'Get a store',
    description: permission('btcpay.store.canviewstoresettings'),
    security: KEYED,
    responses: { 200: ref(STORE) },
  },
  {
    method: 'put',
    path: '/api/v1/stores/:storeId',
    tag: 'Stores',
    summary: 'Update a store',
    description: `Changes the settings the body gives (null or absent: unchanged). ${permission('btcpay.store.canmodifystoresettings')}`,
    security: KEYED,
    body: 'greenfield/store',
    responses: { 200: ref(STORE) },
  },
];

const invoices: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/stores/:storeId/invoices',
    tag: 'Invoices',
    summary: 'List a store’s invoices',
    description:
      'Newest first. Query parameters (any other is refused): `orderId` and `status` (New, Processing, Settled, Expired, Invalid), each repeatable; `textSearch`; ' +
      '`startDate` and `endDate` (Unix seconds, inclusive); `skip` (default 0) and `take` (at most 1000, the default); `includeArchived` (true/false, default false). ' +
      permission('btcpay.store.canviewinvoices'),
    security: KEYED,
    responses: { 200: list(INVOICE) },
  },
  {
    method: 'post',
    path: '/api/v1/stores/:storeId/invoices',
    tag: 'Invoices',
    summary: 'Create an invoice',
    description: `An invoice of a fixed \`amount\` (top-up invoices are not emulated), paid in on-chain bitcoin; the store’s settings fill what \`checkout\` leaves out. ${permission('btcpay.store.cancreateinvoice')}`,
    security: KEYED,
    body: 'greenfield/invoice-create',
    responses: { 200: ref(INVOICE) },
  },
  {
    method: 'get',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId',
    tag: 'Invoices',
    summary: 'Get an invoice',
    description: permission('btcpay.store.canviewinvoices'),
    security: KEYED,
    responses: { 200: ref(INVOICE) },
  },
  {
    method: 'put',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId',
    tag: 'Invoices',
    summary: 'Update an invoice’s metadata',
    description: `Replaces the invoice’s metadata (order id, buyer, item); amounts and status stay. ${permission('btcpay.store.canmodifyinvoices')}`,
    security: KEYED,
    body: 'greenfield/invoice-update',
    responses: { 200: ref(INVOICE) },
  },
  {
    method: 'delete',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId',
    tag: 'Invoices',
    summary: 'Archive an invoice',
    description: `Archived invoices leave the list unless \`includeArchived=true\`. ${permission('btcpay.store.canmodifyinvoices')}`,
    security: KEYED,
    responses: { 200: null },
  },
  {
    method: 'delete',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId/payment-methods',
    tag: 'Invoices',
    summary: 'Archive an invoice (the same operation, as BTCPay’s API also lists it)',
    description: permission('btcpay.store.canmodifyinvoices'),
    security: KEYED,
    responses: { 200: null },
  },
  {
    method: 'post',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId/unarchive',
    tag: 'Invoices',
    summary: 'Unarchive an invoice',
    description: permission('btcpay.store.canmodifyinvoices'),
    security: KEYED,
    responses: { 200: ref(INVOICE) },
  },
  {
    method: 'post',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId/status',
    tag: 'Invoices',
    summary: 'Mark an invoice Settled or Invalid',
    description: `Allowed while the invoice’s \`availableStatusesForManualMarking\` names the status (Complete is read as Settled); refused with 422 otherwise. ${permission('btcpay.store.canmodifyinvoices')}`,
    security: KEYED,
    body: 'greenfield/invoice-mark',
    responses: { 200: ref(INVOICE) },
  },
  {
    method: 'get',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId/payment-methods',
    tag: 'Invoices',
    summary: 'Get an invoice’s payment methods',
    description: `The one payment method, on-chain bitcoin, with its address, amounts due and paid, and payments. ${permission('btcpay.store.canviewinvoices')}`,
    security: KEYED,
    responses: { 200: { type: 'array', items: ref('greenfield/resources/payment-method') } },
  },
  {
    method: 'post',
    path: '/api/v1/stores/:storeId/invoices/:invoiceId/payment-methods/:paymentMethod/activate',
    tag: 'Invoices',
    summary: 'Activate a payment method',
    description: `Every invoice’s bitcoin address exists from the start, so this only checks that \`paymentMethod\` is on-chain bitcoin (BTC, BTC-CHAIN). ${permission('btcpay.store.canviewinvoices')}`,
    security: KEYED,
    responses: { 200: null },
  },
];

/** A store webhook route: all need `btcpay.store.webhooks.canmodifywebhooks`. */
function webhookRoute(
  method: ApiOperation['method'],
  path: string,
  summary: string,
  response: SchemaObject | null,
  more: { body?: string; description?: string } = {},
): ApiOperation {
  return {
    method,
    path: `/api/v1/stores/:storeId/webhooks${path}`,
    tag: 'Webhooks',
    summary,
    description: [more.description, permission('btcpay.store.webhooks.canmodifywebhooks')].filter(Boolean).join(' '),
    security: KEYED,
    ...(more.body ? { body: more.body } : {}),
    responses: { 200: response },
  };
}

const webhooks: ApiOperation[] = [
  webhookRoute('get', '', 'List a store’s webhooks', list(WEBHOOK)),
  webhookRoute('post', '', 'Create a webhook', { allOf: [ref(WEBHOOK)], required: ['secret'] }, {
    body: 'greenfield/webhook',
    description: 'Omitted fields take BTCPay’s defaults (enabled, automatic redelivery, every event, a generated secret); this answer is the only one that carries the secret.',
  }),
  webhookRoute('get', '/:webhookId', 'Get a webhook', ref(WEBHOOK)),
  webhookRoute('put', '/:webhookId', 'Update a webhook', ref(WEBHOOK), { body: 'greenfield/webhook', description: 'Omitted fields take BTCPay’s defaults again; the secret stays unless the body gives one.' }),
  webhookRoute('delete', '/:webhookId', 'Delete a webhook', null),
  webhookRoute('get', '/:webhookId/deliveries', 'List a webhook’s deliveries', list(DELIVERY), {
    description: 'Newest first, each attempt as a delivery of its own. Query parameter: `count` (1 to 1000, default 1000; any other parameter is refused).',
  }),
  webhookRoute('get', '/:webhookId/deliveries/:deliveryId', 'Get a delivery', ref(DELIVERY)),
  webhookRoute('get', '/:webhookId/deliveries/:deliveryId/request', 'Get the body a delivery sent', ref('greenfield/resources/webhook-event'), {
    description: 'The JSON body of the attempt, as it was sent.',
  }),
  webhookRoute('post', '/:webhookId/deliveries/:deliveryId/redeliver', 'Redeliver a delivery', { type: 'string', description: 'The id of the new delivery' }, {
    description: 'Sends the event again, as a new delivery that names the original (isRedelivery: true).',
  }),
];

const apiKeys: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/api-keys',
    tag: 'API keys',
    summary: 'Create an API key',
    description: 'A key of the sandbox user with the given permissions (policies, each for every store or scoped to one, `policy:storeId`). Needs `unrestricted` or Basic auth.',
    security: KEYED,
    body: 'greenfield/api-key-create',
    responses: { 200: ref(API_KEY) },
  },
  {
    method: 'get',
    path: '/api/v1/api-keys/current',
    tag: 'API keys',
    summary: 'Get the key the request is made with',
    description: 'Refused (400) under Basic auth, which is no key.',
    security: ['apiKey'],
    responses: { 200: ref(API_KEY) },
  },
  {
    method: 'delete',
    path: '/api/v1/api-keys/current',
    tag: 'API keys',
    summary: 'Revoke the key the request is made with',
    description: 'Refused (400) under Basic auth, which is no key.',
    security: ['apiKey'],
    responses: { 200: null },
  },
  {
    method: 'delete',
    path: '/api/v1/api-keys/:apiKey',
    tag: 'API keys',
    summary: 'Revoke an API key',
    description: 'Needs `unrestricted` or Basic auth.',
    security: KEYED,
    responses: { 200: null },
  },
];

const server: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/health',
    tag: 'Server',
    summary: 'Health',
    description: 'Needs no credentials.',
    responses: { 200: ref('greenfield/resources/health') },
  },
  {
    method: 'get',
    path: '/api/v1/server/info',
    tag: 'Server',
    summary: 'Server information',
    description: 'The BTCPay version the emulator answers as, and the (always synchronized) simulated chain. Any valid key or Basic auth.',
    security: KEYED,
    responses: { 200: ref('greenfield/resources/server-info') },
  },
];

const SANDBOX = 'Guarded as the sandbox API is: `Authorization: Bearer <SANDBOX_TOKEN>` when SANDBOX_TOKEN is set; open on loopback names and PUBLIC_URL’s host otherwise; a cross-site browser request is refused. Body fields may be written in any letter case. Errors here take BitPay’s shape.';

const cheatMode: ApiOperation[] = [
  {
    method: 'post',
    path: '/i/:invoiceId/test-payment',
    tag: 'Cheat mode',
    summary: 'Fake a payment of the invoice',
    description: `Body (optional): \`amount\` (BTC; default: what is due), \`paymentMethodId\` or \`cryptoCode\` (BTC or BTC-CHAIN, the default). ${SANDBOX}`,
    security: ['sandbox'],
    responses: { 200: ref('greenfield/resources/cheat-mode-payment') },
  },
  {
    method: 'post',
    path: '/i/:invoiceId/mine-blocks',
    tag: 'Cheat mode',
    summary: 'Mine blocks',
    description: `Body (optional): \`blockCount\`, 1 to 1000 (default 1). Mines on the one simulated chain, whatever the invoice. ${SANDBOX}`,
    security: ['sandbox'],
    responses: { 200: ref('greenfield/resources/cheat-mode-message') },
  },
  {
    method: 'post',
    path: '/i/:invoiceId/expire',
    tag: 'Cheat mode',
    summary: 'Expire the invoice',
    description: `Body (optional): \`seconds\`, 0 to 86400 (default 0): the invoice expires that many seconds from now. ${SANDBOX}`,
    security: ['sandbox'],
    responses: { 200: ref('greenfield/resources/cheat-mode-message') },
  },
];

/** BTCPay Server's Greenfield API as served (seed 000 and what BTCPay clients call): the source of its OpenAPI document. */
export const greenfieldApi: ApiDescription = {
  title: 'BTCPay Server Greenfield API (emulated)',
  description:
    'BTCPay Server’s Greenfield API v1 as the emulator serves it: stores (every merchant account is one), invoices paid in on-chain bitcoin, store webhooks and their deliveries, API keys, server information, and BTCPay’s regtest cheat mode. ' +
    'Amounts are decimal strings and times Unix seconds. Every answer of a failure is JSON: `{code, message}`, or for a field at fault 422 with `[{path, message}]`.',
  securitySchemes: {
    apiKey: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: '`Authorization: token <apiKey>`: a Greenfield API key (POST /api/v1/api-keys, POST /sandbox/api-keys); it may do what its permissions grant.',
    },
    basic: {
      type: 'http',
      scheme: 'basic',
      description: 'The sandbox user, who may do anything: any user name; the password is SANDBOX_TOKEN (anything on an open emulator’s loopback names).',
    },
    sandbox: {
      type: 'http',
      scheme: 'bearer',
      description: '`Authorization: Bearer <SANDBOX_TOKEN>` when SANDBOX_TOKEN is set; without it, open on loopback names and PUBLIC_URL’s host.',
    },
  },
  error: ref('greenfield/resources/error'),
  tags: [
    { name: 'Stores', description: 'Stores: every merchant account is one, with its invoice defaults' },
    { name: 'Invoices', description: 'Create, read, update, archive and mark invoices; their payment methods' },
    { name: 'Webhooks', description: 'Store webhooks (BTCPay-Sig signed) and their deliveries' },
    { name: 'API keys', description: 'The sandbox user’s API keys' },
    { name: 'Server', description: 'Health and server information' },
    { name: 'Cheat mode', description: 'BTCPay’s regtest cheat mode, which its checkout page and test scripts call: fake a payment, mine blocks, expire an invoice' },
  ],
  operations: [...stores, ...invoices, ...webhooks, ...apiKeys, ...server, ...cheatMode],
};
