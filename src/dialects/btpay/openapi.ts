import { ref, type ApiDescription, type SchemaObject } from '../../http/openapi.js';

/** `{ "ok": true }`, what a delete answers (a cancelled invoice also says its status). */
const ok = (extra: Record<string, SchemaObject> = {}): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: ['ok', ...Object.keys(extra)],
  properties: { ok: { const: true }, ...extra },
});

/** `{ "<name>": [ … ] }`, how the lists without paging answer. */
const list = (name: string, item: SchemaObject): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: [name],
  properties: { [name]: { type: 'array', items: item } },
});

const REF = 'The <ref> is the invoice number (INV-0001), its reference (A1B2C3D4-E5F6A7B8), its numeric id (42), or the id of the invoice it was finalized as.';

/** Seed 001's self-hosted invoicing API ("btpay"), as served: the source of its OpenAPI document. */
export const btpayApi: ApiDescription = {
  title: 'btpay: the invoicing API of seed 001 (emulated)',
  description:
    'A self-hosted invoicing API under /api/v1/: draft invoices with line items, finalized into a bitcoin quote (BTC_QUOTE_DEADLINE minutes) or paid by wire; ' +
    'payment links; BTC rates; webhooks signed with X-BTPay-Signature (hex HMAC-SHA256 of the body). Money is written as decimal strings ("220.00", zero as "0"), ' +
    'times as Unix seconds. Every error is `{"error": "…"}`: 400 for a bad request (including a state that refuses it), 401 a missing or unknown key, ' +
    '403 a key without the permission, 404 not found, 429 rate limited (BTPAY_RATE_LIMIT requests per minute per key, with Retry-After).',
  securitySchemes: {
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      description:
        'Authorization: Bearer <API key> (Dashboard › API keys, `bitpay-emulator api-key --dialect btpay`, or POST /sandbox/api-keys {"dialect":"btpay"}). ' +
        'A key has the permissions `read` and/or `write`: GET routes need `read`; every other route (POST, DELETE) needs `write`. ' +
        'A missing or unknown key is 401, a key without the permission 403.',
    },
  },
  error: {
    type: 'object',
    additionalProperties: false,
    required: ['error'],
    properties: { error: { type: 'string', description: 'What went wrong, in words' } },
  },
  tags: [
    { name: 'Invoices', description: 'Invoices with line items: create a draft, finalize it into a bitcoin quote, read it, poll its status, cancel it' },
    { name: 'Payment links', description: 'Reusable links to a public payment page, with a fixed amount or one the payer chooses' },
    { name: 'Rates', description: 'The price of one BTC in each fiat currency' },
    { name: 'Webhooks', description: 'Subscriptions to invoice and payment events, delivered signed with X-BTPay-Signature' },
  ],
  operations: [
    {
      method: 'get',
      path: '/api/v1/invoices',
      tag: 'Invoices',
      summary: 'List invoices',
      description:
        'Newest first. Query parameters (read by the route, not described by a schema): `status` — draft, pending, partial, paid, confirmed, expired or cancelled ' +
        '(repeated or comma-separated for several; default all); `limit` — 1 to 100 (default 50); `offset` — from 0 (default 0). Any other parameter is a 400.',
      security: ['apiKey'],
      responses: {
        200: {
          type: 'object',
          additionalProperties: false,
          required: ['invoices', 'total', 'limit', 'offset'],
          properties: {
            invoices: { type: 'array', items: ref('btpay/resources/invoice') },
            total: { type: 'integer', minimum: 0, description: 'How many invoices match, over all pages' },
            limit: { type: 'integer', minimum: 1, maximum: 100 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    {
      method: 'post',
      path: '/api/v1/invoices',
      tag: 'Invoices',
      summary: 'Create a draft invoice',
      description: 'A draft with line items; currency defaults to the merchant’s, payment_methods to ["onchain_btc"]. It is priced in BTC only when finalized.',
      security: ['apiKey'],
      body: 'btpay/invoice-create',
      responses: { 201: ref('btpay/resources/invoice') },
    },
    {
      method: 'get',
      path: '/api/v1/invoices/:ref',
      tag: 'Invoices',
      summary: 'Get an invoice',
      description: `${REF} Query parameter (read by the route, not described by a schema): \`include_payments\` — true or false (also 1 or 0; default false): true adds the \`payments\` array. Any other parameter is a 400.`,
      security: ['apiKey'],
      responses: { 200: ref('btpay/resources/invoice') },
    },
    {
      method: 'post',
      path: '/api/v1/invoices/:ref/finalize',
      tag: 'Invoices',
      summary: 'Finalize a draft invoice',
      description: `Turns a draft into a pending invoice: locks the BTC rate and amount for BTC_QUOTE_DEADLINE minutes and assigns a bitcoin address (when it takes onchain_btc). 400 when it is not a draft. ${REF} No body.`,
      security: ['apiKey'],
      responses: { 200: ref('btpay/resources/invoice') },
    },
    {
      method: 'get',
      path: '/api/v1/invoices/:ref/status',
      tag: 'Invoices',
      summary: 'Poll an invoice’s status',
      description: `A light shape for polling. ${REF}`,
      security: ['apiKey'],
      responses: { 200: ref('btpay/resources/invoice-status') },
    },
    {
      method: 'delete',
      path: '/api/v1/invoices/:ref',
      tag: 'Invoices',
      summary: 'Cancel an invoice',
      description: `Cancels a draft or pending (unpaid) invoice and releases its bitcoin address to the pool; 400 otherwise. ${REF}`,
      security: ['apiKey'],
      responses: { 200: ok({ status: { const: 'cancelled' } }) },
    },
    {
      method: 'get',
      path: '/api/v1/payment-links',
      tag: 'Payment links',
      summary: 'List payment links',
      description: 'Every payment link of the merchant, deactivated ones included (is_active false), oldest first.',
      security: ['apiKey'],
      responses: { 200: list('payment_links', ref('btpay/resources/payment-link')) },
    },
    {
      method: 'post',
      path: '/api/v1/payment-links',
      tag: 'Payment links',
      summary: 'Create a payment link',
      description: 'The slug is made from the title when not given; a slug stays taken after its link is deleted. No amount: the payer chooses.',
      security: ['apiKey'],
      body: 'btpay/payment-link-create',
      responses: { 201: ref('btpay/resources/payment-link') },
    },
    {
      method: 'delete',
      path: '/api/v1/payment-links/:slug',
      tag: 'Payment links',
      summary: 'Deactivate a payment link',
      description: 'A soft delete: the link stays listed, with is_active false, and keeps its slug.',
      security: ['apiKey'],
      responses: { 200: ok() },
    },
    {
      method: 'get',
      path: '/api/v1/rates',
      tag: 'Rates',
      summary: 'Get BTC rates',
      description: 'The price of one BTC in each fiat currency of the emulator’s current rate sheet.',
      security: ['apiKey'],
      responses: { 200: ref('btpay/resources/rates') },
    },
    {
      method: 'get',
      path: '/api/v1/webhooks',
      tag: 'Webhooks',
      summary: 'List webhooks',
      description: 'The merchant’s webhook subscriptions (without their secrets).',
      security: ['apiKey'],
      responses: { 200: list('webhooks', ref('btpay/resources/webhook')) },
    },
    {
      method: 'post',
      path: '/api/v1/webhooks',
      tag: 'Webhooks',
      summary: 'Create a webhook',
      description:
        'url must be an absolute http:// or https:// URL (https:// only when WEBHOOK_HTTPS_ONLY is set); events default to ["*"] (every event). ' +
        'The answer carries the signing secret, shown only now.',
      security: ['apiKey'],
      body: 'btpay/webhook-create',
      responses: { 201: ref('btpay/resources/webhook-created') },
    },
    {
      method: 'delete',
      path: '/api/v1/webhooks/:id',
      tag: 'Webhooks',
      summary: 'Delete a webhook',
      description: 'By its numeric id.',
      security: ['apiKey'],
      responses: { 200: ok() },
    },
  ],
};
