import { ref, type ApiDescription, type ApiOperation, type SchemaObject } from '../../http/openapi.js';

/** `{ "data": … }`, BitPay's envelope of the answers that name no facade (refunds, ledgers, settlements, rates, tokens). */
const data = (schema: SchemaObject): SchemaObject => ({ type: 'object', additionalProperties: false, required: ['data'], properties: { data: schema } });
/** `{ "facade": …, "data": … }`: invoices, bills, subscriptions, payouts and recipients also name the facade that read them. */
const facadeData = (facades: string[], schema: SchemaObject): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: ['facade', 'data'],
  properties: { facade: facades.length === 1 ? { const: facades[0] } : { enum: facades }, data: schema },
});
const list = (schema: SchemaObject): SchemaObject => ({ type: 'array', items: schema });

/** `{"data":"Success"}`: invoice webhook resend and bill delivery. */
const SUCCESS_STRING = data({ const: 'Success' });
/** `{"status":"success","message":null}` (presenters/success.ts): refund, payout and recipient actions that return no object. */
const STATUS_SUCCESS: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'message'],
  properties: { status: { const: 'success' }, message: { type: 'null' } },
};

const INVOICE = ref('resources/invoice');
const REFUND = ref('resources/refund');
const RECIPIENT = ref('resources/recipient');
const PAYOUT = ref('resources/payout');
const SETTLEMENT = ref('resources/settlement');
const BILL = ref('resources/bill');
const SUBSCRIPTION = ref('resources/subscription');

const invoiceAnswer = (facades: string[]) => facadeData(facades, INVOICE);
const BOTH_INVOICE_FACADES = ['pos/invoice', 'merchant/invoice'];
const MERCHANT_INVOICE = ['merchant/invoice'];
const RECIPIENT_FACADE = ['payout/recipient'];
const PAYOUT_FACADE = ['payout/payout'];
const SUBSCRIPTION_FACADE = ['merchant/subscription'];

/** A payout group's outcome: the payouts done, and the instructions (or members) refused, each with why. */
const groupOutcome = (done: 'created' | 'cancelled', key: 'payee' | 'payoutId'): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: [done, 'failed'],
  properties: {
    [done]: list(PAYOUT),
    failed: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: [key, 'errMessage'], properties: { [key]: { type: 'string' }, errMessage: { type: 'string' } } },
    },
  },
});

/** Who may call: a signed merchant or payout token (or a pos token that requires authentication), or an unsigned pos token. */
const SIGNED = ['signed'];
const SIGNED_OR_POS = ['signed', 'token'];
const RESOURCE_TOKEN =
  'The token may also be the resource’s own `token` (as the Node and PHP SDKs send it), provided the request is signed by a client holding an approved merchant token of the same merchant.';

