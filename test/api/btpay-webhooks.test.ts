import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { btpay, hasShapeOf, seed001, seedVerifyRecipe, verifyWithSeedRecipe } from '../support/btpay.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

const LINES = [{ description: 'Widget', quantity: 2, unit_price: '49.99' }];

describe('btpay webhooks (seed 001)', () => {
  let emu: Emulator;
  let receiver: Receiver;
  let key: string;
  let path = 0;
  const api = (method: string, url: string, body?: unknown, as = key) => btpay(emu.url, method, url, { key: as, ...(body !== undefined ? { body } : {}) });
  const webhook = async (settings: Json = {}) => {
    const at = `/btpay-${++path}`;
    const created = await api('POST', 'webhooks', { url: receiver.url(at), ...settings });
    expect(created.status, created.text).to.equal(201);
    return { at, hook: created.json as Json };
  };
  const received = async (at: string) => {
    await emu.webhooks.flush();
    return receiver.at(at);
  };
  const invoice = async () => (await api('POST', 'invoices', { lines: LINES })).json as Json;

  before(async () => {
    emu = await startTestEmulator();
    receiver = await startReceiver();
    const merchantId = (await emu.sandbox.createMerchant('btpay webhooks')).id as string;
    key = (await emu.sandbox.apiKey({ dialect: 'btpay', merchantId })).apiKey as string;
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  it('creates a webhook (its whsec_ secret shown once), lists it and deletes it', async () => {
    const { hook } = await webhook({ events: ['invoice.paid', 'invoice.confirmed'], description: 'Production webhook' });
    expect(hook).to.include({ is_active: true });
    expect(hook.secret).to.match(/^whsec_[0-9a-f]{48}$/);
    expect(hook.events).to.deep.equal(['invoice.paid', 'invoice.confirmed']);
    expect(hook.id).to.be.a('number');
    const listed = (await api('GET', 'webhooks')).json.webhooks as Json[];
    const mine = listed.find((h) => h.id === hook.id) as Json;
    expect(mine).to.deep.equal({ id: hook.id, url: hook.url, events: ['invoice.paid', 'invoice.confirmed'], is_active: true, description: 'Production webhook' });
    expect((await webhook()).hook.events).to.deep.equal(['*']);
    expect((await api('DELETE', `webhooks/${hook.id}`)).json).to.deep.equal({ ok: true });
    expect((await api('GET', 'webhooks')).json.webhooks.map((h: Json) => h.id)).not.to.include(hook.id);
    const again = await api('DELETE', `webhooks/${hook.id}`);
    expect(again.status).to.equal(404);
    expect(again.json).to.deep.equal({ error: `Webhook ${hook.id} not found` });
    for (const body of [{}, { url: 'not a url' }, { url: 'http://x.test/', events: ['invoice.exploded'] }, { url: 'http://x.test/', events: [] }]) {
      const bad = await api('POST', 'webhooks', body);
      expect(bad.status, JSON.stringify(body)).to.equal(400);
      expect(bad.json.error).to.be.a('string');
    }
    for (const hookId of (await api('GET', 'webhooks')).json.webhooks.map((h: Json) => h.id)) await api('DELETE', `webhooks/${hookId}`);
  });

  it('tells an invoice’s life in the seed’s events, signed, with the flat data of its example', async () => {
    const { at, hook } = await webhook();
    const created = await invoice();
    await api('POST', `invoices/${created.ref}/finalize`);
    await emu.sandbox.pay(created.ref, { percent: 50 });
    await emu.sandbox.pay(created.ref);
    await emu.sandbox.mine(1);
    const requests = await received(at);
    expect(requests.map((r) => r.headers['x-btpay-event'])).to.deep.equal([
      'invoice.created',
      'payment.received',
      'payment.received',
      'invoice.paid',
      'payment.confirmed',
      'payment.confirmed',
      'invoice.confirmed',
    ]);
    for (const request of requests) {
      expect(request.headers['content-type']).to.equal('application/json');
      expect(request.headers['x-btpay-signature']).to.equal(createHmac('sha256', hook.secret).update(request.raw).digest('hex'));
      expect(Object.keys(request.json)).to.deep.equal(['event', 'data', 'timestamp']);
      expect(request.json.event).to.equal(request.headers['x-btpay-event']);
      expect(request.json.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const paid = requests[3]?.json as Json;
    const example = seed001()?.examples.find((e) => 'event' in e);
    if (example) expect(hasShapeOf(paid, example), 'the seed’s webhook body example').to.equal(true);
    expect(paid.data).to.deep.equal({ ref: created.ref, invoice_number: created.invoice_number, status: 'paid', total: '99.98', amount_paid: '99.98', currency: 'USD', btc_amount: '0.00153816' });
    expect(requests[0]?.json.data).to.include({ status: 'draft', btc_amount: null });
    expect(requests[1]?.json.data.payment.txid).to.match(/^[0-9a-f]{64}$/);
    await api('DELETE', `webhooks/${hook.id}`);
  });

  it('verifies with the seed’s own Python recipe, run by python3', async function () {
    const recipe = seedVerifyRecipe();
    if (recipe === null) this.skip(); // ../shared/seeds is not beside the project
    const { at, hook } = await webhook({ events: ['invoice.created'] });
    await api('POST', 'invoices', { lines: [{ description: 'Café ☕ “quoted”', quantity: 1, unit_price: 3 }], notes: 'ünïcode' });
    const [request] = await received(at);
    expect(await verifyWithSeedRecipe(recipe as string, request?.raw as string, request?.headers['x-btpay-signature'] as string, hook.secret)).to.equal('True');
    expect(await verifyWithSeedRecipe(recipe as string, `${request?.raw} `, request?.headers['x-btpay-signature'] as string, hook.secret)).to.equal('False');
    await api('DELETE', `webhooks/${hook.id}`);
  });

  it('sends only the events a webhook subscribes to, and the cancellation and expiry events', async () => {
    const { at, hook } = await webhook({ events: ['invoice.cancelled', 'invoice.expired'] });
    const draft = await invoice();
    await api('DELETE', `invoices/${draft.ref}`);
    const pending = await invoice();
    await api('POST', `invoices/${pending.ref}/finalize`);
    await api('DELETE', `invoices/${pending.ref}`);
    const lapsing = await invoice();
    await api('POST', `invoices/${lapsing.ref}/finalize`);
    await emu.clock.advance('16m');
    const events = (await received(at)).map((r) => [r.json.event, r.json.data.invoice_number, r.json.data.status]);
    expect(events).to.deep.equal([
      ['invoice.cancelled', draft.invoice_number, 'cancelled'],
      ['invoice.cancelled', pending.invoice_number, 'cancelled'],
      ['invoice.expired', lapsing.invoice_number, 'expired'],
    ]);
    await api('DELETE', `webhooks/${hook.id}`);
  });

  it('a wire marked received is paid then confirmed', async () => {
    const { at, hook } = await webhook({ events: ['invoice.paid', 'invoice.confirmed'] });
    const draft = (await api('POST', 'invoices', { lines: LINES, payment_methods: ['wire', 'onchain_btc'] })).json as Json;
    await api('POST', `invoices/${draft.ref}/finalize`);
    await fetch(`${emu.url}sandbox/invoices/${draft.ref}/wire`, { method: 'POST' });
    expect((await received(at)).map((r) => [r.json.event, r.json.data.status, r.json.data.amount_paid])).to.deep.equal([
      ['invoice.paid', 'confirmed', '99.98'],
      ['invoice.confirmed', 'confirmed', '99.98'],
    ]);
    await api('DELETE', `webhooks/${hook.id}`);
  });

  it('retries a failure after 60 s, 5 min, 15 min, 1 h and 2 h on the emulator’s clock, then gives up; the log redelivers', async () => {
    const { at, hook } = await webhook({ events: ['invoice.created'] });
    receiver.plan(at, 500, 'hang', 404, 503, 500, 500);
    const started = emu.clock.now();
    await invoice();
    expect(await received(at)).to.have.length(1);
    const waits = [60_000, 300_000, 900_000, 3_600_000, 7_200_000];
    for (const [i, wait] of waits.entries()) {
      await emu.clock.advance(wait - 1);
      expect(await received(at), `before retry ${i + 1}`).to.have.length(i + 1);
      await emu.clock.advance(1);
      expect(await received(at), `retry ${i + 1}`).to.have.length(i + 2);
    }
    await emu.clock.advance('1d');
    expect(await received(at)).to.have.length(6);
    const [logged] = await emu.webhooks.list({ limit: 1 });
    expect(logged).to.include({ status: 'failed', attemptCount: 6, url: receiver.url(at) });
    expect(logged?.event.name).to.equal('invoice.created');
    expect(logged?.createdAt).to.equal(started);
    await emu.webhooks.redeliver(logged?.id as string);
    const all = await received(at);
    expect(all).to.have.length(7);
    expect(all[6]?.raw).to.equal(all[0]?.raw);
    await api('DELETE', `webhooks/${hook.id}`);
  });
});

describe('btpay rate limiting', () => {
  let emu: Emulator;
  let key: string;
  before(async () => {
    emu = await startTestEmulator({ btpayRateLimit: 3 });
    key = (await emu.sandbox.apiKey({ dialect: 'btpay' })).apiKey as string;
  });
  after(() => emu.close());

  it('answers 429 {error} with Retry-After past BTPAY_RATE_LIMIT requests a minute per key, until the minute turns', async () => {
    await emu.clock.set(Math.ceil(emu.clock.now() / 60_000) * 60_000 + 15_000);
    for (let i = 0; i < 3; i++) expect((await btpay(emu.url, 'GET', 'rates', { key })).status).to.equal(200);
    const limited = await btpay(emu.url, 'GET', 'invoices', { key });
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.equal('45');
    expect(limited.json.error).to.match(/Rate limit exceeded: 3 requests per minute/);
    const other = (await emu.sandbox.apiKey({ dialect: 'btpay' })).apiKey as string;
    expect((await btpay(emu.url, 'GET', 'rates', { key: other })).status).to.equal(200);
    await emu.clock.advance('45s');
    expect((await btpay(emu.url, 'GET', 'rates', { key })).status).to.equal(200);
  });
});
