import { createHmac, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, rawRequest, sdkClient, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

const hmac = (body: string, token: string) => createHmac('sha256', token).update(body).digest('base64');
const codes = (requests: { json: Json }[]) => requests.map((r) => r.json.event?.code ?? r.json.status);

describe('webhooks (IPN)', () => {
  let emu: Emulator;
  let receiver: Receiver;
  let merchant: Client;
  let merchantToken: string;
  let key: TestKey;

  before(async () => {
    emu = await startTestEmulator({ webhookTimeoutMs: '500ms' });
    receiver = await startReceiver();
    ({ key, token: merchantToken } = await pairClient(emu, 'merchant'));
    merchant = sdkClient(emu, key, { merchant: merchantToken });
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  /** An invoice whose webhooks go to a path of their own. */
  async function create(fields: Json = {}) {
    const path = `/ipn/${randomUUID()}`;
    const invoice = (await merchant.createInvoice(
      Object.assign(new Models.Invoice(10, 'USD'), { notificationURL: receiver.url(path), ...fields }),
    )) as unknown as Json;
    return { invoice, path, received: () => receiver.at(path) };
  }

  /** Pays, mines 1 then 5 blocks, and lets each stage's webhooks out before the next. */
  async function payAndConfirmStepByStep(id: string) {
    await emu.sandbox.pay(id);
    await emu.webhooks.flush();
    await emu.sandbox.mine(1);
    await emu.webhooks.flush();
    await emu.sandbox.mine(5);
    await emu.webhooks.flush();
  }

  describe('sequences per transactionSpeed (extended format)', () => {
    const cases: [string, number[]][] = [
      ['high', [1005, 1006]],
      ['medium', [1003, 1005, 1006]],
      ['low', [1003, 1006]],
    ];
    for (const [speed, expected] of cases) {
      it(`${speed}: ${expected.join(', ')}`, async () => {
        const { invoice, received } = await create({ transactionSpeed: speed, extendedNotifications: true });
        await payAndConfirmStepByStep(invoice.id);
        expect(received().map((r) => r.json.event)).to.deep.equal(
          expected.map((code) => ({ code, name: { 1003: 'invoice_paidInFull', 1005: 'invoice_confirmed', 1006: 'invoice_completed' }[code] })),
        );
        for (const request of received()) {
          expect(request.headers['content-type']).to.equal('application/json');
          expect(request.headers.accept).to.equal('application/json');
          expect(request.headers['x-signature']).to.equal(hmac(request.raw, merchantToken));
          expect(request.json.data).to.include({ id: invoice.id, url: invoice.url, price: 10, currency: 'USD' });
        }
        expect(received().at(-1)?.json.data).to.include({ status: 'complete', amountPaid: invoice.paymentTotals.BTC, transactionCurrency: 'BTC' });
      });
    }
  });

  it('sends the standard flat IPN with BitPay’s fields, statuses paid, confirmed and complete', async () => {
    const { invoice, received } = await create({ orderId: 'ord-7', posData: '{"ref":1}', buyer: { name: 'Ann', locality: 'Oslo', email: 'ann@example.com' } });
    await payAndConfirmStepByStep(invoice.id);
    expect(codes(received())).to.deep.equal(['paid', 'confirmed', 'complete']);
    const [first] = received();
    expect(Object.keys(first!.json)).to.deep.equal([
      'id', 'url', 'posData', 'status', 'price', 'currency', 'invoiceTime', 'expirationTime', 'currentTime', 'exceptionStatus',
      'buyerFields', 'paymentSubtotals', 'paymentTotals', 'exchangeRates', 'amountPaid', 'orderId', 'transactionCurrency',
    ]);
    expect(first!.json).to.deep.include({
      orderId: 'ord-7',
      posData: '{"ref":1}',
      exceptionStatus: false,
      buyerFields: { buyerName: 'Ann', buyerCity: 'Oslo', buyerEmail: 'ann@example.com' },
      paymentSubtotals: invoice.paymentSubtotals,
      paymentTotals: invoice.paymentTotals,
    });
    expect(first!.headers['x-signature']).to.equal(hmac(first!.raw, merchantToken));
  });

  it('carries the status at delivery time, as BitPay does', async () => {
    const { invoice, path, received } = await create();
    receiver.plan(path, 500); // holds the paid webhook back until the invoice is complete
    await emu.sandbox.pay(invoice.id);
    await emu.sandbox.mine(6);
    await emu.webhooks.flush();
    await emu.clock.advance('1m');
    await emu.webhooks.flush();
    expect(codes(received().slice(1))).to.deep.equal(['complete', 'complete', 'complete']);
  });

  it('sends one webhook without fullNotifications: confirmed, or complete at low speed', async () => {
    for (const [speed, status] of [
      ['medium', 'confirmed'],
      ['low', 'complete'],
    ]) {
      const { invoice, received } = await create({ transactionSpeed: speed, fullNotifications: false });
      await emu.sandbox.pay(invoice.id);
      await emu.sandbox.mine(1);
      await emu.webhooks.flush();
      await emu.sandbox.mine(5);
      await emu.webhooks.flush();
      expect(codes(received()), speed).to.deep.equal([status]);
    }
  });

  it('signs with the token that created the invoice (a pos token here)', async () => {
    const pos = await emu.sandbox.createPairingCode({ facade: 'pos' });
    const path = `/ipn/${randomUUID()}`;
    const { json } = await rawRequest(emu, 'POST', 'invoices', { body: { token: pos.token, price: 1, currency: 'USD', notificationURL: receiver.url(path) } });
    await emu.sandbox.pay(json.data.id);
    await emu.webhooks.flush();
    const [request] = receiver.at(path);
    expect(request!.headers['x-signature']).to.equal(hmac(request!.raw, pos.token));
  });

  it('sends the extended-only events: expired, failedToConfirm, declined', async () => {
    const expired = await create({ extendedNotifications: true });
    await emu.sandbox.expire(expired.invoice.id);
    const invalid = await create({ extendedNotifications: true });
    await emu.sandbox.pay(invalid.invoice.id);
    await emu.clock.advance('1h');
    const declined = await create({ extendedNotifications: true });
    await emu.sandbox.pay(declined.invoice.id, { percent: 10 });
    await merchant.cancelInvoice(declined.invoice.id, true);
    const notExtended = await create();
    await emu.sandbox.expire(notExtended.invoice.id);
    await emu.webhooks.flush();
    expect(codes(expired.received())).to.deep.equal([1004]);
    expect(codes(invalid.received())).to.deep.equal([1003, 1013]);
    expect(codes(declined.received())).to.deep.equal([1019]);
    expect(notExtended.received()).to.deep.equal([]);
  });

  describe('delivery rules', () => {
    it('retries a 500 on the emulator clock, 1 minute later, with the same delivery id', async () => {
      const { invoice, path, received } = await create();
      receiver.plan(path, 500);
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      expect(received()).to.have.length(1);
      await emu.clock.advance('59s');
      await emu.webhooks.flush();
      expect(received()).to.have.length(1);
      await emu.clock.advance('1s');
      await emu.webhooks.flush();
      expect(received()).to.have.length(2);
      expect(received()[0]!.headers['x-delivery-id']).to.equal(received()[1]!.headers['x-delivery-id']);

      const [delivery] = await emu.webhooks.list({ invoiceId: invoice.id });
      expect(delivery).to.include({ status: 'delivered', attemptCount: 2, format: 'standard' });
      expect(delivery!.attempts.map((a) => [a.response?.status, a.delivered])).to.deep.equal([
        [500, false],
        [200, true],
      ]);
      expect(delivery!.attempts[0]!.response?.body).to.equal('status 500');
      expect(delivery!.attempts[0]!.error).to.equal('HTTP 500 is not a delivery');
      expect(delivery!.attempts[0]!.request.headers['x-signature']).to.equal(hmac(delivery!.attempts[0]!.request.body, merchantToken));
    });

    it('counts only 200 as delivered (a 204 is retried)', async () => {
      const { invoice, path, received } = await create();
      receiver.plan(path, 204);
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      await emu.clock.advance('1m');
      await emu.webhooks.flush();
      expect(received().map((r) => r.json.status)).to.deep.equal(['paid', 'paid']);
    });

    it('does not follow redirects', async () => {
      const { invoice, path, received } = await create();
      const target = `/moved/${randomUUID()}`;
      receiver.plan(path, { redirect: receiver.url(target) });
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      expect(received()).to.have.length(1);
      expect(receiver.at(target)).to.deep.equal([]);
      const [delivery] = await emu.webhooks.list({ invoiceId: invoice.id });
      expect(delivery!.status).to.equal('pending');
      expect(delivery!.attempts[0]!.error).to.equal('HTTP 302 (redirects are not followed) is not a delivery');
    });

    it('gives up on a receiver that hangs after the timeout, and retries it', async () => {
      const { invoice, path, received } = await create();
      receiver.plan(path, 'hang');
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      const [delivery] = await emu.webhooks.list({ invoiceId: invoice.id });
      expect(delivery!.attempts[0]!.error).to.equal('no response within 500 ms');
      expect(delivery!.attempts[0]!.durationMs).to.be.within(450, 3000);
      await emu.clock.advance('1m');
      await emu.webhooks.flush();
      expect(received()).to.have.length(2);
      expect((await emu.webhooks.list({ invoiceId: invoice.id }))[0]!.status).to.equal('delivered');
    });

    it('retries at 1, 4, 9, 16 and 25 minutes, then gives up', async () => {
      const { invoice, path, received } = await create();
      receiver.plan(path, 500, 500, 500, 500, 500, 500);
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      for (const minutes of [1, 4, 9, 16, 25]) {
        await emu.clock.advance(`${minutes * 60 - 1}s`);
        await emu.webhooks.flush();
        const before = received().length;
        await emu.clock.advance('1s');
        await emu.webhooks.flush();
        expect(received().length, `retry after ${minutes} min`).to.equal(before + 1);
      }
      await emu.clock.advance('1h');
      await emu.webhooks.flush();
      expect(received()).to.have.length(6);
      const [delivery] = await emu.webhooks.list({ invoiceId: invoice.id });
      expect(delivery).to.include({ status: 'failed', attemptCount: 6, nextAttemptAt: null });
    });

    it('keeps one invoice’s webhooks in order while the first is retried', async () => {
      const { invoice, path, received } = await create({ extendedNotifications: true });
      receiver.plan(path, 500);
      await emu.sandbox.pay(invoice.id);
      await emu.sandbox.mine(6);
      await emu.webhooks.flush();
      expect(codes(received())).to.deep.equal([1003]);
      await emu.clock.advance('1m');
      await emu.webhooks.flush();
      expect(codes(received())).to.deep.equal([1003, 1003, 1005, 1006]);
    });

    it('redelivers on request, from the delivery log', async () => {
      const { invoice, received } = await create();
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      const { json: log } = await rawRequest(emu, 'GET', `sandbox/webhooks?invoiceId=${invoice.id}`);
      expect(log).to.have.length(1);
      expect(log[0]).to.include({ invoiceId: invoice.id, status: 'delivered', url: invoice.notificationURL });
      expect(log[0].event).to.deep.equal({ code: 1003, name: 'invoice_paidInFull' });
      const again = await rawRequest(emu, 'POST', `sandbox/webhooks/${log[0].id}/redeliver`);
      expect(again.json).to.include({ id: log[0].id, status: 'pending' });
      await emu.webhooks.flush();
      expect(received()).to.have.length(2);
      expect((await rawRequest(emu, 'POST', 'sandbox/webhooks/nope/redeliver')).status).to.equal(404);
    });
  });

  describe('resend (POST /invoices/:id/notifications)', () => {
    it('through the official SDK with the invoice token: {"data":"Success"} and a 1012 with the current invoice', async () => {
      const { invoice, received } = await create({ extendedNotifications: true });
      await emu.sandbox.pay(invoice.id);
      await emu.webhooks.flush();
      expect(await merchant.requestInvoiceWebhookToBeResent(invoice.id, invoice.token)).to.equal(true);
      await emu.webhooks.flush();
      expect(received().map((r) => r.json.event)).to.deep.equal([
        { code: 1003, name: 'invoice_paidInFull' },
        { code: 1012, name: 'invoice_manuallyNotified' },
      ]);
      expect(received()[1]!.json.data.status).to.equal('paid');
    });

    it('with the merchant token, as the Python SDK sends it', async () => {
      const { invoice, received } = await create();
      const { status, json } = await rawRequest(emu, 'POST', `invoices/${invoice.id}/notifications`, { key, body: { token: merchantToken } });
      expect(status).to.equal(200);
      expect(json).to.deep.equal({ data: 'Success' });
      await emu.webhooks.flush();
      expect(codes(received())).to.deep.equal(['new']);
    });

    it('refuses an unsigned request, another invoice’s token and an invoice without notificationURL', async () => {
      const { invoice } = await create();
      const other = await create();
      const unsigned = await rawRequest(emu, 'POST', `invoices/${invoice.id}/notifications`, { body: { token: invoice.token } });
      expect(unsigned.status).to.equal(401);
      const wrong = await rawRequest(emu, 'POST', `invoices/${invoice.id}/notifications`, { key, body: { token: other.invoice.token } });
      expect(wrong.json).to.deep.equal({ error: 'Invalid token' });
      const bare = (await merchant.createInvoice(new Models.Invoice(1, 'USD'))) as unknown as Json;
      const none = await rawRequest(emu, 'POST', `invoices/${bare.id}/notifications`, { key, body: { token: bare.token } });
      expect(none.status).to.equal(409);
      expect(none.json.error).to.equal(`Invoice ${bare.id} has no notificationURL to send a webhook to`);
    });
  });
});

describe('webhook settings', () => {
  it('WEBHOOK_HTTPS_ONLY refuses http:// notificationURLs, as BitPay does', async () => {
    const emu = await startTestEmulator({ webhookHttpsOnly: true });
    try {
      const pos = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
      const http = await rawRequest(emu, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD', notificationURL: 'http://127.0.0.1/ipn' } });
      expect(http.json).to.include({ code: '010102' });
      expect(http.json.error).to.match(/must be an https:\/\/ URL/);
      const https = await rawRequest(emu, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD', notificationURL: 'https://127.0.0.1/ipn' } });
      expect(https.status).to.equal(200);
    } finally {
      await emu.close();
    }
  });

  it('WEBHOOK_SUCCESS=2xx accepts a 204', async () => {
    const emu = await startTestEmulator({ webhookSuccess: '2xx' });
    const receiver = await startReceiver();
    try {
      receiver.plan('/ipn', 204);
      const pos = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
      const { json } = await rawRequest(emu, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD', notificationURL: receiver.url() } });
      await emu.sandbox.pay(json.data.id);
      await emu.webhooks.flush();
      expect((await emu.webhooks.list())[0]).to.include({ status: 'delivered', attemptCount: 1 });
    } finally {
      await emu.close();
      await receiver.close();
    }
  });

  describe('WEBHOOK_FAULTS', () => {
    async function withFaults(faults: string, run: (emu: Emulator, receiver: Receiver, create: (fields?: Json) => Promise<string>) => Promise<void>) {
      const emu = await startTestEmulator({ webhookFaults: faults });
      const receiver = await startReceiver();
      try {
        const pos = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
        const create = async (fields: Json = {}) =>
          (await rawRequest(emu, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD', notificationURL: receiver.url(), ...fields } })).json.data.id;
        await run(emu, receiver, create);
      } finally {
        await emu.close();
        await receiver.close();
      }
    }

    it('duplicate sends each webhook twice with the same delivery id', () =>
      withFaults('duplicate', async (emu, receiver, create) => {
        await emu.sandbox.pay(await create());
        await emu.webhooks.flush();
        expect(receiver.received).to.have.length(2);
        expect(receiver.received[0]!.headers['x-delivery-id']).to.equal(receiver.received[1]!.headers['x-delivery-id']);
        const [delivery] = await emu.webhooks.list();
        expect(delivery!.attempts.map((a) => a.error)).to.deep.equal([null, 'duplicate sent by WEBHOOK_FAULTS']);
      }));

    it('delay holds every webhook back on the emulator clock', () =>
      withFaults('delay:5m', async (emu, receiver, create) => {
        await emu.sandbox.pay(await create());
        await emu.webhooks.flush();
        expect(receiver.received).to.have.length(0);
        await emu.clock.advance('5m');
        await emu.webhooks.flush();
        expect(receiver.received).to.have.length(1);
      }));

    it('reorder sends an invoice’s due webhooks newest first', () =>
      withFaults('reorder,delay:1m', async (emu, receiver, create) => {
        await emu.sandbox.pay(await create({ extendedNotifications: true }));
        await emu.sandbox.mine(6);
        await emu.clock.advance('1m'); // the delay makes all three due together
        await emu.webhooks.flush();
        expect(codes(receiver.received)).to.deep.equal([1006, 1005, 1003]);
      }));

    it('refuses a malformed WEBHOOK_FAULTS', async () => {
      let error: Error | undefined;
      await startTestEmulator({ webhookFaults: 'explode' }).catch((e: Error) => (error = e));
      expect(error?.message).to.equal('Invalid configuration: WEBHOOK_FAULTS unknown fault "explode"; use duplicate[:p], delay:<duration>, reorder');
    });
  });
});