const operations: ApiOperation[] = [
  // Tokens (BITPAY-WIRE §2.5)
  {
    method: 'post',
    path: '/tokens',
    tag: 'Tokens',
    summary: 'Request an API token, or claim a pairing code',
    description:
      'Never signed. Body `{id: <client SIN>, facade?, label?, pairingCode?}`: without `pairingCode`, a client-initiated request the merchant approves later (the answer carries `pairingCode` and `pairingExpiration`); with one, claims a code the merchant created. The body is checked field by field by the engine, not by a JSON Schema.',
    responses: { 200: data({ type: 'array', minItems: 1, maxItems: 1, items: ref('resources/token') }) },
  },
  {
    method: 'get',
    path: '/tokens',
    tag: 'Tokens',
    summary: 'List the approved tokens of the signing client',
    description: 'Signed with X-Identity and X-Signature, but with no token: the tokens are those bound to the signing key’s SIN, each as `{<facade>: <token>}`.',
    security: SIGNED,
    responses: {
      200: data({
        type: 'array',
        items: { type: 'object', minProperties: 1, maxProperties: 1, propertyNames: { enum: ['pos', 'merchant', 'payout'] }, additionalProperties: { type: 'string' } },
      }),
    },
  },

  // Invoices (BITPAY-WIRE §3.1, §4)
  { method: 'post', path: '/invoices', tag: 'Invoices', summary: 'Create an invoice', security: SIGNED_OR_POS, body: 'requests/invoice-create', responses: { 200: invoiceAnswer(BOTH_INVOICE_FACADES) } },
  {
    method: 'get',
    path: '/invoices',
    tag: 'Invoices',
    summary: 'List invoices (filtered)',
    description: '`dateStart` and `dateEnd` are required; `limit` is from 1 to 1000 (100 when left out).',
    security: SIGNED,
    query: 'requests/invoice-list',
    responses: { 200: facadeData(MERCHANT_INVOICE, list(INVOICE)) },
  },
  { method: 'get', path: '/invoices/guid/:guid', tag: 'Invoices', summary: 'Retrieve an invoice by its guid', security: SIGNED_OR_POS, responses: { 200: invoiceAnswer(BOTH_INVOICE_FACADES) } },
  {
    method: 'get',
    path: '/invoices/:id',
    tag: 'Invoices',
    summary: 'Retrieve an invoice',
    description: 'A pos token sees fewer fields (no buyer, transactions, refund addresses, …).',
    security: SIGNED_OR_POS,
    responses: { 200: invoiceAnswer(BOTH_INVOICE_FACADES) },
  },
  {
    method: 'get',
    path: '/invoices/:id/events',
    tag: 'Invoices',
    summary: 'Retrieve an invoice’s event token',
    security: SIGNED,
    responses: { 200: facadeData(MERCHANT_INVOICE, ref('resources/invoice-event-token')) },
  },
  {
    method: 'put',
    path: '/invoices/pay/:id',
    tag: 'Invoices',
    summary: 'Pay an invoice (test environment)',
    description: 'BitPay’s test-environment mock payment, paid through the simulated chain up to `status` (`confirmed` when left out).',
    security: SIGNED,
    body: 'requests/invoice-pay',
    responses: { 200: invoiceAnswer(MERCHANT_INVOICE) },
  },
  {
    method: 'put',
    path: '/invoices/:id',
    tag: 'Invoices',
    summary: 'Update an invoice’s buyer contact (email or SMS)',
    description: '`buyerEmail`, `buyerSms` and `smsCode` given as "" count as absent (the PHP SDK sends all three).',
    security: SIGNED,
    body: 'requests/invoice-update',
    responses: { 200: invoiceAnswer(MERCHANT_INVOICE) },
  },
  {
    method: 'post',
    path: '/invoices/:id/notifications',
    tag: 'Invoices',
    summary: 'Request an invoice webhook to be resent',
    description: RESOURCE_TOKEN,
    security: SIGNED,
    responses: { 200: SUCCESS_STRING },
  },
  {
    method: 'delete',
    path: '/invoices/guid/:key',
    tag: 'Invoices',
    summary: 'Cancel an invoice by its guid',
    description: 'Query `forceCancel` (true/false, 1/0): cancel even when the invoice has no buyer contact.',
    security: SIGNED,
    responses: { 200: invoiceAnswer(MERCHANT_INVOICE) },
  },
  {
    method: 'delete',
    path: '/invoices/:key',
    tag: 'Invoices',
    summary: 'Cancel an invoice',
    description: 'Query `forceCancel` (true/false, 1/0): cancel even when the invoice has no buyer contact.',
    security: SIGNED,
    responses: { 200: invoiceAnswer(MERCHANT_INVOICE) },
  },

  // Refunds (BITPAY-WIRE §3.2): no facade in the answers
  { method: 'post', path: '/refunds', tag: 'Refunds', summary: 'Create a refund request', security: SIGNED, body: 'requests/refund-create', responses: { 200: data(REFUND) } },
  { method: 'get', path: '/refunds', tag: 'Refunds', summary: 'List an invoice’s refunds', description: 'Query `invoiceId` (required).', security: SIGNED, responses: { 200: data(list(REFUND)) } },
  { method: 'get', path: '/refunds/guid/:key', tag: 'Refunds', summary: 'Retrieve a refund by its guid', security: SIGNED, responses: { 200: data(REFUND) } },
  {
    method: 'put',
    path: '/refunds/guid/:key',
    tag: 'Refunds',
    summary: 'Update a refund by its guid',
    description: 'Body `{token, status}`: `status: "created"` confirms a preview refund. The body is not checked by a JSON Schema.',
    security: SIGNED,
    responses: { 200: data(REFUND) },
  },
  { method: 'delete', path: '/refunds/guid/:key', tag: 'Refunds', summary: 'Cancel a refund by its guid', security: SIGNED, responses: { 200: data(REFUND) } },
  { method: 'get', path: '/refunds/:key', tag: 'Refunds', summary: 'Retrieve a refund', security: SIGNED, responses: { 200: data(REFUND) } },
  {
    method: 'put',
    path: '/refunds/:key',
    tag: 'Refunds',
    summary: 'Update a refund',
    description: 'Body `{token, status}`: `status: "created"` confirms a preview refund. The body is not checked by a JSON Schema.',
    security: SIGNED,
    responses: { 200: data(REFUND) },
  },
  { method: 'delete', path: '/refunds/:key', tag: 'Refunds', summary: 'Cancel a refund', security: SIGNED, responses: { 200: data(REFUND) } },
  {
    method: 'post',
    path: '/refunds/:key/notifications',
    tag: 'Refunds',
    summary: 'Request a refund webhook to be resent',
    description: RESOURCE_TOKEN,
    security: SIGNED,
    responses: { 200: STATUS_SUCCESS },
  },

  // Ledgers (BITPAY-WIRE §3.4)
  { method: 'get', path: '/ledgers', tag: 'Ledgers', summary: 'Retrieve the account’s balances', security: SIGNED, responses: { 200: data(list(ref('resources/ledger-balance'))) } },
  {
    method: 'get',
    path: '/ledgers/:currency',
    tag: 'Ledgers',
    summary: 'Retrieve a ledger’s entries',
    description: '`startDate` and `endDate`: a date (YYYY-MM-DD) or an ISO 8601 date-time; either end may be left open.',
    security: SIGNED,
    query: 'requests/ledger-entries',
    responses: { 200: data(list(ref('resources/ledger-entry'))) },
  },

  // Payout recipients (BITPAY-WIRE §3.5): payout facade
  { method: 'post', path: '/recipients', tag: 'Recipients', summary: 'Invite payout recipients', security: SIGNED, body: 'requests/recipients-submit', responses: { 200: facadeData(RECIPIENT_FACADE, list(RECIPIENT)) } },
  {
    method: 'get',
    path: '/recipients',
    tag: 'Recipients',
    summary: 'List payout recipients (by status)',
    description: 'Of the query, only `status`, `limit` and `offset` apply to recipients.',
    security: SIGNED,
    query: 'requests/payout-list',
    responses: { 200: facadeData(RECIPIENT_FACADE, list(RECIPIENT)) },
  },
  { method: 'get', path: '/recipients/:id', tag: 'Recipients', summary: 'Retrieve a payout recipient', security: SIGNED, responses: { 200: facadeData(RECIPIENT_FACADE, RECIPIENT) } },
  {
    method: 'put',
    path: '/recipients/:id',
    tag: 'Recipients',
    summary: 'Update a payout recipient’s label or notification URL',
    security: SIGNED,
    body: 'requests/recipient-update',
    responses: { 200: facadeData(RECIPIENT_FACADE, RECIPIENT) },
  },
  { method: 'delete', path: '/recipients/:id', tag: 'Recipients', summary: 'Remove a payout recipient', security: SIGNED, responses: { 200: STATUS_SUCCESS } },
  { method: 'post', path: '/recipients/:id/notifications', tag: 'Recipients', summary: 'Request a recipient webhook to be resent', security: SIGNED, responses: { 200: STATUS_SUCCESS } },

  // Payouts (BITPAY-WIRE §3.6): payout facade
  {
    method: 'post',
    path: '/payouts',
    tag: 'Payouts',
    summary: 'Create a payout',
    description: 'Exactly one of `email`, `recipientId` and `shopperId` names the recipient.',
    security: SIGNED,
    body: 'requests/payout-create',
    responses: { 200: facadeData(PAYOUT_FACADE, PAYOUT) },
  },
  {
    method: 'get',
    path: '/payouts',
    tag: 'Payouts',
    summary: 'List payouts (filtered)',
    description: '`status` is one of new, funded, processing, complete, failed, cancelled; `limit` from 1 to 1000 (100 when left out).',
    security: SIGNED,
    query: 'requests/payout-list',
    responses: { 200: facadeData(PAYOUT_FACADE, list(PAYOUT)) },
  },
  {
    method: 'post',
    path: '/payouts/group',
    tag: 'Payouts',
    summary: 'Create a payout group',
    description:
      'Body `{token, instructions: [...]}`: 1 to 200 instructions, each validated on its own as a `POST /payouts` body (requests/payout-create); an instruction refused is listed in `failed` with its payee, the others are created in one group. The answer has no `data` envelope.',
    security: SIGNED,
    responses: { 200: groupOutcome('created', 'payee') },
  },
  {
    method: 'delete',
    path: '/payouts/group/:groupId',
    tag: 'Payouts',
    summary: 'Cancel a payout group',
    description: 'The members that could not be cancelled are listed in `failed`. The answer has no `data` envelope.',
    security: SIGNED,
    responses: { 200: groupOutcome('cancelled', 'payoutId') },
  },
  { method: 'get', path: '/payouts/:id', tag: 'Payouts', summary: 'Retrieve a payout', security: SIGNED, responses: { 200: facadeData(PAYOUT_FACADE, PAYOUT) } },
  { method: 'delete', path: '/payouts/:id', tag: 'Payouts', summary: 'Cancel a payout', security: SIGNED, responses: { 200: STATUS_SUCCESS } },
  { method: 'post', path: '/payouts/:id/notifications', tag: 'Payouts', summary: 'Request a payout webhook to be resent', security: SIGNED, responses: { 200: STATUS_SUCCESS } },

  // Settlements (BITPAY-WIRE §3.4)
  {
    method: 'get',
    path: '/settlements',
    tag: 'Settlements',
    summary: 'List settlements (filtered)',
    description: 'Dates as `startDate`/`endDate` (Node, Python) or `dateStart`/`dateEnd` (PHP); `limit` from 1 to 1000 (100 when left out).',
    security: SIGNED,
    query: 'requests/settlement-list',
    responses: { 200: data(list(SETTLEMENT)) },
  },
  { method: 'get', path: '/settlements/:id', tag: 'Settlements', summary: 'Retrieve a settlement', security: SIGNED, responses: { 200: data(SETTLEMENT) } },
  {
    method: 'get',
    path: '/settlements/:id/reconciliationReport',
    tag: 'Settlements',
    summary: 'Fetch a settlement’s reconciliation report',
    description: `The settlement and the ledger entries it covers, with their invoices. ${RESOURCE_TOKEN}`,
    security: SIGNED,
    responses: { 200: data(ref('resources/settlement-reconciliation-report')) },
  },

  // Bills (BITPAY-WIRE §3.3)
  { method: 'post', path: '/bills', tag: 'Bills', summary: 'Create a bill', security: SIGNED_OR_POS, body: 'requests/bill', responses: { 200: facadeData(['pos/bill', 'merchant/bill'], BILL) } },
  {
    method: 'get',
    path: '/bills',
    tag: 'Bills',
    summary: 'List bills (by status)',
    description: 'Query `status`: one of draft, sent, new, paid, complete.',
    security: SIGNED,
    responses: { 200: facadeData(['merchant/bill'], list(BILL)) },
  },
  { method: 'get', path: '/bills/:id', tag: 'Bills', summary: 'Retrieve a bill', security: SIGNED_OR_POS, responses: { 200: facadeData(['pos/bill', 'merchant/bill'], BILL) } },
  {
    method: 'put',
    path: '/bills/:id',
    tag: 'Bills',
    summary: 'Update a bill',
    description: RESOURCE_TOKEN,
    security: SIGNED,
    body: 'requests/bill',
    responses: { 200: facadeData(['merchant/bill'], BILL) },
  },
  {
    method: 'post',
    path: '/bills/:id/deliveries',
    tag: 'Bills',
    summary: 'Deliver a bill by e-mail',
    description: `Body \`{token}\`. ${RESOURCE_TOKEN} A bill made with a pos token is delivered with its own token unsigned.`,
    security: SIGNED_OR_POS,
    responses: { 200: SUCCESS_STRING },
  },

  // Subscriptions (BITPAY-WIRE §3.8)
  {
    method: 'post',
    path: '/subscriptions',
    tag: 'Subscriptions',
    summary: 'Create a subscription',
    description: '`billData` is required; `schedule` is monthly when left out.',
    security: SIGNED,
    body: 'requests/subscription',
    responses: { 200: facadeData(SUBSCRIPTION_FACADE, SUBSCRIPTION) },
  },
  {
    method: 'get',
    path: '/subscriptions',
    tag: 'Subscriptions',
    summary: 'List subscriptions (by status)',
    description: 'Query `status`: one of draft, active, cancelled.',
    security: SIGNED,
    responses: { 200: facadeData(SUBSCRIPTION_FACADE, list(SUBSCRIPTION)) },
  },
  { method: 'get', path: '/subscriptions/:id', tag: 'Subscriptions', summary: 'Retrieve a subscription', security: SIGNED, responses: { 200: facadeData(SUBSCRIPTION_FACADE, SUBSCRIPTION) } },
  {
    method: 'put',
    path: '/subscriptions/:id',
    tag: 'Subscriptions',
    summary: 'Update a subscription',
    description: RESOURCE_TOKEN,
    security: SIGNED,
    body: 'requests/subscription',
    responses: { 200: facadeData(SUBSCRIPTION_FACADE, SUBSCRIPTION) },
  },

  // Public resources (BITPAY-WIRE §3.7): no token, never signed
  { method: 'get', path: '/rates', tag: 'Rates and currencies', summary: 'Retrieve the rates of BTC', responses: { 200: data(list(ref('resources/rate'))) } },
  { method: 'get', path: '/rates/:base', tag: 'Rates and currencies', summary: 'Retrieve the rates of a currency', responses: { 200: data(list(ref('resources/rate'))) } },
  { method: 'get', path: '/rates/:base/:quote', tag: 'Rates and currencies', summary: 'Retrieve one rate', responses: { 200: data(ref('resources/rate')) } },
  { method: 'get', path: '/currencies', tag: 'Rates and currencies', summary: 'Retrieve the supported currencies', responses: { 200: data(list(ref('resources/currency'))) } },
  {
    method: 'get',
    path: '/supportedWallets',
    tag: 'Rates and currencies',
    summary: 'Retrieve the supported wallets',
    description: 'Matched in any case and with a trailing slash (`supportedwallets`, `supportedWallets/`), as the SDKs call it.',
    responses: { 200: data(list(ref('resources/wallet'))) },
  },
];

