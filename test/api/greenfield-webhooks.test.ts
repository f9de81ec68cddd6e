import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { greenfield } from '../support/greenfield.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

describe('Greenfield store webhooks', () => {
  let emu: Emulator;
  let receiver: Receiver;
  let key: string;
  let storeId: string;
  let path = 0;
  const gf = (method: string, url: string, body?: unknown) => greenfield(emu.url, method, url, { key, ...(body !== undefined ? { body } : {}) });
  /** A webhook to its own receiver path, so that tests do not see each other's deliveries. */
  const webhook = async (settings: Json = {}) => {
    const at = `/hook-${++path}`;
    const created = await gf('POST', `stores/${storeId}/webhooks`, { url: receiver.url(at), ...settings });
    expect(created.status, JSON.stringify(created.json)).to.equal(200);
    return { at, hook: created.json as Json };
  };
  const invoice = async (body: Json = { amount: '10', currency: 'USD' }) => (await gf('POST', `stores/${storeId}/invoices`, body)).json as Json;
  const bodies = async (at: string) => {
    await emu.webhooks.flush();
    return receiver.at(at).map((r) => r.json as Json);
  };

  before(async () => {
    emu = await startTestEmulator();
    receiver = await startReceiver();
    const made = (await emu.sandbox.apiKey({ dialect: 'greenfield' })) as Json;
    key = made.apiKey;
    storeId = made.storeId;
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  it('creates a webhook (its secret shown once), lists, reads, updates and deletes it', async () => {
    const { hook } = await webhook({ secret: 'my-secret' });
    expect(hook).to.deep.include({ enabled: true, automaticRedelivery: true, secret: 'my-secret', authorizedEvents: { everything: true, specificEvents: [] } });
    const read = await gf('GET', `stores/${storeId}/webhooks/${hook.id}`);
    expect(read.json).not.to.have.property('secret');
    expect((await gf('GET', `stores/${storeId}/webhooks`)).json.map((h: Json) => h.id)).to.include(hook.id);
    const updated = await gf('PUT', `stores/${storeId}/webhooks/${hook.id}`, { url: hook.url, enabled: false, authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled'] } });
    expect(updated.json).to.deep.include({ enabled: false, automaticRedelivery: true, authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled'] } });
    expect(updated.json).not.to.have.property('secret');
    const generated = (await webhook()).hook;
    expect(generated.secret).to.match(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    const deleted = await gf('DELETE', `stores/${storeId}/webhooks/${hook.id}`);
    expect(deleted.status).to.equal(200);
    expect(deleted.text).to.equal('');
    const gone = await gf('GET', `stores/${storeId}/webhooks/${hook.id}`);
    expect(gone.status).to.equal(404);
    expect(gone.json.code).to.equal('webhook-not-found');
    const bad = await gf('POST', `stores/${storeId}/webhooks`, { url: 'not a url' });
    expect(bad.status).to.equal(422);
    expect(bad.json).to.deep.equal([{ path: 'Url', message: 'Invalid Url' }]);
  });

  it('sends each event of an invoice’s life, signed with BTCPay-Sig, in order', async () => {
    const { at, hook } = await webhook({ secret: 'sig-secret' });
    const made = await invoice({ amount: '10', currency: 'USD', metadata: { orderId: 'hooked' } });
    const payment = await emu.sandbox.pay(made.id);
    await emu.sandbox.mine(1);
    const received = (await bodies(at)).filter((b) => b.invoiceId === made.id);
    expect(received.map((b) => b.type)).to.deep.equal(['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoicePaymentSettled', 'InvoiceSettled']);
    for (const body of received) {
      expect(body).to.include({ webhookId: hook.id, isRedelivery: false, storeId, invoiceId: made.id });
      expect(body.deliveryId).to.equal(body.originalDeliveryId);
      expect(body.metadata).to.deep.equal({ orderId: 'hooked' });
      expect(body.timestamp).to.be.a('number').and.be.closeTo(Math.floor(emu.clock.now() / 1000), 5);
    }
    const paid = received[1]!;
    expect(paid).to.include({ afterExpiration: false, paymentMethodId: 'BTC-CHAIN' });
    expect(paid.payment).to.include({ id: `${payment.txid}-0`, status: 'Processing', value: payment.amountBtc });
    expect(received[3]!.payment).to.include({ id: `${payment.txid}-0`, status: 'Settled' });
    expect(received[2]).to.include({ overPaid: false });
    expect(received[4]).to.include({ manuallyMarked: false, overPaid: false });

    const raw = receiver.at(at).find((r) => r.json?.type === 'InvoiceSettled' && r.json.invoiceId === made.id)!;
    expect(raw.headers['btcpay-sig']).to.equal(`sha256=${createHmac('sha256', 'sig-secret').update(raw.raw).digest('hex')}`);
    expect(raw.headers['content-type']).to.equal('application/json');
    expect(raw.headers['user-agent']).to.match(/^BTCPayServer\//);
    expect(raw.raw).to.include('\n  "deliveryId"');
  });

  it('tells of a high-speed settlement, a partial expiry, a late payment and hand marking', async () => {
    const { at } = await webhook();
    const fast = await invoice({ amount: '1', currency: 'USD', checkout: { speedPolicy: 'HighSpeed' } });
    await emu.sandbox.pay(fast.id);
    const partial = await invoice();
    await emu.sandbox.pay(partial.id, { percent: 30 });
    await emu.clock.advance('16m');
    const late = await invoice();
    await emu.sandbox.expire(late.id);
    await emu.clock.advance('1s');
    await emu.sandbox.pay(late.id);
    const lateInTwo = await invoice();
    await emu.sandbox.expire(lateInTwo.id);
    await emu.clock.advance('1s');
    await emu.sandbox.pay(lateInTwo.id, { percent: 50 });
    await emu.sandbox.pay(lateInTwo.id);
    const marked = await invoice();
    await gf('POST', `stores/${storeId}/invoices/${marked.id}/status`, { status: 'Invalid' });
    const all = await bodies(at);
    const types = (id: string) => all.filter((b) => b.invoiceId === id).map((b) => b.type);
    expect(types(fast.id)).to.deep.equal(['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoicePaymentSettled', 'InvoiceProcessing', 'InvoiceSettled']);
    expect(types(partial.id)).to.deep.equal(['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoiceExpired', 'InvoiceExpiredPaidPartial']);
    expect(all.find((b) => b.invoiceId === partial.id && b.type === 'InvoiceExpired')).to.include({ partiallyPaid: true });
    expect(types(late.id)).to.deep.equal(['InvoiceCreated', 'InvoiceExpired', 'InvoiceReceivedPayment', 'InvoicePaidAfterExpiration']);
    expect(all.find((b) => b.invoiceId === late.id && b.type === 'InvoiceReceivedPayment')).to.include({ afterExpiration: true });
    expect(types(lateInTwo.id)).to.deep.equal(['InvoiceCreated', 'InvoiceExpired', 'InvoiceReceivedPayment', 'InvoiceReceivedPayment', 'InvoicePaidAfterExpiration']);
    expect(types(marked.id)).to.deep.equal(['InvoiceCreated', 'InvoiceInvalid']);
    expect(all.find((b) => b.invoiceId === marked.id && b.type === 'InvoiceInvalid')).to.include({ manuallyMarked: true });
  });

  it('sends only the events a webhook asked for, nothing when disabled, and only its own store’s', async () => {
    const { at: settledOnly } = await webhook({ authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled'] } });
    const { at: disabled } = await webhook({ enabled: false });
    const other = await emu.sandbox.createMerchant('Other store');
    const otherKey = (await emu.sandbox.apiKey({ dialect: 'greenfield', merchantId: other.id })) as Json;
    const otherAt = `/hook-other-${++path}`;
    await greenfield(emu.url, 'POST', `stores/${other.id}/webhooks`, { key: otherKey.apiKey as string, body: { url: receiver.url(otherAt) } });
    const made = await invoice();
    await emu.sandbox.pay(made.id);
    await emu.sandbox.mine(1);
    expect((await bodies(settledOnly)).map((b) => b.type)).to.deep.equal(['InvoiceSettled']);
    expect(await bodies(disabled)).to.deep.equal([]);
    expect(await bodies(otherAt)).to.deep.equal([]);
  });

  it('retries a 5xx after 10 s on the emulator clock as a redelivery, and not a 4xx', async () => {
    const { at, hook } = await webhook({ authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    receiver.plan(at, 500, 404);
    const first = await invoice();
    const second = await invoice();
    let received = await bodies(at);
    expect(received.map((b) => [b.invoiceId, b.isRedelivery])).to.deep.equal([[first.id, false]]);
    await emu.clock.advance('10s');
    received = await bodies(at);
    // the retry went out (404, not retried); then the second invoice's event (200)
    expect(received.map((b) => [b.invoiceId, b.isRedelivery])).to.deep.equal([[first.id, false], [first.id, true], [second.id, false]]);
    const [original, retry] = received;
    expect(retry!.originalDeliveryId).to.equal(original!.deliveryId);
    expect(retry!.deliveryId).to.not.equal(original!.deliveryId);
    expect(retry!.timestamp).to.equal(original!.timestamp);
    await emu.clock.advance('1h');
    expect(await bodies(at)).to.have.length(3);

    const deliveries = (await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries`)).json as Json[];
    expect(deliveries.map((d) => [d.status, d.httpCode])).to.deep.equal([['HttpSuccess', 200], ['HttpError', 404], ['HttpError', 500]]);
    expect(deliveries[1]).to.include({ id: retry!.deliveryId, errorMessage: 'HTTP Error Code 404' });
    expect(deliveries[0]).to.include({ errorMessage: null });
    const one = await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries/${retry!.deliveryId}`);
    expect(one.json).to.deep.equal(deliveries[1]);
    const request = await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries/${original!.deliveryId}/request`);
    expect(request.text).to.equal(receiver.at(at)[0]!.raw);
    expect((await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries?count=1`)).json).to.have.length(1);
    const missing = await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries/nope`);
    expect(missing.status).to.equal(404);
    expect(missing.json.code).to.equal('webhookdelivery-not-found');
  });

  it('does not retry when automaticRedelivery is off; redeliver sends the event again with a new id', async () => {
    const { at, hook } = await webhook({ automaticRedelivery: false, authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    receiver.plan(at, 503);
    await invoice();
    await bodies(at);
    await emu.clock.advance('1h');
    const [failed] = await bodies(at);
    expect(receiver.at(at)).to.have.length(1);
    const redelivered = await gf('POST', `stores/${storeId}/webhooks/${hook.id}/deliveries/${failed!.deliveryId}/redeliver`);
    expect(redelivered.status).to.equal(200);
    const newId = redelivered.json as string;
    expect(newId).to.be.a('string').and.not.equal(failed!.deliveryId);
    const [, again] = await bodies(at);
    expect(again).to.include({ deliveryId: newId, originalDeliveryId: failed!.deliveryId, isRedelivery: true, type: 'InvoiceCreated', timestamp: failed!.timestamp });
    const log = (await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries`)).json as Json[];
    expect(log.map((d) => [d.id, d.status])).to.deep.equal([[newId, 'HttpSuccess'], [failed!.deliveryId, 'HttpError']]);

    // The sandbox's redeliver (the dashboard's button) repeats a subscription's delivery the same way.
    await emu.webhooks.redeliver(newId);
    const [, , third] = await bodies(at);
    expect(third).to.include({ originalDeliveryId: failed!.deliveryId, isRedelivery: true, type: 'InvoiceCreated' });
    expect(third!.deliveryId).to.not.be.oneOf([failed!.deliveryId, newId]);
    const ids = ((await gf('GET', `stores/${storeId}/webhooks/${hook.id}/deliveries`)).json as Json[]).map((d) => d.id);
    expect(ids).to.deep.equal([third!.deliveryId, newId, failed!.deliveryId]);
  });

  it('sends a retry to the webhook as it is now: a new URL and secret, or nothing once disabled or deleted', async () => {
    const { at, hook } = await webhook({ secret: 'old-secret', authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    receiver.plan(at, 500);
    const made = await invoice();
    await bodies(at);
    const moved = `/hook-moved-${++path}`;
    await gf('PUT', `stores/${storeId}/webhooks/${hook.id}`, { url: receiver.url(moved), secret: 'new-secret', authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    await emu.clock.advance('10s');
    const [retry] = await bodies(moved);
    expect(retry).to.include({ invoiceId: made.id, isRedelivery: true });
    const raw = receiver.at(moved)[0]!;
    expect(raw.headers['btcpay-sig']).to.equal(`sha256=${createHmac('sha256', 'new-secret').update(raw.raw).digest('hex')}`);

    const { at: dropped, hook: dropping } = await webhook({ authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    receiver.plan(dropped, 500);
    await invoice();
    await bodies(dropped);
    await gf('PUT', `stores/${storeId}/webhooks/${dropping.id}`, { url: receiver.url(dropped), enabled: false });
    await emu.clock.advance('1h');
    expect(await bodies(dropped)).to.have.length(1);
  });

  it('keeps the deliveries in the shared log beside BitPay’s IPNs', async () => {
    const { at } = await webhook({ authorizedEvents: { everything: false, specificEvents: ['InvoiceCreated'] } });
    const made = await invoice();
    await bodies(at);
    const log = await emu.webhooks.list({ invoiceId: made.id });
    const ours = log.filter((d) => d.url === receiver.url(at));
    expect(ours).to.have.length(1);
    expect(ours[0]).to.deep.include({ event: { code: null, name: 'InvoiceCreated' }, status: 'delivered' });
  });
});