/** BitPay's REST API v2 as served (BITPAY-WIRE.md): the source of its OpenAPI document. */
export const bitpayApi: ApiDescription = {
  title: 'BitPay REST API v2 (emulated)',
  description: 'BitPay’s merchant API as the official SDKs speak it: tokens and pairing, invoices, refunds, ledgers, payouts and recipients, settlements, bills, subscriptions, rates.',
  securitySchemes: {
    signed: {
      type: 'apiKey',
      in: 'header',
      name: 'X-Signature',
      description:
        'A signed request (BITPAY-WIRE §2): X-Identity, the client’s compressed secp256k1 public key in hex; X-Signature, the hex DER ECDSA signature of SHA-256(full URL + raw JSON body); and, except on `GET /tokens`, a token bound to that key: a merchant or payout token (always signed) or a pos token made with “require authentication”, as `token` in the query of a GET or DELETE and in the JSON body otherwise.',
    },
    token: {
      type: 'apiKey',
      in: 'query',
      name: 'token',
      description: 'An unsigned pos token: `token` in the query of a GET or DELETE, in the JSON body otherwise.',
    },
  },
  error: {
    description: 'Every error answer: BitPay’s coded v2 error, or its legacy `{error}` for tokens, pairing and authentication (BITPAY-WIRE §1.5).',
    oneOf: [
      {
        title: 'Coded error',
        type: 'object',
        required: ['status', 'code', 'data', 'error'],
        properties: {
          status: { const: 'error' },
          code: { type: 'string', pattern: '^[0-9]{6}$', description: 'Method (01 POST, 02 GET, 03 PUT, 04 DELETE), resource, error' },
          data: { type: 'null' },
          error: { type: 'string' },
          requestId: { type: 'string', description: 'On an internal error: where the emulator’s log has the details' },
        },
        additionalProperties: true,
      },
      {
        title: 'Legacy error',
        type: 'object',
        required: ['error'],
        not: { required: ['status'] },
        properties: {
          error: { type: 'string' },
          hint: { type: 'string', description: 'What the signature or the token binding should have been' },
          signedUrl: { type: 'string', description: 'The URL the signature was checked against' },
        },
        additionalProperties: true,
      },
    ],
  },
  tags: [
    { name: 'Tokens', description: 'Pairing: API tokens requested by a client or claimed with a pairing code' },
    { name: 'Invoices', description: 'Create, read, update, pay (test environment) and cancel invoices' },
    { name: 'Refunds', description: 'Refund requests of paid invoices' },
    { name: 'Ledgers', description: 'Balances and ledger entries, per currency' },
    { name: 'Recipients', description: 'Payout recipients (payout facade)' },
    { name: 'Payouts', description: 'Payouts and payout groups (payout facade)' },
    { name: 'Settlements', description: 'Settlements to the bank account and their reconciliation reports' },
    { name: 'Bills', description: 'Line-itemed bills, delivered by e-mail and paid through an invoice' },
    { name: 'Subscriptions', description: 'Bills sent again on a schedule' },
    { name: 'Rates and currencies', description: 'Public: exchange rates, currencies and supported wallets' },
  ],
  operations,
};
